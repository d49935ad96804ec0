"""Microphone capture: QAudioSource in its own thread, streamed to a crash-safe WAV file.

The GUI talks to `Recorder` (main thread); the audio device lives in `CaptureWorker` on a QThread so
that a busy GUI never makes the device buffer overflow. Everything the user must know arrives as a
signal: level, elapsed time, warnings (silence, clipping) and errors (no device, device lost, cannot
open), and `finished` always comes with whatever was recorded.
"""

from __future__ import annotations

import enum
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtMultimedia import QMediaDevices

from app.speech.capture_worker import CaptureWorker, InputDevice, RecordingResult

log = logging.getLogger(__name__)


class State(enum.Enum):
    IDLE = "idle"
    RECORDING = "recording"
    STOPPING = "stopping"


def list_inputs() -> list[InputDevice]:
    default = QMediaDevices.defaultAudioInput()
    return [
        InputDevice(bytes(d.id().data()).decode(errors="replace"), d.description(), d.id() == default.id())
        for d in QMediaDevices.audioInputs()
    ]


class Recorder(QObject):
    """What the GUI uses. Lives in the GUI thread; the device work happens on its own thread."""

    level = Signal(float, float)
    elapsed = Signal(float)
    chunk = Signal(object)
    warning = Signal(str)
    error = Signal(str)
    finished = Signal(object)  # RecordingResult, or None when nothing was kept (abort, no device)
    stateChanged = Signal(object)

    _start = Signal(str, str)
    _stop = Signal()
    _abort = Signal()
    _lost = Signal()

    def __init__(self, parent: QObject | None = None, lead_trim_s: float = 0.3, tail_s: float = 0.5) -> None:
        super().__init__(parent)
        self.state = State.IDLE
        self.device_id = ""
        self._thread = QThread()
        self._thread.setObjectName("capture")
        self._worker = CaptureWorker(lead_trim_s, tail_s)
        self._worker.moveToThread(self._thread)
        self._start.connect(self._worker.start)
        self._stop.connect(self._worker.stop)
        self._abort.connect(self._worker.abort)
        self._lost.connect(self._worker.device_lost)
        self._worker.level.connect(self.level)
        self._worker.elapsed.connect(self.elapsed)
        self._worker.chunk.connect(self.chunk)
        self._worker.warning.connect(self.warning)
        self._worker.error.connect(self.error)
        self._worker.finished.connect(self._on_finished)
        self._inputs = AudioInputs(self)
        self._inputs.changed.connect(self._on_inputs_changed)
        self._thread.start()

    def start(self, path: Path, device_id: str = "") -> None:
        if self.state is not State.IDLE:
            return
        self.device_id = device_id or self._resolved_default()
        self._set_state(State.RECORDING)
        self._start.emit(str(path), self.device_id)

    def stop(self) -> None:
        if self.state is State.RECORDING:
            self._set_state(State.STOPPING)
            self._stop.emit()

    def abort(self) -> None:
        if self.state is not State.IDLE:
            self._abort.emit()

    def shutdown(self) -> None:
        """Stop the capture thread; call before the application quits."""
        self.abort()
        self._thread.quit()
        self._thread.wait(3000)

    @staticmethod
    def _resolved_default() -> str:
        d = QMediaDevices.defaultAudioInput()
        return bytes(d.id().data()).decode(errors="replace") if not d.isNull() else ""

    @Slot(list)
    def _on_inputs_changed(self, devices: list[InputDevice]) -> None:
        if self.state is not State.IDLE and self.device_id not in {d.id for d in devices}:
            self._lost.emit()

    @Slot(object)
    def _on_finished(self, result: RecordingResult | None) -> None:
        self._set_state(State.IDLE)
        self.finished.emit(result)

    def _set_state(self, state: State) -> None:
        self.state = state
        self.stateChanged.emit(state)


class AudioInputs(QObject):
    """The microphones, kept current as devices are plugged in and out.

    Qt's `audioInputsChanged` was not emitted when a PulseAudio source disappeared (measured), while
    the list itself was up to date, so the list is also compared once a second.
    """

    changed = Signal(list)  # list[InputDevice]

    def __init__(self, parent: QObject | None = None, poll_ms: int = 1000) -> None:
        super().__init__(parent)
        self._last = list_inputs()
        self._devices = QMediaDevices(self)
        self._devices.audioInputsChanged.connect(self._check)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._timer.start(poll_ms)

    def current(self) -> list[InputDevice]:
        return list(self._last)

    @Slot()
    def _check(self) -> None:
        now = list_inputs()
        if now != self._last:
            self._last = now
            self.changed.emit(now)
