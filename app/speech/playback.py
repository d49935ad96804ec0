"""Playing audio files (questions, the user's own answers) behind an interface another backend can fill.

QMediaPlayer + QAudioOutput played a WAV to the end with the monitor matching the source at 0.99
(notes/FINDINGS.md); DESIGN.md asks for a small interface in case a platform misbehaves.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import (
    Q_ARG,
    QGenericArgumentHolder,
    QMetaObject,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtMultimedia import QAudioDevice, QAudioOutput, QMediaDevices, QMediaPlayer

log = logging.getLogger(__name__)

MIN_SPEED, MAX_SPEED = 0.75, 1.5  # slower or faster than this stops sounding like natural speech


class Player(Protocol):
    """What the UI needs from a player. Times are in seconds; every failure arrives as `error`."""

    @property
    def position(self) -> SignalInstance: ...  # (seconds: float), while playing
    @property
    def duration_changed(self) -> SignalInstance: ...  # (seconds: float), once the file is read
    @property
    def started(self) -> SignalInstance: ...  # sound is coming out for this play()
    @property
    def finished(self) -> SignalInstance: ...  # the end was reached (not sent on stop())
    @property
    def error(self) -> SignalInstance: ...  # (message: str), plain language, says what to do

    def play(self, path: Path) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def stop(self) -> None: ...
    def seek(self, seconds: float) -> None: ...
    def set_speed(self, speed: float) -> float: ...
    def speed(self) -> float: ...
    def set_volume(self, volume: float) -> None: ...
    def volume(self) -> float: ...
    def duration(self) -> float: ...
    def current_position(self) -> float: ...
    def is_playing(self) -> bool: ...


class QtPlayer(QObject):
    """`Player` on QMediaPlayer + QAudioOutput; follows the system's default output unless given one."""

    position = Signal(float)
    duration_changed = Signal(float)
    started = Signal()
    finished = Signal()
    error = Signal(str)

    def __init__(self, device: QAudioDevice | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._follow_default = device is None
        self._output = QAudioOutput(QMediaDevices.defaultAudioOutput() if device is None else device, self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._path: Path | None = None
        self._waiting_to_start = False
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_outputs_changed)
        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.errorOccurred.connect(self._on_error)

    # --- control ------------------------------------------------------------------------------

    def _control(self, method: str, *args: QGenericArgumentHolder) -> None:
        """Calls a QMediaPlayer slot without holding Python's lock (invokeMethod releases it).

        Called directly, `stop()` or `setSource()` blocks on a Qt lock that FFmpeg's thread holds
        while it asks for Python's lock to tear the old stream down: the app froze for good
        (in 18-82 rounds of "play a file, play another" on PySide6 6.11.3; none in 2,000 rounds this way).
        """
        QMetaObject.invokeMethod(self._player, method, Qt.ConnectionType.DirectConnection, *args)

    def play(self, path: Path) -> None:
        """Plays `path` from the start; problems are reported through `error`, never raised."""
        path = Path(path)
        self._control("stop")
        self._waiting_to_start = False
        self._path = path
        if not path.is_file():
            self._fail_later(self.tr("The audio file {0} is missing.").format(path.name))
            return
        if self._output.device().isNull() or not QMediaDevices.audioOutputs():
            self._fail_later(
                self.tr(
                    "No sound output device was found. Connect speakers or headphones, "
                    "or check the system's sound settings."
                )
            )
            return
        self._waiting_to_start = True
        self._control("setSource", Q_ARG(QUrl, QUrl.fromLocalFile(str(path.resolve()))))
        self._control("setPosition", Q_ARG("qint64", 0))
        self._control("play")

    def pause(self) -> None:
        self._control("pause")

    def resume(self) -> None:
        if self._player.playbackState() == QMediaPlayer.PlaybackState.PausedState:
            self._control("play")

    def stop(self) -> None:
        self._waiting_to_start = False
        self._control("stop")

    def seek(self, seconds: float) -> None:
        """Clamped to the file; works while playing, paused or stopped."""
        ms = max(0, round(seconds * 1000))
        if self._player.duration() > 0:
            ms = min(ms, self._player.duration())
        self._control("setPosition", Q_ARG("qint64", ms))

    def set_speed(self, speed: float) -> float:
        """Returns the speed actually used (0.75-1.5)."""
        speed = max(MIN_SPEED, min(MAX_SPEED, float(speed)))
        self._control("setPlaybackRate", Q_ARG(float, speed))
        return speed

    def speed(self) -> float:
        return float(self._player.playbackRate())

    def set_volume(self, volume: float) -> None:
        """0.0-1.0, linear."""
        self._output.setVolume(max(0.0, min(1.0, float(volume))))

    def volume(self) -> float:
        return float(self._output.volume())

    def duration(self) -> float:
        """Seconds; 0 until the file has been read."""
        return max(0, self._player.duration()) / 1000

    def current_position(self) -> float:
        return self._player.position() / 1000

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    # --- Qt's side ----------------------------------------------------------------------------

    def _fail_later(self, message: str) -> None:
        """Errors arrive from the event loop, like the decoder's, so callers may connect after play()."""
        log.warning("playback: %s", message)
        self._control("setSource", Q_ARG(QUrl, QUrl()))  # duration and position: not the previous file's
        QTimer.singleShot(0, self, lambda: self.error.emit(message))

    @Slot(int)
    def _on_position(self, ms: int) -> None:
        self.position.emit(ms / 1000)

    @Slot(int)
    def _on_duration(self, ms: int) -> None:
        self.duration_changed.emit(max(0, ms) / 1000)

    @Slot(QMediaPlayer.PlaybackState)
    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        if state == QMediaPlayer.PlaybackState.PlayingState and self._waiting_to_start:
            self._waiting_to_start = False
            self.started.emit()

    @Slot(QMediaPlayer.MediaStatus)
    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.position.emit(self.duration())
            self.finished.emit()

    @Slot(QMediaPlayer.Error, str)
    def _on_error(self, error: QMediaPlayer.Error, detail: str) -> None:
        self._waiting_to_start = False
        name = self._path.name if self._path else ""
        E = QMediaPlayer.Error
        if error in (E.ResourceError, E.FormatError):
            message = self.tr(
                "The audio file {0} cannot be played: it is damaged or not in a format that can be decoded."
            ).format(name)
        elif error == E.AccessDeniedError:
            message = self.tr("The audio file {0} cannot be opened: permission denied.").format(name)
        else:
            message = self.tr("The audio could not be played: {0}").format(detail or error.name)
        log.warning("playback of %s failed: %s (%s)", self._path, detail, error)
        self.error.emit(message)

    @Slot()
    def _on_outputs_changed(self) -> None:
        if self._follow_default:
            self._output.setDevice(QMediaDevices.defaultAudioOutput())
