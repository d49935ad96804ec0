"""The long-lived parts the screens share, built once: settings, speech in and out, the practice loop.

Nothing slow happens here: the app makes the transcription thread at launch and, once the window shows,
starts the Whisper model loading on it and the STAR labeller, then hands the thread over
(`create(speech=...)`); `start_background_loading()` starts what is not started yet and calls back when
practice is ready.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject

from app.analysis.labeller_files import default_labeller, fallback_reason, learn_corrections
from app.analysis.meaning import loaded_meaning, shared_meaning
from app.analysis.meaning import unavailable_reason as meaning_unavailable
from app.analysis.stories import Story
from app.analysis.topic import topic_model
from app.analysis.types import Label
from app.bank.questions import Bank
from app.core import memory, paths
from app.core.jobs import run_task
from app.core.settings import Settings, read_settings
from app.followups.judge import reply_model
from app.history import Store, StoreError
from app.history.worker import HistoryWorker
from app.practice.recovery import Recovered, notice, save_recovered, transcribe_recordings
from app.practice.session import PracticeSession
from app.schedule.grades import grade_of
from app.speech.ask import QuestionReader
from app.speech.playback import QtPlayer
from app.speech.speech_thread import SpeechThread, speech_thread_for
from app.speech.tts import Speaker
from app.speech.vocabulary import own_words

log = logging.getLogger(__name__)


def _recordings_folder() -> tuple[Path, list[str]]:
    """Where answers are recorded: the data folder, or a temporary one when that cannot be written."""
    folder = Path("recordings")
    try:
        folder = paths.recordings_dir()
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
        return folder, []
    except OSError as e:
        temporary = Path(tempfile.mkdtemp(prefix="star-coach-recordings-"))
        return temporary, [
            f"Recordings cannot be written to {folder} ({e.strerror}). Answers are recorded in "
            f"{temporary} for this session: free some space or fix the folder's permissions, then restart."
        ]


def _session_store() -> Store:
    """A history in a temporary folder, so practice and feedback work while the real one cannot."""
    return Store.open(Path(tempfile.mkdtemp(prefix="star-coach-history-")) / "history.sqlite3")


def open_store() -> tuple[Store, list[str]]:
    """The history, and what the person must hear about it (a repaired save, a damaged file kept aside)."""
    store = Store.recover()
    return store, list(store.recovery_messages)


def model_missing(model: str, why: str, instead: str) -> str:
    """The notice for a model of the app that could not load: which, why, what the app does instead."""
    return f"The {model} could not be loaded ({why}), so {instead}. Reinstall STAR Coach to restore it."


def _encode_while_speaking(transcript: object) -> None:
    """The sentences heard so far, encoded by meaning in the background while the person still speaks:
    at Stop, the off-topic check then finds them cached (a 3-minute answer cold: ~130 ms)."""
    from app.analysis import sentences as sent
    from app.speech.transcript import Transcript

    model = loaded_meaning()
    if model is None or not isinstance(transcript, Transcript):
        return
    texts = [s.text for s in sent.from_transcript(transcript)]
    if texts:
        run_task(lambda: model.encode(texts), lambda _: None, lambda _: None)


@dataclass(frozen=True)
class OpenedHistory:
    """The history opened (checked, upgraded or salvaged) on a worker thread before `Services.create`:
    that check reads the whole file, too slow for the GUI thread."""

    store: Store | None
    notices: list[str]
    error: str = ""  # why it could not be opened


def open_history() -> OpenedHistory:
    """`open_store` for any thread, its failure as a value."""
    try:
        store, notices = open_store()
    except (StoreError, sqlite3.Error, OSError) as e:
        return OpenedHistory(None, [], str(e))
    return OpenedHistory(store, notices)


@dataclass
class Services:
    settings: Settings
    speaker: Speaker
    player: QtPlayer
    reader: QuestionReader
    practice: PracticeSession
    store: Store  # opened off the GUI thread; the screens read and write through `history`, never this
    history: HistoryWorker  # every write, on its own thread and connection
    notices: list[str]

    history_saved: bool = True  # False: the history could not be opened; this session's answers only

    @classmethod
    def create(
        cls,
        bank: Bank,
        settings: Settings | None = None,
        parent: QObject | None = None,
        opened: OpenedHistory | None = None,
        speech: SpeechThread | None = None,
    ) -> Services:
        """Every part that can fail falls back to something that works and says so in `notices`, so
        the window never sits there greyed out with the reason only in a log. `speech`: the engine's
        thread for `settings`, started at launch (`speech_thread_for`); else it is started here."""
        # The app has done this at start (ui/application.py); any other host of practice (the soak
        # benchmark, tests) gets it here, before the models load.
        memory.return_freed_memory()
        memory.forget_module_sources()  # the window's imports are done; the models' come later
        notices: list[str] = []
        if settings is None:
            settings, notices = read_settings()
        speaker = Speaker(parent=parent)
        speaker.set_rate(settings.speech_rate_wpm)
        if settings.voice_id:  # checked once the engine has started (start_background_loading)
            speaker.set_voice(settings.voice_id, check=False)
        player = QtPlayer(parent=parent)
        reader = QuestionReader(speaker, QtPlayer(parent=parent), parent)
        speech = speech or speech_thread_for(settings)
        notices += speech.notices
        recordings, recordings_notice = _recordings_folder()
        notices += recordings_notice
        practice = PracticeSession(bank, speech.engine, reader, settings, recordings, parent, speech=speech)
        opened = opened or open_history()
        store, store_notices, saved = opened.store, opened.notices, True
        if store is None:
            store, store_notices, saved = _session_store(), [], False
            notices.append(
                f"Your practice history cannot be opened: {opened.error} You can practise and see "
                "feedback, but answers are kept for this session only until that is fixed."
            )
        store.grade_with = grade_of  # the history stores the grade it is given, worked out here
        history = HistoryWorker(store.path, grade_with=grade_of)
        practice.history = history
        return cls(
            settings, speaker, player, reader, practice, store, history, store_notices + notices, saved
        )

    def listen_for_own_words(self) -> None:
        """Give Whisper the person's own words (Settings list, story titles, written stories) in
        its prompt; read on the history worker, set when read. Called at start and when either changes."""
        engine = self.practice.engine
        if not hasattr(engine, "own_words"):
            return  # pocketsphinx takes no prompt
        own = self.settings.vocabulary

        def read(store: Store) -> str | None:
            stories = store.stories()
            return own_words(own, [s.title for s in stories], [s.written for s in stories if s.written])

        def use(words: str | None) -> None:
            engine.own_words = words

        self.history.submit(read, use, lambda message: log.warning("own words not read: %s", message))

    def start_background_loading(
        self, on_ready: Callable[[], None] | None = None, on_notice: Callable[[str], None] | None = None
    ) -> None:
        """The Whisper model and the STAR labeller (3.3 s to train once, 0.7 s from the cache) get ready
        before the first Stop; `on_ready` is called once both are (failures go to practice.error).
        Then recordings no attempt has are transcribed into History; `on_notice` tells the person.
        The meaning model loads after both, so as not to compete with them for the CPU (2 cores here)."""
        waiting = {"model", "labeller"}

        def done(part: str) -> None:
            if part not in waiting:  # the model loaded at launch says so again when asked here
                return
            waiting.discard(part)
            if not waiting and not self.store.closed:  # quitting while the models loaded: nothing to do
                memory.forget_module_sources()  # what loading the models imported; before more starts
                self.learn_corrections()
                self.recover_recordings(on_notice)
                run_task(load_meaning, meaning_ready, self.practice.error.emit)
                if on_ready is not None:
                    on_ready()

        self.check_voice(on_notice)
        self.practice.answer.model_ready.connect(lambda: done("model"))
        self.practice.load_model()
        bank = self.practice.bank

        def meaning_ready(_model: object) -> None:
            why = meaning_unavailable()
            if why and on_notice is not None:
                on_notice(
                    model_missing(
                        "meaning model",
                        why,
                        "follow-up replies, story suggestions and the off-topic check go by words alone",
                    )
                )

        def load_meaning() -> object:
            if shared_meaning() is not None:  # the judgments by meaning; practice does not wait for them
                topic_model()
                reply_model()
            return None

        def labeller_ready(_labeller: object) -> None:
            why = fallback_reason()
            if why and on_notice is not None:
                on_notice(
                    model_missing(
                        "STAR model",
                        why,
                        "answers are labelled by the simpler fallback, which is less sure on spoken answers",
                    )
                )
            done("labeller")

        run_task(lambda: default_labeller(bank), labeller_ready, self.practice.error.emit)
        self.practice.partial.connect(_encode_while_speaking)

    def check_voice(self, on_notice: Callable[[str], None] | None) -> None:
        """The voice in the settings, checked once the speech engine has listed its voices (waiting
        for that list in a GUI callback held the window up to 10 s)."""

        def check(available: bool, _reason: str) -> None:
            chosen = self.speaker.voice()
            if not available or not chosen:
                return
            try:
                self.speaker.set_voice(chosen)  # the engine has started: this does not wait
            except ValueError:
                self.speaker.set_voice(None)
                self.settings.voice_id = ""
                if on_notice is not None:
                    on_notice(
                        f"The voice {chosen!r} in your settings is not installed any more; questions are "
                        "read in the default voice. Choose another in Settings (Ctrl+,)."
                    )

        if self.speaker.engine_started():
            check(self.speaker.available(0), "")
        else:
            self.speaker.engine_ready.connect(check)

    def learn_corrections(self) -> None:
        """Labels the person corrected become training answers for their own labeller (read on the
        history worker, learnt in the background; the shipped labeller serves until it is ready)."""
        bank = self.practice.bank

        def learn(corrected: list[tuple[int, list[tuple[str, str]]]]) -> None:
            if not corrected:
                return
            stories = [
                Story(tuple(t for t, _ in pairs), tuple(cast(Label, lab) for _, lab in pairs), f"mine-{i}")
                for i, pairs in corrected
            ]
            run_task(
                lambda: learn_corrections(bank, stories), lambda _labeller: None, self.practice.error.emit
            )

        self.history.submit(
            lambda store: store.corrected_answers(),
            learn,
            lambda message: log.warning("corrected answers not read: %s", message),
        )

    def recover_recordings(self, on_notice: Callable[[str], None] | None = None) -> None:
        """Recordings no attempt has (listed on the history worker): transcribed and analysed in the
        background, then saved on the history worker."""
        self.history.submit(
            lambda store: store.orphan_recordings(),
            lambda orphans: self._recover(orphans, on_notice),
            lambda message: log.warning("recordings not checked: %s", message),
        )

    def _recover(self, orphans: list[Path], on_notice: Callable[[str], None] | None) -> None:
        if not orphans:
            return
        engine, bank = self.practice.engine, self.practice.bank
        target = self.settings.target_seconds

        def saved(out: tuple[list[Recovered], list[str]]) -> None:
            recovered, problems = out

            def told(count: int, more: list[str]) -> None:
                if on_notice is not None and (count or more):
                    on_notice(notice(count, more))

            self.history.submit(
                lambda store: save_recovered(store, recovered),
                lambda count: told(count, problems),
                lambda message: told(0, [*problems, message]),
            )

        run_task(
            lambda: transcribe_recordings(orphans, engine, bank, target), saved, self.practice.error.emit
        )

    def shutdown(self) -> None:
        self.player.stop()
        self.practice.shutdown()
        self.speaker.shutdown()
        self.history.close()  # a save under way finishes first
        self.store.close()
