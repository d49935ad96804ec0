"""How it sounded (issue 26, item 4): each measure on the clips made for it (tests/data/audio/sound,
tests/data/audio/pace), after the app's own transcription, and how long the measuring takes."""

from __future__ import annotations

import time

from bench.common import ROOT, Figures

CLIPS = ROOT / "tests" / "data" / "audio"


def bench_sound() -> Figures:
    from app.analysis import sentences as sent
    from app.analysis.delivery import measure_delivery
    from app.analysis.sound import measure_sound
    from app.speech.audio import decode_audio
    from app.speech.transcribe import make_transcriber

    engine = make_transcriber("whisper", None)
    out: Figures = {}
    seconds = audio = 0.0
    for name in ("steady", "fading", "quieter", "flat", "lively"):
        samples = decode_audio(CLIPS / "sound" / f"{name}.flac")
        sentences = sent.from_transcript(engine.transcribe(samples))
        t0 = time.perf_counter()
        s = measure_sound(samples, sentences)
        seconds += time.perf_counter() - t0
        audio += len(samples) / 16_000
        assert s is not None
        out[f"sound_{name}_pitch_spread_st"] = round(s.pitch_spread or 0.0, 2)
        out[f"sound_{name}_monotone_s"] = round(sum(b - a for a, b in s.monotone), 1)
        out[f"sound_{name}_fade_db"] = round(s.fade_db or 0.0, 1)
        out[f"sound_{name}_quieter_db"] = round(s.quieter_db or 0.0, 1)
    out["sound_measure_s_per_minute"] = round(seconds / audio * 60, 2)
    for name in ("test_steady", "test_speeding"):
        d = measure_delivery(
            sent.from_transcript(engine.transcribe(decode_audio(CLIPS / "pace" / f"{name}.flac")))
        )
        if d.first_third_wpm and d.last_third_wpm:
            out[f"pace_{name}_drift"] = round(d.last_third_wpm / d.first_third_wpm - 1, 3)
    return out
