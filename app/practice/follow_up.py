"""Follow-up questions after an answer, as an interviewer asks them: read aloud, answered aloud,
transcribed, judged on whether the reply gave what was asked, and saved with the attempt.

It borrows the practice session's recorder and question reader once the answer's feedback is shown
(the practice session ignores them then), so it never competes with an answer for the microphone.
"""

from __future__ import annotations

import enum
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Signal, Slot

from app.analysis import sentences as sent
from app.analysis.labeller_files import loaded_labeller
from app.core.jobs import run_task
from app.core.settings import Settings
from app.followups.judge import Verdict, judge_reply
from app.followups.rules import FollowUp
from app.history import Store
from app.history.follow_ups import FOLLOW_UP_DIR, NewFollowUp
from app.history.worker import HistoryWorker
from app.speech.answer import AnswerResult, AnswerSession
from app.speech.ask import QuestionReader

log = logging.getLogger(__name__)


class Step(enum.Enum):
    IDLE = "idle"  # no follow-up under way
    ASKING = "asking"  # the follow-up is being read aloud
    READY = "ready"  # waiting for Space
    RECORDING = "recording"
    JUDGING = "judging"  # transcribing the end of the reply, judging it, saving it
    DONE = "done"  # every follow-up of this answer was answered or skipped


@dataclass(frozen=True)
class Reply:
    position: int  # 1 for the first follow-up
    follow_up: FollowUp
    text: str
    seconds: float
    verdict: Verdict
    save_error: str | None = None  # None: saved with the attempt (or there was nothing to save to)


