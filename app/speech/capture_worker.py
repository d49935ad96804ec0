"""The microphone's side of a recording, on its own thread: QAudioSource blocks converted to 16 kHz mono
(libsoxr when the device cannot give that), streamed to a WAV on disk, levels and stalls reported;
app.speech.capture.Recorder drives it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QIODevice, QObject, QTimer, Signal, Slot
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices, QtAudio

from app.speech.audio import SAMPLE_RATE, rms_dbfs
from app.speech.wavfile import StreamingWavWriter

log = logging.getLogger(__name__)

SILENCE_DBFS = -50.0  # a 100 ms block quieter than this holds no speech from a working microphone


CLIP_LEVEL = 0.999


SILENT_WARNING_AFTER_S = 4.0


STALL_AFTER_S = 2.0  # no data this long from an "active" device: it is gone


# Exact digital zeros this long after speech: no working microphone sends them (its noise never stops);
# they come when the system moved the stream to another source (a sink's idle monitor) or the device
# died while the stream went on. A fault probe saw a 26-second tail of them saved as an answer.
DIGITAL_SILENCE_AFTER_SPEECH_S = 3.0


@dataclass(frozen=True)
class InputDevice:
    id: str
    name: str
    is_default: bool


@dataclass(frozen=True)
class RecordingResult:
    path: Path
    seconds: float
    peak: float  # 0..1 over the whole take
    loudest_block_dbfs: float
    clipped_fraction: float
    silent: bool  # nothing louder than the silence threshold: do not transcribe, say so
    device_lost: bool = False
    error: str = ""


def find_device(device_id: str) -> QAudioDevice | None:
    devices = QMediaDevices.audioInputs()
    if not devices:
        return None
    for d in devices:
        if device_id and bytes(d.id().data()).decode(errors="replace") == device_id:
            return d
    default = QMediaDevices.defaultAudioInput()
    return default if not default.isNull() else devices[0]


class _Converter:
    """Device format -> 16 kHz mono int16, for devices that refuse to deliver that directly.

    The rate is changed by libsoxr (python-soxr), streamed chunk by chunk: our own averaging and
    interpolation let a 10 kHz tone from a 44.1 kHz device through as a 6 kHz one only 1.5 dB down."""

    def __init__(self, fmt: QAudioFormat) -> None:
        import soxr

        self.rate = fmt.sampleRate()
        self.channels = max(1, fmt.channelCount())
        self.kind = fmt.sampleFormat()
        self._stream = (
            soxr.ResampleStream(self.rate, SAMPLE_RATE, 1, dtype="float32", quality="HQ")
            if self.rate != SAMPLE_RATE
            else None
        )

    def __call__(self, data: bytes) -> npt.NDArray[np.int16]:
        SF = QAudioFormat.SampleFormat
        if self.kind == SF.Int16:
            x = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
        elif self.kind == SF.Int32:
            x = np.frombuffer(data, dtype="<i4").astype(np.float32) / 2147483648.0
        elif self.kind == SF.Float:
            x = np.frombuffer(data, dtype="<f4").astype(np.float32)
        else:  # UInt8
            x = (np.frombuffer(data, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
        if self.channels > 1:
            x = x[: len(x) - len(x) % self.channels].reshape(-1, self.channels).mean(axis=1)
        x = self._resample(x)
        return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)

    def _resample(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        if self._stream is None:
            return x
        out: npt.NDArray[np.float32] = self._stream.resample_chunk(x)
        return out

    def flush(self) -> npt.NDArray[np.int16]:
        """The last few milliseconds the resampler still holds, at the end of a take."""
        if self._stream is None:
            return np.zeros(0, dtype=np.int16)
        x: npt.NDArray[np.float32] = self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
        return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)


class CaptureWorker(QObject):
    level = Signal(float, float)  # rms dBFS of the last block, peak 0..1
    elapsed = Signal(float)
    chunk = Signal(object)  # float32 16 kHz mono samples, for live transcription
    warning = Signal(str)
    error = Signal(str)
    finished = Signal(object)  # RecordingResult

    def __init__(self, lead_trim_s: float, tail_s: float) -> None:
        super().__init__()
        self._lead_trim = int(lead_trim_s * SAMPLE_RATE)
        self._tail_ms = int(tail_s * 1000)
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._writer: StreamingWavWriter | None = None
        self._convert: _Converter | None = None
        self._watchdog: QTimer | None = None
        self._reset_stats()

    def _reset_stats(self) -> None:
        self._skipped = 0
        self._peak = 0.0
        self._loudest = -120.0
        self._clipped = 0
        self._last_data = time.monotonic()
        self._warned_silent = False
        self._warned_clip = False
        self._stopping = False
        self._zeros = 0  # exact-zero samples at the end of what was recorded

    @Slot(str, str)
    def start(self, path: str, device_id: str) -> None:
        self._reset_stats()
        device = find_device(device_id)
        if device is None:
            self.error.emit(
                self.tr(
                    "No microphone found. Plug one in, or check that it is enabled in your system's sound settings."
                )
            )
            self.finished.emit(None)
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(fmt):
            fmt = device.preferredFormat()  # converted to 16 kHz mono on the way in
        self._convert = _Converter(fmt)
        try:
            self._writer = StreamingWavWriter(Path(path))
        except OSError as e:
            self.error.emit(self.tr("Cannot create the recording file {0}: {1}").format(path, e.strerror))
            self.finished.emit(None)
            return
        source = QAudioSource(device, fmt, self)
        source.setBufferSize(max(fmt.bytesForDuration(250_000), 4096))  # 250 ms: ≥100 ms is clean
        self._source = source
        self._io = source.start()
        if source.error() != QtAudio.Error.NoError or self._io is None:
            self._fail(
                self.tr(
                    "The microphone “{0}” could not be opened. Another program may be using it, or the "
                    "system denied access: check your privacy or permission settings, then try again."
                ).format(device.description())
            )
            return
        self._io.readyRead.connect(self._read)
        self._watchdog = QTimer(self)
        self._watchdog.timeout.connect(self._check_stall)
        self._watchdog.start(250)
        log.info("recording from %s at %s Hz into %s", device.description(), fmt.sampleRate(), path)

    @Slot()
    def _read(self) -> None:
        if self._io is None or self._writer is None or self._convert is None:
            return
        data = bytes(self._io.readAll().data())
        if not data:
            return
        self._last_data = time.monotonic()
        pcm = self._convert(data)
        if self._skipped < self._lead_trim:  # the click of the key that started the take
            cut = min(self._lead_trim - self._skipped, len(pcm))
            self._skipped += cut
            pcm = pcm[cut:]
        if not len(pcm):
            return
        try:
            self._writer.write(pcm)
        except OSError as e:
            self._fail(
                self.tr(
                    "Recording stopped: the disk refused more audio ({0}). What you said so far is kept."
                ).format(e.strerror)
            )
            return
        x = pcm.astype(np.float32) / 32768.0
        block_peak = float(np.max(np.abs(x)))
        block_db = rms_dbfs(x)
        self._peak = max(self._peak, block_peak)
        self._loudest = max(self._loudest, block_db)
        self._clipped += int(np.count_nonzero(np.abs(x) >= CLIP_LEVEL))
        self.level.emit(block_db, block_peak)
        self.elapsed.emit(self._writer.seconds)
        self.chunk.emit(x)
        self._warn_if_needed()
        self._check_digital_silence(pcm)

    def _check_digital_silence(self, pcm: npt.NDArray[np.int16]) -> None:
        nonzero = np.flatnonzero(pcm)
        self._zeros = self._zeros + len(pcm) if not len(nonzero) else len(pcm) - 1 - int(nonzero[-1])
        heard_speech = self._loudest >= SILENCE_DBFS
        if heard_speech and self._zeros >= DIGITAL_SILENCE_AFTER_SPEECH_S * SAMPLE_RATE:
            assert self._writer is not None
            kept = (self._writer.frames - self._zeros) / SAMPLE_RATE
            self._fail(
                self.tr(
                    "The microphone stopped sending sound after {0:.0f} seconds: it was disconnected, "
                    "muted, or the system switched to another input. Your answer up to then is kept. "
                    "Check the microphone in Settings, then try again."
                ).format(kept),
                device_lost=True,
            )

    def _warn_if_needed(self) -> None:
        assert self._writer is not None
        secs = self._writer.seconds
        if not self._warned_silent and secs >= SILENT_WARNING_AFTER_S and self._loudest < SILENCE_DBFS:
            self._warned_silent = True
            self.warning.emit(
                self.tr(
                    "We hear nothing from the microphone. Is it muted, or is another one selected in Settings?"
                )
            )
        if not self._warned_clip and self._writer.frames and self._clipped / self._writer.frames > 0.002:
            self._warned_clip = True
            self.warning.emit(
                self.tr(
                    "Your voice is too loud for the microphone (it clips). Move back a little or lower its gain."
                )
            )

    @Slot()
    def _check_stall(self) -> None:
        if self._source is not None and time.monotonic() - self._last_data > STALL_AFTER_S:
            self.device_lost()

    @Slot()
    def stop(self) -> None:
        """Keep listening a moment: people stop talking and press the key at the same instant."""
        if self._source is None or self._stopping:
            return
        self._stopping = True
        QTimer.singleShot(self._tail_ms, self._finish)

    @Slot()
    def abort(self) -> None:
        self._teardown()
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        self.finished.emit(None)

    @Slot()
    def device_lost(self) -> None:
        if self._source is None:
            return
        secs = self._writer.seconds if self._writer else 0.0
        self._fail(
            self.tr(
                "The microphone was disconnected. The first {0:.0f} seconds of your answer are kept. "
                "Reconnect it or choose another in Settings."
            ).format(secs),
            device_lost=True,
        )

    def _fail(self, message: str, device_lost: bool = False) -> None:
        self.error.emit(message)
        self._finish(error=message, device_lost=device_lost)

    @Slot()
    def _finish(self, error: str = "", device_lost: bool = False) -> None:
        if self._source is None and self._writer is None:
            return
        if self._io is not None and not error:
            self._read()  # what is still in the device buffer belongs to the answer
            if self._writer is not None and self._convert is not None:
                try:
                    self._writer.write(self._convert.flush())
                except OSError as e:  # the disk is full: what was written is kept
                    log.warning(
                        "the last milliseconds of %s were not written: %s", self._writer.partial_path, e
                    )
        self._teardown()
        writer, self._writer = self._writer, None
        if writer is None:
            self.finished.emit(None)
            return
        try:
            path = writer.close()
        except OSError as e:
            log.error("closing %s failed: %s", writer.partial_path, e)
            path = writer.partial_path
        frames = max(writer.frames, 1)
        self.finished.emit(
            RecordingResult(
                path=path,
                seconds=writer.seconds,
                peak=self._peak,
                loudest_block_dbfs=self._loudest,
                clipped_fraction=self._clipped / frames,
                silent=self._loudest < SILENCE_DBFS,
                device_lost=device_lost,
                error=error,
            )
        )

    def _teardown(self) -> None:
        if self._watchdog is not None:
            self._watchdog.stop()
            self._watchdog = None
        if self._source is not None:
            self._source.stop()
            self._source.deleteLater()
            self._source = None
        self._io = None
