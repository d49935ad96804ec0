"""Speeding up under pressure (issue 26, item 4): the same answer spoken steadily and speeding up, by a
natural voice (tests/data/audio/pace), transcribed by the app's model; only the second is told."""

from __future__ import annotations

from pathlib import Path

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.bank.questions import Bank
from app.speech.audio import decode_audio
from app.speech.transcribe import make_transcriber

CLIPS = Path(__file__).parent / "data" / "audio" / "pace"


def test_an_answer_that_speeds_up_is_told_and_a_steady_one_is_not(bank: Bank) -> None:
    engine = make_transcriber("whisper", None)
    told = {}
    drift = {}
    for name in ("test_steady", "test_speeding"):
        heard = engine.transcribe(decode_audio(CLIPS / f"{name}.flac"))
        result = analyze(sent.from_transcript(heard), bank, bank.by_id("q09"), engine="whisper")
        d = result.delivery
        assert d.first_third_wpm and d.last_third_wpm
        drift[name] = d.last_third_wpm / d.first_third_wpm - 1
        from app.analysis.analyze import every_rule

        told[name] = "speeding_up" in every_rule(result)
    # On this machine +9 % and +51 % against a line at +25 %: margins that hold on other CPUs.
    assert drift["test_speeding"] > drift["test_steady"] + 0.2, drift
    assert told == {"test_steady": False, "test_speeding": True}, drift
