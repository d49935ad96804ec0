"""One practice of one question, from hearing it to the feedback: the loop the practice screen shows.

Phases: the question is read aloud, an optional think-time countdown runs, the answer is recorded
(and transcribed while spoken), then analysed off the GUI thread. Every failure is a plain sentence
on `error`; the person can always try again.
"""

from __future__ import annotations

import enum
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.bank.questions import Bank, Question
from app.core.jobs import run_task
from app.core.settings import Settings
from app.history import Store
from app.history.worker import HistoryWorker
from app.practice.after_answer import Analysed, analyse, listen_again, save_answer, unusable
from app.practice.follow_up import FollowUpRunner
from app.practice.result import PracticeResult, recording_name
from app.speech.answer import AnswerResult, AnswerSession
from app.speech.ask import QuestionReader
from app.speech.audio import Samples
from app.speech.capture_worker import RecordingResult
from app.speech.speech_thread import SpeechThread
from app.speech.transcript import Transcriber
from app.stories.bank import Story

log = logging.getLogger(__name__)


class Phase(enum.Enum):
    IDLE = "idle"
    ASKING = "asking"  # the question is being read aloud
    THINKING = "thinking"  # think-time countdown
    READY = "ready"  # waiting for the person to start
    RECORDING = "recording"
    FINISHING = "finishing"  # Stop pressed: the last stretch is being transcribed
    ANALYSING = "analysing"
    DONE = "done"


