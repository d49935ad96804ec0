"""Filler recall: how many spoken "um"/"uh" the transcript keeps, and how many the second listen
(app/speech/fillers.py) finds, on recordings whose text is known.

    python -m bench.fillers FOLDER     # FOLDER holds NAME.wav (or .flac) beside NAME.txt

The recordings are not in the repository: tests/data/fillers_test.json holds the 12 answers (83
fillers) written for the test figure; they were spoken with piper-tts (en_US joe) into FOLDER.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from app.analysis.evidence import clean_token, hesitations_in
from app.analysis.spoken_words import FILLER_HESITATIONS
from app.speech.audio import decode_audio
from app.speech.fillers import second_listen
from app.speech.transcribe import WhisperTranscriber


def score(folder: Path) -> dict[str, float | int]:
    engine = WhisperTranscriber()
    engine.load()
    said = first = second = extra = 0
    seconds = spent = 0.0
    for text in sorted(folder.glob("*.txt")):
        audio = next((p for p in (text.with_suffix(".wav"), text.with_suffix(".flac")) if p.exists()), None)
        if audio is None:
            continue
        n = len(re.findall(r"\b(um|uh)\b", text.read_text(encoding="utf-8"), re.I))
        samples = decode_audio(audio)
        seconds += len(samples) / 16000
        heard = sum(
            bool(FILLER_HESITATIONS.fullmatch(clean_token(w.text))) for w in engine.transcribe(samples).words
        )
        started = time.perf_counter()
        found = len(hesitations_in(second_listen(engine, samples) or ()))
        spent += time.perf_counter() - started
        said, first, second = said + n, first + min(heard, n), second + min(found, n)
        extra += max(0, found - n)
    return {
        "fillers_n": said,
        "filler_recall_transcript": round(first / said, 3) if said else 0.0,
        "filler_recall_second_listen": round(second / said, 3) if said else 0.0,
        "fillers_extra_second_listen": extra,
        "second_listen_rtf": round(spent / seconds, 3) if seconds else 0.0,
    }


if __name__ == "__main__":
    print(score(Path(sys.argv[1])))
