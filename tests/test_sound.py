"""How it sounded (issue 26, item 4): a monotone voice, a voice fading at the ends of sentences and an
answer getting quieter are each told apart from the same answer said otherwise (tests/data/audio/sound),
after the app's own transcription; each point sits at its moment and never makes an answer Hard."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis import sentences as sent
from app.analysis.analyze import analyze, every_rule, with_hesitations
from app.analysis.sound import measure_sound
from app.bank.questions import Bank
from app.schedule.grades import grade_of
from app.speech.audio import decode_audio
from app.speech.transcribe import make_transcriber

CLIPS = Path(__file__).parent / "data" / "audio" / "sound"


@pytest.fixture(scope="module")
def told(bank: Bank) -> dict[str, set[str]]:
    engine = make_transcriber("whisper", None)
    out = {}
    for name in ("steady", "fading", "quieter", "flat", "lively"):
        samples = decode_audio(CLIPS / f"{name}.flac")
        first = analyze(
            sent.from_transcript(engine.transcribe(samples)), bank, bank.by_id("q09"), engine="whisper"
        )
        refined = with_hesitations(first, None, bank.by_id("q09"), measure_sound(samples, first.sentences))
        out[name] = every_rule(refined)
        assert (
            grade_of(refined) >= grade_of(first) or grade_of(refined) >= 3
        )  # how it sounded never makes it Hard
    return out


def test_a_monotone_voice_is_told_and_a_lively_one_is_not(told: dict[str, set[str]]) -> None:
    # Pitch spread on this machine: flat 0.34 semitones, lively 2.43, steady 2.64; the line is 1.0.
    assert "monotone" in told["flat"]
    assert "monotone" not in told["lively"] and "monotone" not in told["steady"]


def test_a_voice_fading_at_the_ends_of_sentences_is_told(told: dict[str, set[str]]) -> None:
    # 9.4 dB for the faded clip, 0.9 dB for the steady one; the line is 6 dB.
    assert "fading" in told["fading"] and "fading" not in told["steady"]


def test_an_answer_getting_quieter_is_told(told: dict[str, set[str]]) -> None:
    # 9.1 dB against -0.4 dB; the line is 6 dB.
    assert "quieter" in told["quieter"] and "quieter" not in told["steady"]