class PracticeSession(QObject):
    phaseChanged = Signal(object)  # Phase
    countdown = Signal(int)  # think seconds left
    level = Signal(float, float)
    elapsed = Signal(float)
    partial = Signal(object)  # Transcript so far
    provisional = Signal(object)  # Transcript of the words not in `partial` yet (the screen only)
    warning = Signal(str)
    error = Signal(str)
    notice = Signal(str)  # something to know that does not stop practice (question not spoken)
    finished = Signal(object)  # PracticeResult
    # The same PracticeResult, its fillers counted on a second listen (app/speech/fillers.py), a few
    # seconds after `finished`; not sent when the engine cannot listen that way or the listen failed.
    refined = Signal(object)

    def __init__(
        self,
        bank: Bank,
        engine: Transcriber,
        reader: QuestionReader | None,
        settings: Settings,
        recordings_dir: Path,
        parent: QObject | None = None,
        speech: SpeechThread | None = None,  # the engine's thread, started at launch
    ) -> None:
        super().__init__(parent)
        self.bank = bank
        self.settings = settings
        self.recordings_dir = recordings_dir
        self.reader = reader
        self.engine = engine
        self.answer = AnswerSession(engine, self, speech=speech)
        self.phase = Phase.IDLE
        self.question: Question | None = None
        self.engine_name = getattr(engine, "name", "whisper")
        self._think_left = 0
        self._think = QTimer(self)
        self._think.setInterval(1000)
        self._think.timeout.connect(self._tick)
        self._stop_pressed = 0.0
        self._cut_off = False  # this answer was ended by the hard stop
        # The written story being rehearsed (Stories screen, "Rehearse"): its telling is linked to it and
        # compared with what was written. Set before `start`; cleared by `practise_normally`.
        self.rehearsing: Story | None = None
        self._closed = False
        # Where finished answers are saved, off the GUI thread (app.history.worker); None: not saved.
        self._history: HistoryWorker | None = None
        self.answer.level.connect(self.level)
        self.answer.elapsed.connect(self._on_elapsed)
        self.answer.partial.connect(self.partial)
        self.answer.provisional.connect(self.provisional)
        self.answer.warning.connect(self.warning)
        self.answer.error.connect(self.error)
        self.answer.finished.connect(self._on_answer)
        if reader is not None:
            reader.finished.connect(self._after_question)
            reader.failed.connect(self._question_failed)
        # After the feedback: the follow-ups, on the same recorder and reader (this session is DONE then).
        self.follow_up = FollowUpRunner(self.answer, reader, settings, recordings_dir, self)

    @property
    def history(self) -> HistoryWorker | None:
        return self._history

    @history.setter
    def history(self, worker: HistoryWorker | None) -> None:
        self._history = worker
        self.follow_up.history = worker

    # ----------------------------------------------------------------- commands

    def load_model(self) -> None:
        self.answer.load_model()

    def start(self, question: Question) -> None:
        """Begin a practice: read the question, then count down the think time."""
        self.follow_up.stop()
        self.abandon()
        self.question = question
        # Never waits for the speech engine: a question asked while it starts is read once it has.
        reason = self.reader.speaker.known_unavailable() if self.reader else "no speech engine"
        if not reason and self.reader is not None:
            self._set(Phase.ASKING)
            self.reader.ask(question.question)
        else:
            self.notice.emit(f"The question cannot be read aloud: {reason}")
            self._after_question()

    def replay_question(self) -> None:
        if (
            self.question is not None
            and self.reader is not None
            and self.phase in (Phase.READY, Phase.THINKING)
        ):
            self.reader.ask(self.question.question)

    def toggle_recording(self) -> None:
        """Space: start when ready (or during think time), stop when recording."""
        if self.phase in (Phase.READY, Phase.THINKING, Phase.ASKING):
            self.record()
        elif self.phase is Phase.RECORDING:
            self.stop()

    def record(self) -> None:
        if self.question is None or self.phase not in (Phase.READY, Phase.THINKING, Phase.ASKING):
            return
        self._think.stop()
        self._cut_off = False
        if self.reader is not None:
            self.reader.stop()
        path = self.recordings_dir / recording_name(self.question.id)
        self._set(Phase.RECORDING)
        self.answer.start(path, self.settings.input_device_id)

    def stop(self) -> None:
        if self.phase is Phase.RECORDING:
            self._stop_pressed = time.perf_counter()
            self._set(Phase.FINISHING)
            self.answer.stop()

    def abandon(self) -> None:
        """Escape: throw the answer away, keep nothing."""
        self._think.stop()
        if self.reader is not None:
            self.reader.stop()
        if self.phase in (Phase.RECORDING, Phase.FINISHING):
            self.answer.abort()
        if self.phase is not Phase.IDLE:
            self._set(Phase.READY if self.question else Phase.IDLE)

    def shutdown(self) -> None:
        self._closed = True  # a second listen still running must not ask a follow-up on a closed app
        self.follow_up.close()
        self._think.stop()
        self.answer.shutdown()

    # ----------------------------------------------------------------- internals

    def _set(self, phase: Phase) -> None:
        self.phase = phase
        self.phaseChanged.emit(phase)

    @Slot()
    def _after_question(self) -> None:
        if self.phase not in (Phase.ASKING, Phase.IDLE):
            return
        self._think_left = self.settings.think_seconds
        if self._think_left > 0:
            self._set(Phase.THINKING)
            self.countdown.emit(self._think_left)
            self._think.start()
        else:
            self._set(Phase.READY)

    @Slot(str)
    def _question_failed(self, message: str) -> None:
        if self.phase is not Phase.ASKING:
            return  # a follow-up's reading failed: the follow-up runner says so
        self.notice.emit(f"The question could not be played: {message}")
        self._after_question()

    @Slot()
    def _tick(self) -> None:
        self._think_left -= 1
        self.countdown.emit(self._think_left)
        if self._think_left <= 0:
            self._think.stop()
            self.record()

    @Slot(float)
    def _on_elapsed(self, seconds: float) -> None:
        self.elapsed.emit(seconds)
        if (
            self.settings.hard_stop
            and seconds >= self.settings.target_seconds
            and self.phase is Phase.RECORDING
        ):
            self.notice.emit("Time is up: the recording stopped at your target length.")
            self._cut_off = True
            self.stop()

    @Slot(object)
    def _on_answer(self, result: AnswerResult | None) -> None:
        if self.phase not in (Phase.RECORDING, Phase.FINISHING):
            return  # a follow-up's reply: app.practice.follow_up has it
        if result is None:  # abandoned, or the microphone could not be used (error already said)
            if self.phase in (Phase.RECORDING, Phase.FINISHING):
                self._set(Phase.READY)
            return
        if not self._stop_pressed:
            self._stop_pressed = time.perf_counter()
        question = self.question
        assert question is not None
        problem = unusable(result)
        if problem is not None:
            message, discard = problem
            if discard:
                self._discard_audio(result.recording)
            self.error.emit(message)
            self._set(Phase.READY)
            return
        self._set(Phase.ANALYSING)
        transcript = result.transcript
        bank, engine, target = self.bank, self.engine_name, self.settings.target_seconds
        cut_off, self._cut_off = self._cut_off, False
        asks = self.settings.follow_ups
        rehearsed = self.rehearsing

        def work() -> Analysed:
            return analyse(
                transcript, result.recording.path, bank, question, engine, target, cut_off, asks, rehearsed
            )

        def done(out: object) -> None:
            analysis, samples, follow_ups, comparison = cast(Analysed, out)
            shown = PracticeResult(
                question,
                result.recording,
                transcript,
                analysis,
                0.0,
                follow_ups=follow_ups,
                rehearsed=rehearsed,
                comparison=comparison,
            )
            self._save(shown, samples)

        def failed(message: str) -> None:
            self.error.emit(f"The answer could not be analysed: {message}. Your recording is kept.")
            self._set(Phase.READY)

        run_task(work, done, failed)

    def _save(self, first: PracticeResult, samples: Samples | None) -> None:
        """Save on the history worker, then show: the feedback needs the attempt before this one ("since
        your last try") and whether this one was saved. Saving may delete the recording (when recordings
        are not kept), so its samples were read before."""
        history = self.history
        if history is None:
            self._show(first, samples)
            return
        bank, keep = self.bank, self.settings.keep_recordings

        def job(store: Store) -> PracticeResult:
            return save_answer(store, first, bank, keep)

        def failed(message: str) -> None:
            self._show(replace(first, save_error=message), samples)

        history.submit(job, lambda out: self._show(out, samples), failed)

    def _show(self, shown: PracticeResult, samples: Samples | None) -> None:
        self._set(Phase.DONE)
        waited = time.perf_counter() - self._stop_pressed
        self._stop_pressed = 0.0
        shown = replace(shown, stop_to_feedback_s=waited)
        self.finished.emit(shown)
        if samples is not None:
            self._listen_for_fillers(shown, samples)
        else:
            self._follow_up(shown)

    def _follow_up(self, shown: PracticeResult) -> None:
        """The follow-ups, once the second listen is over: the person has read the feedback a moment,
        and the speech engine does not speak while Whisper listens (their native threads together
        crashed a test run once)."""
        if not self._closed and self.phase is Phase.DONE and self.question is shown.question:
            self.follow_up.begin(shown.question.id, shown.follow_ups, shown.attempt_id)

    def _listen_for_fillers(self, first: PracticeResult, samples: Samples) -> None:
        engine = self.engine

        def work() -> PracticeResult | None:
            return listen_again(engine, first, samples)

        def done(out: object) -> None:
            if out is not None and not self._closed:
                self.refined.emit(out)
            self._follow_up(first)

        def failed(message: str) -> None:
            log.warning("second listen for fillers failed: %s", message)
            self._follow_up(first)

        run_task(work, done, failed)

    @staticmethod
    def _discard_audio(recording: RecordingResult) -> None:
        try:
            recording.path.unlink(missing_ok=True)
        except OSError as e:
            log.warning("could not delete %s: %s", recording.path, e)