class FollowUpRunner(QObject):
    stepChanged = Signal(object)  # Step
    asked = Signal(int, int, object)  # position (1-based), how many, FollowUp
    level = Signal(float, float)
    elapsed = Signal(float)
    partial = Signal(object)  # Transcript so far
    provisional = Signal(object)  # Transcript of the words not in `partial` yet (the screen only)
    replied = Signal(object)  # Reply
    problem = Signal(str)  # something went wrong with this reply; the person can answer again or skip

    def __init__(
        self,
        answer: AnswerSession,
        reader: QuestionReader | None,
        settings: Settings,
        recordings_dir: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.answer = answer
        self.reader = reader
        self.settings = settings
        self.folder = recordings_dir.parent / FOLLOW_UP_DIR
        # Set by the practice session with its own (a plain attribute: a closure over the session
        # made a reference cycle, freed by the garbage collector at any later moment, mid-test).
        self.history: HistoryWorker | None = None
        self.step = Step.IDLE
        self.follow_ups: tuple[FollowUp, ...] = ()
        self.position = 0
        self.attempt_id: int | None = None
        self.question_id = ""
        self.replies: list[Reply] = []
        self._closed = False
        answer.finished.connect(self._on_answer)
        answer.level.connect(self._relay_level)
        answer.elapsed.connect(self._relay_elapsed)
        answer.partial.connect(self._relay_partial)
        answer.provisional.connect(self._relay_provisional)
        if reader is not None:
            reader.finished.connect(self._on_read)
            reader.failed.connect(self._on_read_failed)

    # ----------------------------------------------------------------- commands

    def begin(self, question_id: str, follow_ups: tuple[FollowUp, ...], attempt_id: int | None) -> None:
        """After an answer's feedback is shown: ask its first follow-up, if it has any."""
        self.stop()
        if self._closed:
            return
        self.question_id, self.follow_ups, self.attempt_id = question_id, follow_ups, attempt_id
        self.replies = []
        self.position = 0
        self._next()

    def toggle(self) -> None:
        """Space: answer the follow-up, or stop answering."""
        if self.step in (Step.ASKING, Step.READY):
            if self.reader is not None:
                self.reader.stop()
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{self.question_id}-follow-up{self.position}-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.wav"
            self._set(Step.RECORDING)
            self.answer.start(self.folder / name, self.settings.input_device_id)
        elif self.step is Step.RECORDING:
            self._set(Step.JUDGING)
            self.answer.stop()

    def ask_again(self) -> None:
        if self.step in (Step.READY, Step.ASKING) and self.reader is not None:
            self._ask()

    def skip(self) -> None:
        """Leave this follow-up unanswered and go to the next."""
        if self.step in (Step.ASKING, Step.READY, Step.RECORDING):
            self._quiet()
            self._next()

    def stop(self) -> None:
        """A new practice, or the screen left: nothing more is asked, a reply being recorded is dropped."""
        if self.step is not Step.IDLE:
            self._quiet()
            self._set(Step.IDLE)

    def close(self) -> None:
        """The app is closing: stop, and ask nothing more."""
        self.stop()
        self._closed = True

    # ----------------------------------------------------------------- internals

    @property
    def current(self) -> FollowUp | None:
        return self.follow_ups[self.position - 1] if 0 < self.position <= len(self.follow_ups) else None

    def _set(self, step: Step) -> None:
        self.step = step
        self.stepChanged.emit(step)

    def _quiet(self) -> None:
        if self.reader is not None:
            self.reader.stop()
        if self.step in (Step.RECORDING, Step.JUDGING):
            self.answer.abort()

    def _next(self) -> None:
        self.position += 1
        follow_up = self.current
        if follow_up is None:
            self._set(Step.DONE if self.follow_ups else Step.IDLE)
            return
        self.asked.emit(self.position, len(self.follow_ups), follow_up)
        self._ask()

    def _ask(self) -> None:
        follow_up = self.current
        reason = self.reader.speaker.known_unavailable() if self.reader else "no speech engine"
        if follow_up is None or reason or self.reader is None:
            self._set(Step.READY)  # shown on screen; the person reads it
            return
        self._set(Step.ASKING)
        self.reader.ask(follow_up.text)

    @Slot()
    def _on_read(self) -> None:
        if self.step is Step.ASKING:
            self._set(Step.READY)

    @Slot(str)
    def _on_read_failed(self, message: str) -> None:
        if self.step is Step.ASKING:
            self.problem.emit(f"The follow-up could not be read aloud ({message}); it is shown above.")
            self._set(Step.READY)

    @Slot(float, float)
    def _relay_level(self, rms: float, peak: float) -> None:
        if self.step is Step.RECORDING:
            self.level.emit(rms, peak)

    @Slot(float)
    def _relay_elapsed(self, seconds: float) -> None:
        if self.step is Step.RECORDING:
            self.elapsed.emit(seconds)

    @Slot(object)
    def _relay_partial(self, transcript: object) -> None:
        if self.step in (Step.RECORDING, Step.JUDGING):
            self.partial.emit(transcript)

    @Slot(object)
    def _relay_provisional(self, transcript: object) -> None:
        if self.step in (Step.RECORDING, Step.JUDGING):
            self.provisional.emit(transcript)

    @Slot(object)
    def _on_answer(self, result: AnswerResult | None) -> None:
        if self.step not in (Step.RECORDING, Step.JUDGING):
            return  # the practice's own answer, or a reply already dropped
        follow_up = self.current
        if result is None or follow_up is None:
            self._set(Step.READY)
            return
        heard = not (result.recording.silent or result.transcript.nothing_heard)
        if result.transcription_errors or not heard:
            result.recording.path.unlink(missing_ok=True)
            self.problem.emit(
                f"Your reply could not be transcribed: {result.transcription_errors[0]}"
                if result.transcription_errors
                else "Nothing was heard in your reply. Check the microphone, then press Space to answer again."
            )
            self._set(Step.READY)
            return
        self._set(Step.JUDGING)
        transcript, position = result.transcript, self.position

        def work() -> tuple[Verdict, float]:
            said = sent.from_transcript(transcript)
            seconds = said[-1].end - said[0].start if said else 0.0
            return judge_reply(follow_up.rule.asks_for, said, follow_up.text, loaded_labeller()), seconds

        def judged(out: object) -> None:
            verdict, seconds = cast(tuple[Verdict, float], out)
            reply = Reply(position, follow_up, transcript.text, seconds, verdict)
            new = NewFollowUp(
                position,
                follow_up.rule.id,
                follow_up.text,
                follow_up.rule.asks_for,
                transcript,
                seconds,
                verdict.gave,
                verdict.message,
                result.recording.path,
            )
            self._save(reply, new)

        def failed(message: str) -> None:
            self.problem.emit(f"Your reply could not be judged: {message}")
            self._set(Step.READY)

        run_task(work, judged, failed)

    def _save(self, reply: Reply, new: NewFollowUp) -> None:
        history, attempt_id = self.history, self.attempt_id
        if history is None or attempt_id is None:
            if new.recording is not None:
                new.recording.unlink(missing_ok=True)
            lost = None if history is None else "your answer was not saved, so neither is this reply"
            self._done(Reply(reply.position, reply.follow_up, reply.text, reply.seconds, reply.verdict, lost))
            return
        keep = self.settings.keep_recordings
        started = time.perf_counter()

        def job(store: Store) -> None:
            store.save_follow_up(attempt_id, new, keep_audio=keep)

        def saved(_: object) -> None:
            log.info("follow-up %d saved in %.0f ms", reply.position, (time.perf_counter() - started) * 1000)
            self._done(reply)

        def failed(message: str) -> None:
            self._done(
                Reply(reply.position, reply.follow_up, reply.text, reply.seconds, reply.verdict, message)
            )

        history.submit(job, saved, failed)

    def _done(self, reply: Reply) -> None:
        if self.step is not Step.JUDGING or reply.position != self.position:
            return  # stopped meanwhile (a new practice began)
        self.replies.append(reply)
        self.replied.emit(reply)
        self._next()
