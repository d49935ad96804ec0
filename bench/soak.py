"""An evening of practice in one process (issue 27, item 5): the real main window practised for
STAR_COACH_SOAK_ROUNDS rounds (default 150) of ask, record, stop, feedback, follow-up and replay, driven
by keys as a person would (bench/soak_drive.py). This process watches it from outside, so a crash (the
app process dying) or a freeze (no round finished for FROZEN_S) is reported with its stack, not lost.

The benchmark's memory figures come from here: `rss_mb_recording` is the app's resident memory while
round 10's answer is being recorded. Needs the headless screen and microphone (scripts/headless.sh).
Set STAR_COACH_SOAK_OUT to a file to keep every round's record as well.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

from bench.common import ROOT, Figures, compiled_as_installed

ROUNDS_ENV = "STAR_COACH_SOAK_ROUNDS"
OUT_ENV = "STAR_COACH_SOAK_OUT"
# Longer than the driver's own per-step limit (120 s), so a step that merely hangs is reported by the
# driver and practice goes on; only a frozen event loop runs into this.
FROZEN_S = 300.0
MEMORY_AT = (1, 10, 50, 100, 150)


def _records(progress: Path) -> list[dict[str, Any]]:
    if not progress.exists():
        return []
    out = []
    for line in progress.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:  # a line cut short by a crash
            continue
    return out


def _exit(code: int) -> str:
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"exit code {code}"


def _median(values: list[float]) -> float | None:
    return round(median(values), 3) if values else None


def _summary(records: list[dict[str, Any]], rounds: int) -> Figures:
    done = [r for r in records if "round" in r and "hang" not in r]
    hangs = [r for r in records if "hang" in r]
    by_round = {r["round"]: r for r in done}
    figures: Figures = {
        "soak_rounds": rounds,
        "soak_rounds_completed": len(done),
        "soak_hangs": len(hangs),
        "soak_hang_steps": "; ".join(f"round {r['round']}: {r['hang']}" for r in hangs) or None,
        "soak_follow_ups_answered": sum(1 for r in done if r.get("follow_up")),
        "soak_round_s_median": _median([r["round_s"] for r in done]),
    }
    ready = next((r for r in records if r.get("event") == "ready"), None)
    figures["rss_mb_ready"] = ready["rss_mb"] if ready else None
    figures["soak_collector_on_gui_thread"] = ready.get("collector_on_gui_thread") if ready else None
    for n in MEMORY_AT:
        figures[f"rss_mb_round_{n}"] = by_round[n]["rss_mb"] if n in by_round else None
    if 10 in by_round and rounds in by_round:
        figures["rss_ratio_last_to_10"] = round(by_round[rounds]["rss_mb"] / by_round[10]["rss_mb"], 3)
    figures["rss_mb_recording"] = by_round.get(10, {}).get("rss_mb_recording")
    figures["rss_mb_peak_round"] = max((r["rss_mb"] for r in done), default=None)
    figures["feedback_after_stop_s"] = _median([r["feedback_after_stop_s"] for r in done])
    figures["feedback_after_stop_s_max"] = max((r["feedback_after_stop_s"] for r in done), default=None)
    figures["feedback_after_stop_s_app"] = _median([r["feedback_after_stop_s_app"] for r in done])
    figures["live_lag_s"] = _median([r["live_lag_s"] for r in done if r["live_lag_s"] is not None])
    words = sum(r["words"] for r in done)
    before = sum(min(r["words_live_before_stop"], r["words"]) for r in done)
    figures["live_words_before_stop_share"] = round(before / words, 3) if words else None
    figures["soak_words_per_answer"] = _median([r["words"] for r in done])
    return figures


def bench_soak() -> Figures:
    rounds = int(os.environ.get(ROUNDS_ENV, "150"))
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    compiled_as_installed()
    with tempfile.TemporaryDirectory(prefix="star-coach-soak-") as tmp:
        progress, log = Path(tmp) / "progress.jsonl", Path(tmp) / "app.log"
        code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; from bench.soak_drive import drive; drive({rounds}, Path({str(progress)!r}))"
        with log.open("w", encoding="utf-8") as out:
            app = subprocess.Popen(
                [sys.executable, "-X", "faulthandler", "-c", code], cwd=ROOT, stdout=out, stderr=out
            )
            frozen = False
            last_size, last_change = -1, time.monotonic()
            while app.poll() is None:
                time.sleep(1)
                size = progress.stat().st_size if progress.exists() else 0
                if size != last_size:
                    last_size, last_change = size, time.monotonic()
                elif time.monotonic() - last_change > FROZEN_S and not frozen:
                    frozen = True  # faulthandler prints every thread's stack on SIGABRT
                    app.send_signal(signal.SIGABRT)
            returncode = app.returncode
        records = _records(progress)
        text = log.read_text(encoding="utf-8", errors="replace")
    figures = _summary(records, rounds)
    crashed = returncode != 0 and not frozen
    figures["soak_crashes"] = int(crashed)
    figures["soak_frozen"] = int(frozen)
    figures["soak_exit"] = _exit(returncode)
    figures["soak_minutes"] = round((time.monotonic() - started) / 60, 1)
    figures["soak_load_1min_before_after"] = f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"
    # Qt's own word for a Qt object destroyed outside its thread (app/speech/collector.py)
    figures["soak_qt_wrong_thread_warnings"] = text.count("from another thread")
    stack = text[text.find("Fatal Python error") :] if "Fatal Python error" in text else ""
    figures["soak_crash_stack"] = stack[-6000:] or None
    if out_path := os.environ.get(OUT_ENV):
        raw = {"figures": figures, "records": records, "app_output_tail": text[-20000:]}
        Path(out_path).write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    return figures
