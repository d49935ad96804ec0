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


class Provisional:
    """Keeps the provisional words in order: those of closed stretches waiting for their transcript,
    then those of the open one (settled, then the newest look's)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._pending: dict[int, tuple[Word, ...]] = {}  # closed stretch index -> its provisional words
        self._settled: list[Word] = []
        self._tail: tuple[Word, ...] = ()
        self._from = 0  # sample where the next look starts
        self.stretch = 0  # index of the open stretch

    def window(self, start: int, samples_len: int) -> tuple[int, int] | None:
        """The span (first sample, end sample) of the open stretch to transcribe now, or None."""
        first = max(start, self._from)
        end = start + samples_len
        return (first, end) if end - first >= MIN_WINDOW_S * SAMPLE_RATE else None

    def heard(self, stretch: int, end: int, transcript: Transcript) -> bool:
        """A look at the open stretch up to sample `end`; False when that stretch has closed since."""
        if stretch != self.stretch:
            return False
        words = list(transcript.words)
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
        self._settled, self._tail = [], ()
        self._from = max(self._from, end)
        self.stretch = stretch + 1

    def transcribed(self, stretch: int) -> None:
        self._pending.pop(stretch, None)

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
