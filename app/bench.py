"""`python main.py bench`: the speed and memory figures of DESIGN.md, measured, never asserted.

Each scenario returns a dict of figures; keys follow DESIGN.md's list so that scripts can read them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Figures = dict[str, float | int | str]


def _time_to_window(env: dict[str, str]) -> float:
    """Launch `main.py` and wait for the window's first event-loop turn after show()."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
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


SCENARIOS: dict[str, Callable[[], Figures]] = {
    "cold_start": bench_cold_start,
}


def run_bench(only: str | None = None) -> Figures:
    if only and only not in SCENARIOS:
        raise SystemExit(f"unknown scenario {only!r}; choose from: {', '.join(SCENARIOS)}")
    results: Figures = {}
    for name, scenario in SCENARIOS.items():
        if only is None or name == only:
            results.update(scenario())
    return results
