"""Nothing leaves the machine: a practice's transcription and analysis open no network connection.

onnxruntime, which faster-whisper's voice-activity detector loads, carries Microsoft's telemetry client;
unasked it looked up mobile.events.data.microsoft.com about ten seconds after the model loaded. Every
connect() and sendto() of a child process that practises for a while is traced; only local (Unix)
sockets may appear.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SHARED

# The telemetry client uploads on a timer (the lookup came ~10 s after the model loaded): the child keeps
# transcribing and analysing for this long, so that such a timer has fired before it exits.
OBSERVE_S = 25

PRACTICE = """
import sys, time
from pathlib import Path
from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.bank.questions import builtin_bank_path, load_bank
from app.speech.audio import decode_audio
from app.speech.transcribe import WhisperTranscriber

engine = WhisperTranscriber()
engine.load()
bank = load_bank(builtin_bank_path())
clip = decode_audio(Path(sys.argv[1]))
until = time.monotonic() + float(sys.argv[2])
runs = 0
while runs == 0 or time.monotonic() < until:
    transcript = engine.transcribe(clip)
    analysis = analyze(sent.from_transcript(transcript), bank, bank.questions[0], engine="whisper")
    runs += 1
print("runs", runs, "words", len(transcript.words), "sentences", len(analysis.sentences), flush=True)
"""

# connect/sendto/sendmsg naming an address family other than a Unix socket (or netlink, which is the
# kernel itself): Internet sockets, DNS lookups included.
_OUTSIDE = re.compile(r"\b(connect|sendto|sendmsg)\(.*sa_family=AF_(?!UNIX|NETLINK)")


def test_a_practice_sends_nothing_over_the_network(tmp_path: Path) -> None:
    assert shutil.which("strace"), "strace is missing: scripts/setup.sh --test installs it"
    log = tmp_path / "strace.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORT_")}  # the app's own defaults
    out = subprocess.run(
        [
            "strace",
            "-f",
            "-e",
            "trace=connect,sendto,sendmsg",
            "-o",
            str(log),
            sys.executable,
            "-c",
            PRACTICE,
            str(SHARED / "audio" / "jfk.flac"),
            str(OBSERVE_S),
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert re.search(r"runs \d+ words [1-9]\d* sentences [1-9]", out.stdout), out.stdout
    traced = log.read_text(encoding="utf-8", errors="replace").splitlines()
    assert traced, "strace recorded nothing"
    outside = [line for line in traced if _OUTSIDE.search(line)]
    assert outside == [], "\n".join(outside[:10])
