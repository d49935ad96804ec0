"""A second listen to the finished answer that keeps "um" and "uh", used only to count them.

Whisper leaves out nearly every hesitation (none of 35 in the development clips), so the app could only
say "at least N". Prompted with text that has fillers in it, the same model writes them down: 31 of 35
on the development clips (`bench/fillers.py` says how it was measured), and none on the same stories
told without them. The first transcript stays what the person reads; this pass runs in the background
after the feedback is shown. It returns every word it heard; the analysis keeps and counts the
"um"/"uh" (app.analysis.evidence.hesitations_in), so that what counts as a filler is said in one place.
"""

from __future__ import annotations

from app.speech.audio import Samples
from app.speech.transcript import Word

# Chosen on the development clips (recall: no prompt 0/35; "Umm, let me think like, hmm… Okay, here's
# what I'm, like, thinking." 28/35; this one 31/35).
FILLER_PROMPT = "So, um, I was, uh, working there and, um, we had, uh, a problem."


def second_listen(engine: object, samples: Samples) -> tuple[Word, ...] | None:
    """Every word heard in `samples` (16 kHz mono) by a listen prompted to keep "um" and "uh", with
    their times; None when the engine cannot be prompted (Sphinx), and the transcript's own count
    stands."""
    from app.speech.transcribe import WhisperTranscriber

    if not isinstance(engine, WhisperTranscriber):
        return None
    return engine.transcribe(samples, prompt=FILLER_PROMPT).words
