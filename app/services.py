"""The long-lived parts the screens share, built once: settings, speech in and out, the practice loop.

Nothing slow happens here: the speech engine starts on its own thread and the Whisper model loads in
the background when `start_background_loading()` is called after the window is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject

from app import paths
from app.analysis.star import default_labeller
from app.practice import PracticeSession
from app.questions import Bank
from app.recovery import Recovered, notice, save_recovered, transcribe_recordings
from app.settings import Settings
from app.speech.ask import QuestionReader
from app.speech.playback import QtPlayer
from app.speech.transcribe import make_transcriber
from app.speech.tts import Speaker
from app.store import Store, StoreError
from app.tasks import run_task


def open_store() -> tuple[Store, list[str]]:
    """The history, and what the person must hear about it (a repaired save, a damaged file kept aside)."""
    store = Store.recover()
    return store, list(store.recovery_messages)


@dataclass
class Services:
    settings: Settings
    speaker: Speaker
    player: QtPlayer
    reader: QuestionReader
    practice: PracticeSession
    store: Store
    notices: list[str]

    @classmethod
    def create(cls, bank: Bank, settings: Settings | None = None, parent: QObject | None = None) -> Services:
        settings = settings or Settings.load()
        speaker = Speaker(parent=parent)
        speaker.set_rate(settings.speech_rate_wpm)
        if settings.voice_id:
            speaker.set_voice(settings.voice_id)
        player = QtPlayer(parent=parent)
        reader = QuestionReader(speaker, QtPlayer(parent=parent), parent)
        # A model applies to Whisper only; the saved one is kept for when Whisper is chosen again.
        model = (settings.model or None) if settings.engine == "whisper" else None
        engine = make_transcriber(settings.engine, model)
        practice = PracticeSession(bank, engine, reader, settings, paths.recordings_dir(), parent)
        store, notices = open_store()
        return cls(settings, speaker, player, reader, practice, store, notices)

    def start_background_loading(
        self, on_ready: Callable[[], None] | None = None, on_notice: Callable[[str], None] | None = None
    ) -> None:
        """The Whisper model and the STAR labeller (3.3 s to train once, 0.7 s from the cache) get ready
        before the first Stop; `on_ready` is called once both are (failures go to practice.error).
        Then recordings no attempt has are transcribed into History; `on_notice` tells the person."""
        waiting = {"model", "labeller"}

        def done(part: str) -> None:
            waiting.discard(part)
            if not waiting:
                self.recover_recordings(on_notice)
                if on_ready is not None:
                    on_ready()

        self.practice.answer.model_ready.connect(lambda: done("model"))
        self.practice.load_model()
        bank = self.practice.bank
        run_task(lambda: default_labeller(bank), lambda _labeller: done("labeller"), self.practice.error.emit)

    def recover_recordings(self, on_notice: Callable[[str], None] | None = None) -> None:
        """Transcribe and analyse orphaned recordings in the background, then save them here."""
        orphans = self.store.orphan_recordings()
        if not orphans:
            return
        engine, bank = self.practice.engine, self.practice.bank
        target = self.settings.target_seconds

        def saved(out: tuple[list[Recovered], list[str]]) -> None:
            recovered, problems = out
            try:
                count = save_recovered(self.store, recovered)
            except StoreError as e:
                count, problems = 0, [*problems, str(e)]
            if on_notice is not None and (count or problems):
                on_notice(notice(count, problems))

        run_task(
            lambda: transcribe_recordings(orphans, engine, bank, target), saved, self.practice.error.emit
        )

    def shutdown(self) -> None:
        self.player.stop()
        self.practice.shutdown()
        self.speaker.shutdown()
        self.store.close()
