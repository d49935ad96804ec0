"""Transcribe while the person is still talking, so that after Stop only the last stretch is left.

Measured with tiny.en (notes/FINDINGS.md): stretches cut at pauses near 20-30 s keep the whole-file
word error rate and leave ~0.8 s of work after Stop; fixed 10 s chunks cut words in half and lost 6
points. No previous-text prompt: it sent Whisper into repetition loops in 4 of 28 runs.

A stretch is only transcribed once it closes, so alone it would show words up to 30 s late. While it
is open, its newest few seconds are transcribed again every ~2 s (`provisional`) for the screen only:
the analysed and saved transcript is still made of the whole stretches.
"""

from __future__ import annotations

import logging

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, Signal, Slot

from app.speech.audio import SAMPLE_RATE
from app.speech.provisional import Provisional
from app.speech.speech_thread import Segment, SpeechThread
from app.speech.transcript import Transcriber, Transcript, Word

log = logging.getLogger(__name__)
Samples = npt.NDArray[np.float32]

FRAME = 480  # 30 ms at 16 kHz


class Segmenter:
    """Cuts a growing recording into stretches of speech, each ended in the middle of a pause.

    A stretch is closed at the first pause of `pause_s` after `min_s` seconds; past `max_s` without
    one, it is cut at the quietest 30 ms of its last part, so a word is rarely split.
    """

    def __init__(self, min_s: float = 20.0, max_s: float = 30.0, pause_s: float = 0.45) -> None:
        self.min_frames = int(min_s * SAMPLE_RATE / FRAME)
        self.max_frames = int(max_s * SAMPLE_RATE / FRAME)
        self.pause_frames = max(1, int(pause_s * SAMPLE_RATE / FRAME))
        self._frames: list[Samples] = []  # whole 30 ms frames since the last cut
        self._energy: list[float] = []  # their mean square
        self._partial = np.zeros(0, dtype=np.float32)
        self._start = 0  # sample index of the first buffered frame

    def push(self, samples: Samples) -> list[Segment]:
        data = np.concatenate([self._partial, samples.astype(np.float32, copy=False)])
        whole = len(data) // FRAME * FRAME
        self._partial = data[whole:]
        out: list[Segment] = []
        for i in range(0, whole, FRAME):
            frame = data[i : i + FRAME]
            self._frames.append(frame)
            self._energy.append(float(np.mean(np.square(frame, dtype=np.float64))))
            cut = self._cut_point()
            if cut is not None:
                out.append(self._take(cut))
        return out

    def quiet_threshold(self) -> float | None:
        """What counts as quiet in this recording so far (as for a pause); None before any audio."""
        return self._threshold() if self._energy else None

    def open_stretch(self) -> Segment:
        """The audio since the last cut, not yet a stretch (for the provisional transcript)."""
        samples = np.concatenate([*self._frames, self._partial]) if self._frames else self._partial
        return Segment(self._start, samples.astype(np.float32, copy=False))

    def flush(self) -> Segment | None:
        """The rest of the recording (after Stop)."""
        tail = np.concatenate([*self._frames, self._partial]) if self._frames or len(self._partial) else None
        start = self._start
        self._frames, self._energy, self._partial = [], [], np.zeros(0, dtype=np.float32)
        if tail is None or len(tail) == 0:
            return None
        self._start += len(tail)
        return Segment(start, tail.astype(np.float32, copy=False))

    def _threshold(self) -> float:
        """Quiet = 12 dB above the noise floor (10th percentile), never above -40 dBFS."""
        floor = float(np.percentile(self._energy, 10))
        return min(max(floor * 10**1.2, 10**-6.0), 10**-4.0)

    def _cut_point(self) -> int | None:
        n = len(self._frames)
        if n < self.min_frames:
            return None
        threshold = self._threshold()
        recent = self._energy[-self.pause_frames :]
        if n >= self.min_frames and all(e < threshold for e in recent):
            return n - self.pause_frames // 2  # the middle of the pause so far
        if n >= self.max_frames:
            window = self._energy[self.min_frames :]
            return self.min_frames + int(np.argmin(window)) + 1
        return None

    def _take(self, cut: int) -> Segment:
        seg = Segment(self._start, np.concatenate(self._frames[:cut]))
        self._start += cut * FRAME
        self._frames = self._frames[cut:]
        self._energy = self._energy[cut:]
        return seg


