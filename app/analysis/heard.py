"""Whether words quoted back to the person were heard clearly: a quote offered as praise or evidence
never rests on words the transcriber was unsure of. Tried as a new user would, "four depots" was
praised as "Quantified result: 'four deep'", and the person learned to distrust the praise.

Where a quote holds a word Whisper gave a low probability, the app picks another quote, or says "it
sounded like …" so that a mishearing reads as one, not as the person's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.analysis.types import Sentence

# Whisper's word probability below which a word is "unsure". Measured with tiny.en on the clips of
# ../shared/audio against their reference transcripts: below 0.6 are 7 of its 18 wrong words and 20 of
# its 353 right ones (below 0.5: 4 and 9). A right word quoted as "it sounded like" costs little; praise
# for a misheard one costs the person's trust, so the line sits at 0.6. Most misheard words are still
# heard with confidence: this catches some, not all.
UNSURE_BELOW = 0.6
_TOKEN = re.compile(r"[\w']+")


def _norm(text: str) -> str:
    return text.lower().strip(".,!?;:\"'()\u201c\u201d\u2019")


def unsure_in(
    sentences: Iterable[Sentence], start: float | None = None, end: float | None = None
) -> set[str]:
    """The words (lower case, no punctuation) heard with a low probability, within [start, end] if given."""
    out: set[str] = set()
    for s in sentences:
        for w in s.words:
            if w.probability >= UNSURE_BELOW:
                continue
            if start is not None and end is not None and (w.end < start - 0.01 or w.start > end + 0.01):
                continue
            out.add(_norm(w.text))
    return out


def heard_clearly(quote: str, unsure: set[str]) -> bool:
    return not any(t.lower() in unsure for t in _TOKEN.findall(quote))


def quoted(quote: str, sentences: Sequence[Sentence]) -> str:
    """The quote in quotation marks, or "it sounded like" and the quote when a word of it was unsure."""
    marked = f"\u201c{quote}\u201d"
    return marked if heard_clearly(quote, unsure_in(sentences)) else f"it sounded like {marked}"
