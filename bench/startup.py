"""Launch to window, and launch to a practice that could start and be analysed."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, Figures, compiled_as_installed


def _launch(env: dict[str, str]) -> tuple[float, float]:
    """Launch `main.py`: seconds to the window's first event-loop turn after show(), and to practice
    being ready (the Whisper model and the STAR labeller loaded in the background)."""
    start = time.perf_counter()
    shown = 0.0
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
                shown = time.perf_counter() - start
            elif line.strip() == "practice-ready":
                ready = time.perf_counter() - start
                break
            elif line.startswith("practice-failed"):
                raise RuntimeError(line.strip())
        else:
            raise RuntimeError("the app exited before practice was ready")
        proc.wait(timeout=30)
    return shown, ready


def bench_cold_start(runs: int = 5) -> Figures:
    """The first launch in a new data folder trains the labeller and checks the model's hash; later
    launches load both from the cache. The median is of the later ones, as a person meets most days."""
    compiled_as_installed()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "STAR_COACH_HOME": home, "STAR_COACH_STARTUP_PROBE": "1"}
        platform = "xcb"
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = platform = "offscreen"
        times = [_launch(env) for _ in range(runs)]
    later = times[1:]
    return {
        "cold_start_s": round(statistics.median(t for t, _ in later), 3),
        "cold_start_s_first": round(times[0][0], 3),
        "practice_ready_s": round(statistics.median(r for _, r in later), 3),
        "practice_ready_s_first": round(times[0][1], 3),
        "cold_start_platform": platform,
    }
