"""Runs each benchmark scenario in a fresh process with a temporary data folder, so that one's memory
peak or warm caches do not colour another's figures and nothing touches the person's own data. Keys
follow DESIGN.md's list so that scripts can read them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable

from bench.analysis import bench_analysis
from bench.common import ROOT, Figures
from bench.compare_written import bench_compare_written
from bench.history import bench_history
from bench.jargon import bench_jargon
from bench.labeller import bench_labeller
from bench.practice_aids import bench_practice_aids
from bench.soak import bench_soak
from bench.sound import bench_sound
from bench.speech import bench_live, bench_playback, bench_transcribe, bench_tts
from bench.startup import bench_cold_start
from bench.window import bench_window

# --------------------------------------------------------------------------- scenarios table

SCENARIOS: dict[str, Callable[[], Figures]] = {
    "cold_start": bench_cold_start,
    "tts": bench_tts,
    "playback": bench_playback,
    "transcribe": bench_transcribe,
    "live": bench_live,
    "analysis": bench_analysis,
    "labeller": bench_labeller,
    "history": bench_history,
    "practice_aids": bench_practice_aids,
    "compare_written": bench_compare_written,
    "jargon": bench_jargon,
    "sound": bench_sound,
    "window": bench_window,
    "soak": bench_soak,
}


# The longest scenario (a 2-minute answer spoken in real time) takes ~3 min here; the labeller's (36
# fallback labellers trained for LOQO, then every set labelled by the shipped one) ~12 min; the soak's
# 150 rounds of practice ~45 min.
SCENARIO_TIMEOUT_S = 600
TIMEOUTS_S = {"labeller": 3600, "soak": 6 * 3600}


def _child(name: str) -> None:
    """Entry point of a scenario's own process: prints its figures as one JSON line."""
    figures = SCENARIOS[name]()
    print("BENCH-RESULT " + json.dumps(figures), flush=True)


def _run_isolated(name: str) -> Figures:
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.runner import _child; _child({name!r})"
    with tempfile.TemporaryDirectory(prefix="star-coach-bench-") as home:
        env = {**os.environ, "STAR_COACH_HOME": home}
        try:
            out = subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=TIMEOUTS_S.get(name, SCENARIO_TIMEOUT_S),
            )
        except subprocess.TimeoutExpired:  # a hung scenario is reported, the others still run
            return {f"{name}_error": f"no result after {TIMEOUTS_S.get(name, SCENARIO_TIMEOUT_S)} s (hung)"}
    for line in out.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            figures: Figures = json.loads(line.removeprefix("BENCH-RESULT "))
            return figures
    reason = (out.stderr.strip().splitlines() or ["no output"])[-1]
    return {f"{name}_error": reason}


def run_bench(only: str | None = None) -> Figures:
    if only and only not in SCENARIOS:
        raise SystemExit(f"unknown scenario {only!r}; choose from: {', '.join(SCENARIOS)}")
    results: Figures = {}
    for name in SCENARIOS:
        if only is None or name == only:
            print(f"[bench] {name}…", file=sys.stderr, flush=True)
            results.update(_run_isolated(name))
    return results