def quiet(samples: Samples, threshold: float | None) -> bool:
    """No 30 ms of `samples` rises above `threshold` (Segmenter.quiet_threshold)."""
    whole = len(samples) // FRAME * FRAME
    if threshold is None or not whole:
        return threshold is not None
    frames = samples[:whole].reshape(-1, FRAME).astype(np.float64)
    return bool(np.all(np.mean(np.square(frames), axis=1) < threshold))


def merge(parts: list[Transcript], audio_seconds: float) -> Transcript:
    """One transcript from the stretches, in order."""
    words: list[Word] = [w for p in parts for w in p.words]
    first = parts[0] if parts else None
    notes = tuple(dict.fromkeys(n for p in parts for n in p.notes))
    return Transcript(
        words=tuple(words),
        text=" ".join(p.text.strip() for p in parts if p.text.strip()),
        engine=first.engine if first else "",
        model=first.model if first else "",
        audio_seconds=audio_seconds,
        elapsed_seconds=sum(p.elapsed_seconds for p in parts),
        nothing_heard=not words,
        notes=notes,
    )


# New audio between two provisional looks, and at least twice the last look's time, so that on a busy
# machine the looks take at most half of the transcription thread and the stretches (and the last one,
# after Stop) are not kept waiting behind them: back to back, under another program's load, 25 s
# stretches took 12 s each (bench.window). Only one look runs at a time, never beside a stretch's
# transcription. A limit by the looks' CPU time was tried: the meaning model's encoding after each
# stretch, on another thread of the process, counted in it and held the looks off for 20 s.
LOOK_EVERY_S = 2.0


