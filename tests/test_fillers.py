"""Fillers counted honestly (issue 15): Whisper drops nearly every "um" and "uh"; a second listen
with a filler-keeping prompt finds them, with their times, and the feedback stops saying "at least"."""

from __future__ import annotations

import re
from pathlib import Path

from app.analysis import sentences as sent
from app.analysis.analyze import analyze, relabel, with_hesitations
from app.analysis.delivery import measure_delivery
from app.analysis.evidence import hesitations_in
from app.analysis.types import Sentence
from app.bank.questions import builtin_bank_path, load_bank
from app.speech.audio import decode_audio
from app.speech.fillers import second_listen
from app.speech.transcribe import WhisperTranscriber
from app.speech.transcript import Word

# Made for these tests with a neural voice (piper, en_US joe) from the text beside it: 6 fillers.
CLIP = Path(__file__).parent / "data" / "audio" / "fillers_spoken.flac"


def _said(text: str, start: float = 0.0) -> Sentence:
    words = tuple(Word(" " + w, start + k * 0.4, start + k * 0.4 + 0.3) for k, w in enumerate(text.split()))
    return Sentence(text, words[0].start, words[-1].end, words, "action")


def test_the_second_listen_replaces_the_transcripts_hesitations_and_keeps_the_rest() -> None:
    s = _said("So I called, you know, the um day team")  # the transcript heard one "um"
    heard = (Word(" um", 0.2, 0.3), Word(" Uh,", 1.3, 1.5), Word(" um", 2.4, 2.6))
    first = measure_delivery([s], engine="whisper")
    second = measure_delivery([s], engine="whisper", hesitations=heard)
    assert [f.kind for f in first.fillers] == ["you know", "um"] and first.fillers_lower_bound
    kinds = [(f.kind, round(f.start, 2)) for f in second.fillers]
    assert kinds == [("um", 0.2), ("you know", 1.2), ("uh", 1.3), ("um", 2.4)]
    assert not second.fillers_lower_bound


def test_a_label_corrected_before_or_after_the_second_listen_is_kept() -> None:
    bank = load_bank(builtin_bank_path())
    q = bank.by_id("q09")
    text = "We were behind on orders.\nSo, I called the day team.\nWe shipped everything by six."
    a = analyze(sent.from_text(text, lines=True), bank, q, engine="whisper")
    fixed = relabel(a, 0, "situation" if a.sentences[0].section != "situation" else "task", q)
    heard = (Word(" um", a.sentences[1].start + 0.1, a.sentences[1].start + 0.3),)
    both = with_hesitations(fixed, heard, q)
    assert both.corrections == fixed.corrections and both.hesitations == heard
    assert [f.kind for f in both.delivery.fillers] == ["um"] and not both.delivery.fillers_lower_bound
    again = relabel(both, 2, "result", q)  # a correction after the listen keeps its fillers
    assert again.delivery.fillers == both.delivery.fillers


def test_whisper_hears_the_fillers_on_the_second_listen(whisper: WhisperTranscriber) -> None:
    """Measured over 35 development fillers: 0 in the transcript, 31 on the second listen. Half of this
    clip's 6 is a floor that holds across CPUs."""
    said = len(re.findall(r"\b(um|uh)\b", CLIP.with_suffix(".txt").read_text(encoding="utf-8"), re.I))
    samples = decode_audio(CLIP)
    transcript = whisper.transcribe(samples)
    heard = second_listen(whisper, samples)  # every word; the analysis keeps the "um"/"uh"
    assert heard is not None
    words = hesitations_in(heard)
    first = sum(w.text.strip(" ,.").lower() in ("um", "uh") for w in transcript.words)
    assert said == 6 and said / 2 <= len(words) <= said
    assert first < len(words)
    assert all(0 <= w.start <= w.end <= len(samples) / 16000 + 0.5 for w in words), words
