"""The person's own words heard right (issue 26, item 5): clips of answers full of one job's jargon,
spoken by a natural voice (tests/data/audio/jargon/, texts and terms in jargon.json), transcribed by the
app's default model with and without the person's words in its prompt (app.speech.vocabulary).
Reports the share of the job's terms heard right, and the word error rate over the whole clips."""

from __future__ import annotations

import json

from bench.common import ROOT, Figures

CLIPS = ROOT / "tests" / "data" / "audio" / "jargon"


def bench_jargon() -> Figures:
    from app.speech.audio import decode_audio
    from app.speech.transcribe import make_transcriber
    from app.speech.vocabulary import own_words
    from bench.wer import normalize, word_error_rate

    data = json.loads((CLIPS / "jargon.json").read_text(encoding="utf-8"))
    engine = make_transcriber("whisper", None)
    engine.load()
    out: Figures = {}
    for label, use in (("without", False), ("with", True)):
        heard = terms = 0
        refs, hyps = [], []
        for answer in data["answers"]:
            own = answer["own_words"]
            engine.own_words = own_words(own) if use else None  # type: ignore[attr-defined]
            text = engine.transcribe(decode_audio(CLIPS / f"{answer['id']}.flac")).text
            ref = " ".join(s["text"] for s in answer["sentences"])
            refs.append(ref)
            hyps.append(text)
            said = f" {normalize(text)} "
            for term in (t.strip() for t in own.split(",")):
                if normalize(term) and normalize(term) in normalize(ref):
                    terms += 1
                    heard += f" {normalize(term)} " in said
        out[f"jargon_terms_heard_{label}"] = round(heard / terms, 3)
        out[f"jargon_wer_{label}"] = round(word_error_rate(" ".join(refs), " ".join(hyps)), 3)
    # Nothing gets worse elsewhere: the human clips of ../shared/audio, with every job's words set.
    from bench.common import audio
    from bench.speech import WER_CLIPS
    from bench.wer import align

    everyone = ", ".join(a["own_words"] for a in data["answers"])
    for label, words in (("without", None), ("with", own_words(everyone))):
        engine.own_words = words  # type: ignore[attr-defined]
        errors = n = 0
        for name in (n for names in WER_CLIPS.values() for n in names):
            ref = audio(name).with_suffix(".ref.txt").read_text(encoding="utf-8")
            a = align(ref, engine.transcribe(decode_audio(audio(name))).text)
            errors += a.substitutions + a.deletions + a.insertions
            n += a.reference_words
        out[f"shared_audio_wer_{label}_own_words"] = round(errors / n, 3)
        out["shared_audio_wer_n"] = n
    engine.own_words = None  # type: ignore[attr-defined]
    out["jargon_terms_n"] = terms
    out["jargon_words_n"] = sum(len(r.split()) for r in refs)
    return out
