"""The words shown while a stretch is still open: quick, provisional, replaced by the stretch's own
transcript when it closes (app.speech.streaming).

Only the newest few seconds are transcribed each time: tiny.en's cost grows with the words it decodes
(here 1.1 s for 6 s of speech, 3.5 s for 30 s, under load), so re-reading the whole open stretch every
2 s would keep both cores busy. Words that ended `SETTLE_S` before the end of what was heard are kept as
they are, and the next look starts in the pause after them, so a word is not cut in two.
"""

from __future__ import annotations

from app.speech.audio import SAMPLE_RATE
from app.speech.transcript import Transcript, Word

SETTLE_S = 3.0  # a word this far from the end of the audio heard is not read again
MIN_WINDOW_S = 1.5  # less than this is not worth a look (and Whisper invents words in short scraps)
# At most this much per look: a look a stretch's cut made stale, or one on a busy machine, would otherwise
# grow to the whole open stretch, and Stop waits for the look under way (bench.window, load 7 on 2 cores:
# stretches of 25 s took 12 s, and the looks fell silent for the rest of the answer).
MAX_WINDOW_S = 8.0


class Provisional:
    """Keeps the provisional words in order: those of closed stretches waiting for their transcript,
    then those of the open one (settled, then the newest look's)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._pending: dict[int, tuple[Word, ...]] = {}  # closed stretch index -> its provisional words
        self._cuts: dict[int, float] = {}  # closed stretch index -> where it ended (seconds)
        self._settled: list[Word] = []
        self._tail: tuple[Word, ...] = ()
        self._from = 0  # sample where the next look starts
        self.stretch = 0  # index of the open stretch

    def window(self, start: int, samples_len: int) -> tuple[int, int] | None:
        """The span (first sample, end sample) of the open stretch to transcribe now, or None."""
        end = start + samples_len
        first = max(start, self._from, end - int(MAX_WINDOW_S * SAMPLE_RATE))
        return (first, end) if end - first >= MIN_WINDOW_S * SAMPLE_RATE else None

    def heard(self, stretch: int, end: int, transcript: Transcript) -> bool:
        """A look at the open stretch up to sample `end`; False when it brought nothing still shown.
        A look the stretch's cut overtook still shows its words, on each side of the cut."""
        words = list(transcript.words)
        if stretch != self.stretch:
            if stretch not in self._pending or not words:
                return False
            cut = self._cuts[stretch]
            kept = [w for w in self._pending[stretch] if w.start < words[0].start]
            self._pending[stretch] = (*kept, *(w for w in words if w.start < cut))
            if stretch == self.stretch - 1 and not self._settled and not self._tail:
                self._tail = tuple(w for w in words if w.start >= cut)
            return True
        settle_before = end / SAMPLE_RATE - SETTLE_S
        n = 0
        while n < len(words) and words[n].end <= settle_before:
            n += 1
        if n:
            last = words[n - 1]
            after = words[n].start if n < len(words) else last.end + 0.2
            self._from = max(self._from, int((last.end + after) / 2 * SAMPLE_RATE))
            self._settled += words[:n]
        self._tail = tuple(words[n:])
        return True

    def closed(self, stretch: int, end: int) -> None:
        """Stretch `stretch` closed at sample `end`: its words wait for its transcript; the next starts."""
        cut = end / SAMPLE_RATE
        self._pending[stretch] = tuple(w for w in (*self._settled, *self._tail) if w.start < cut)
        self._cuts[stretch] = cut
        self._settled, self._tail = [], ()
        self._from = max(self._from, end)
        self.stretch = stretch + 1

    def transcribed(self, stretch: int) -> None:
        self._pending.pop(stretch, None)
        self._cuts.pop(stretch, None)

    def words(self) -> tuple[Word, ...]:
        waiting = [w for k in sorted(self._pending) for w in self._pending[k]]
        return (*waiting, *self._settled, *self._tail)

    def transcript(self) -> Transcript:
        words = self.words()
        return Transcript(
            words=words,
            text=" ".join(w.text.strip() for w in words),
            engine="",
            model="",
            audio_seconds=0.0,
            elapsed_seconds=0.0,
            nothing_heard=not words,
        )
