"""The "Ask" button in one call: a question's text to sound, so the practice view wires one object."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from app.speech.playback import Player
from app.speech.tts import Speaker


class QuestionReader(QObject):
    """Synthesizes (or finds cached) audio for a question and plays it; a new ask() replaces the last."""

    started = Signal()  # the question is being heard
    finished = Signal()  # read to the end
    failed = Signal(str)  # plain-language reason: no speech engine, no output device, …

    def __init__(self, speaker: Speaker, player: Player, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speaker = speaker
        self.player = player
        self._request: int | None = None
        self._asked_at = 0.0
        self._playing = False
        # Ask → sound starting, the figure DESIGN.md targets (≤ 100 ms cached, ≤ 400 ms first time).
        self.last_start_latency_ms: float | None = None
        speaker.ready.connect(self._on_ready)
        speaker.failed.connect(self._on_failed)
        player.started.connect(self._on_started)
        player.finished.connect(self._on_finished)
        player.error.connect(self._on_error)

    def ask(self, text: str) -> None:
        self.stop()
        self._asked_at = time.perf_counter()
        self._request = self.speaker.synthesize(text)

    def stop(self) -> None:
        self._request = None
        if self._playing:
            self._playing = False
            self.player.stop()

    @Slot(int, str)
    def _on_ready(self, request_id: int, path: str) -> None:
        if request_id != self._request:
            return
        self._request = None
        self._playing = True
        self.player.play(Path(path))

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id == self._request:
            self._request = None
            self.failed.emit(message)

    @Slot()
    def _on_started(self) -> None:
        if self._playing:
            self.last_start_latency_ms = (time.perf_counter() - self._asked_at) * 1000
            self.started.emit()

    @Slot()
    def _on_finished(self) -> None:
        if self._playing:
            self._playing = False
            self.finished.emit()

    @Slot(str)
    def _on_error(self, message: str) -> None:
        if self._playing:
            self._playing = False
            self.failed.emit(message)
