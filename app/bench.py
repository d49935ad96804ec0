"""`python main.py bench`: the speed and memory figures of DESIGN.md, measured, never asserted.

Each scenario runs in a fresh process, so that one's memory peak or warm caches do not colour
another's figures. Keys follow DESIGN.md's list so that scripts can read them.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = ROOT.parent / "shared" / "audio"
Figures = dict[str, float | int | str]


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _audio(name: str) -> Path:
    path = SHARED_AUDIO / name
    if not path.exists():
        raise FileNotFoundError(f"benchmark audio {path} is missing (the benchmarks read ../shared/audio)")
    return path


# --------------------------------------------------------------------------- cold start


def _time_to_window(env: dict[str, str]) -> float:
    """Launch `main.py` and wait for the window's first event-loop turn after show()."""
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "window-shown":
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError("the app exited before showing its window")
        proc.wait(timeout=30)
    return elapsed


def bench_cold_start(runs: int = 5) -> Figures:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "STAR_COACH_HOME": home, "STAR_COACH_STARTUP_PROBE": "1"}
        platform = "xcb"
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = platform = "offscreen"
        times = [_time_to_window(env) for _ in range(runs)]
    return {
        "cold_start_s": round(statistics.median(times), 3),
        "cold_start_s_first": round(times[0], 3),
        "cold_start_platform": platform,
    }


# --------------------------------------------------------------------------- scenarios table

SCENARIOS: dict[str, Callable[[], Figures]] = {
    "cold_start": bench_cold_start,
}


def _child(name: str) -> None:
    """Entry point of a scenario's own process: prints its figures as one JSON line."""
    figures = SCENARIOS[name]()
    print("BENCH-RESULT " + json.dumps(figures), flush=True)


def _run_isolated(name: str) -> Figures:
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from app.bench import _child; _child({name!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
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
