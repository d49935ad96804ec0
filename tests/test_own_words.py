"""The person's own words heard right (issue 26, item 5): job jargon spoken by a natural voice
(tests/data/audio/jargon), transcribed with and without the person's words in Whisper's prompt."""

from __future__ import annotations

import json
from pathlib import Path

from app.speech.audio import decode_audio
from app.speech.transcribe import make_transcriber
from app.speech.vocabulary import own_words
from bench.wer import normalize

CLIPS = Path(__file__).parent / "data" / "audio" / "jargon"


def test_a_jobs_own_words_are_heard_better_when_the_transcriber_is_given_them() -> None:
    data = json.loads((CLIPS / "jargon.json").read_text(encoding="utf-8"))
    engine = make_transcriber("whisper", None)
    heard = {False: 0, True: 0}
    terms = 0
    for answer in data["answers"]:
        samples = decode_audio(CLIPS / f"{answer['id']}.flac")
        said = {}
        for given in (False, True):
            engine.own_words = own_words(answer["own_words"]) if given else None  # type: ignore[attr-defined]
            said[given] = f" {normalize(engine.transcribe(samples).text)} "
        for term in (t.strip() for t in answer["own_words"].split(",")):
            terms += 1
            for given in (False, True):
                heard[given] += f" {normalize(term)} " in said[given]
    # On this machine 28 of 36 without, 34 with: the margin holds on other CPUs' int8 kernels.
    assert heard[True] >= heard[False] + 3, (heard, terms)
    assert heard[True] >= 0.8 * terms, (heard, terms)