class StreamingTranscriber(QObject):
    """Feed it the recorder's chunks; it emits the growing transcript and, after finish(), the whole.

    `finished` carries the merged Transcript; `error` a message the UI can show as it is.
    """

    partial = Signal(object)  # Transcript so far (the closed stretches: what is analysed)
    provisional = Signal(object)  # Transcript of what is not in `partial` yet, for the screen only
    finished = Signal(object)  # Transcript
    error = Signal(str)
    ready = Signal()  # the model is loaded

    _run = Signal(int, object)
    _look = Signal(int, object)

    def __init__(
        self,
        engine: Transcriber,
        parent: QObject | None = None,
        *,
        speech: SpeechThread | None = None,
        **segmenter: float,
    ) -> None:
        """`speech`: the engine's thread, started (and its model loading) at launch; else one is made."""
        super().__init__(parent)
        self._segmenter_args = segmenter
        if speech is not None and speech.engine is not engine:
            raise ValueError("the speech thread runs another engine")
        self._speech = speech or SpeechThread(engine)
        self._worker = self._speech.worker
        self._run.connect(self._worker.run)
        self._look.connect(self._worker.look)
        self._worker.loaded.connect(self.ready)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.looked.connect(self._on_looked)
        self._looking: tuple[int, int] | None = None  # (job, end sample) of the look under way
        self._look_every = LOOK_EVERY_S
        self._reset()

    def _reset(self) -> None:
        self._segmenter = Segmenter(**self._segmenter_args)
        self._results: dict[int, Transcript] = {}
        self._jobs = 0
        self._samples = 0
        self._finishing = False
        self._looked_at = 0  # samples heard at the last provisional look
        self._stopping = False  # Stop was pressed; the recorder still listens a moment
        self._after_stop: list[Samples] = []
        self._quiet_below: float | None = None
        self._provisional = Provisional()
        self.failures: list[str] = []  # why stretches of this answer could not be transcribed
        self._generation = getattr(self, "_generation", 0) + 1

    def load(self) -> None:
        """Load the model off the GUI thread (call early: a practice should not wait for it)."""
        self._speech.load()

    def begin(self) -> None:
        """A new answer starts."""
        self._reset()

    @Slot(object)
    def feed(self, samples: Samples) -> None:
        if self._finishing:
            return
        self._samples += len(samples)
        if self._stopping:
            self._after_stop.append(samples)
            return
        for seg in self._segmenter.push(samples):
            self._submit(seg)
        self._maybe_look()

    def stopping(self) -> None:
        """Stop was pressed. The recorder listens half a second more (people press Stop as they say
        the last word); the open stretch's transcription starts now, and `finish` keeps it when that
        half second was quiet, as it nearly always is, instead of starting it then."""
        if self._finishing or self._stopping:
            return
        self._stopping = True
        self._quiet_below = self._segmenter.quiet_threshold()
        tail = self._segmenter.flush()
        if tail is not None:
            self._submit(tail)

    def finish(self) -> None:
        """No more audio: transcribe the tail, then emit `finished`."""
        if self._finishing:
            return
        self._finishing = True
        self._looked_at = self._samples
        if self._stopping:  # the open stretch is being transcribed: only speech after Stop is left
            extra = np.concatenate(self._after_stop) if self._after_stop else np.zeros(0, np.float32)
            if not quiet(extra, self._quiet_below):  # speech after Stop: a last stretch of its own
                self._segmenter.push(extra)
        tail = self._segmenter.flush()
        if tail is not None:
            self._submit(tail)
        self._maybe_finished()

    def cancel(self) -> None:
        """Forget the current answer; late results of it are ignored."""
        self._reset()

    def shutdown(self) -> None:
        self._speech.shutdown()

    def _submit(self, seg: Segment) -> None:
        self._provisional.closed(self._jobs, seg.start + len(seg.samples))
        job = self._generation * 1_000_000 + self._jobs
        self._jobs += 1
        self._run.emit(job, seg)

    def _maybe_look(self) -> None:
        """A provisional look when the worker has nothing else to do and enough new audio came."""
        busy = self._looking is not None or len(self._results) < self._jobs
        if (
            busy
            or self._finishing
            or self._stopping
            or self._samples - self._looked_at < self._look_every * SAMPLE_RATE
        ):
            return
        open_stretch = self._segmenter.open_stretch()
        span = self._provisional.window(open_stretch.start, len(open_stretch.samples))
        if span is None:
            return
        first, end = span
        self._looked_at = self._samples
        job = self._generation * 1_000_000 + self._provisional.stretch
        self._looking = (job, end)
        self._look.emit(job, Segment(first, open_stretch.samples[first - open_stretch.start :]))

    @Slot(int, object, float)
    def _on_looked(self, job: int, transcript: Transcript | None, cpu_s: float) -> None:
        looking, self._looking = self._looking, None
        log.debug("provisional look: %.2f s of CPU", cpu_s)
        if transcript is not None:
            self._look_every = max(LOOK_EVERY_S, 2 * transcript.elapsed_seconds)
        if transcript is None or looking is None or job // 1_000_000 != self._generation:
            return
        if self._provisional.heard(job % 1_000_000, looking[1], transcript):
            self.provisional.emit(self._provisional.transcript())

    @Slot(int, object)
    def _on_done(self, job: int, transcript: Transcript) -> None:
        if job // 1_000_000 != self._generation:
            return  # a cancelled answer's stretch
        self._results[job % 1_000_000] = transcript
        self._provisional.transcribed(job % 1_000_000)
        self.partial.emit(self._merged())
        self.provisional.emit(self._provisional.transcript())
        self._maybe_finished()

    @Slot(int, str)
    def _on_failed(self, job: int, message: str) -> None:
        self.error.emit(message)
        if job >= 0 and job // 1_000_000 == self._generation:
            # Count the stretch as done (empty), so that the rest of the answer still arrives.
            self.failures.append(message)
            self._results[job % 1_000_000] = merge([], 0.0)
            self._provisional.transcribed(job % 1_000_000)
            self.provisional.emit(self._provisional.transcript())
            self._maybe_finished()

    def _merged(self) -> Transcript:
        parts = [self._results[i] for i in sorted(self._results)]
        return merge(parts, self._samples / SAMPLE_RATE)

    def _maybe_finished(self) -> None:
        if self._finishing and len(self._results) == self._jobs:
            self._finishing = False
            self.finished.emit(self._merged())
            self._segmenter = Segmenter(**self._segmenter_args)
