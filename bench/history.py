"""Practice history with 5,000 attempts: opening the database, the history and statistics screens as
they fill themselves, and the disk an hour of practice takes."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import wave
from pathlib import Path

from bench.common import ROOT, Figures


def _screen_ms(screen: str, env: dict[str, str]) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.screen_probe", screen],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(x) for x in json.loads(out.stdout.strip().splitlines()[-1])]


def _wav_bytes_per_second(folder: Path) -> float:
    """A recording as the app writes it (16 kHz mono 16-bit WAV)."""
    wav = folder / "ten_seconds.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(b"\x00\x00" * 16_000 * 10)
    return wav.stat().st_size / 10


def bench_history(n: int = 5000, runs: int = 20) -> Figures:
    """Attempts are generated with real analyses and transcripts (bench.sample_history), so rows are the
    size of saved answers; four questions are never practised, as for a real person."""
    from app.bank.questions import builtin_bank_path, load_bank
    from app.history import Store
    from bench.sample_history import generate_attempts
    from ui.history.history_view import PAGE  # the screen's page size: its query is timed here

    bank_ids = [q.id for q in load_bank(builtin_bank_path()).questions]
    home = os.environ["STAR_COACH_HOME"]  # the runner's temporary one
    store = Store.open()
    t0 = time.perf_counter()
    generate_attempts(store, n, bank_ids[:-4], seed=1)
    generate_s = time.perf_counter() - t0
    store.close()
    t0 = time.perf_counter()
    store = Store.open()  # includes PRAGMA quick_check and the interrupted-save scan
    db_open_ms = (time.perf_counter() - t0) * 1000
    page_ms, all_ms, stats_ms = [], [], []
    for _ in range(runs):
        t1 = time.perf_counter()
        store.count_attempts()
        store.attempts(limit=PAGE)  # what the history screen reads when it opens
        t2 = time.perf_counter()
        store.attempts()
        t3 = time.perf_counter()
        store.question_stats()
        store.overall_stats()
        t4 = time.perf_counter()
        page_ms.append((t2 - t1) * 1000)
        all_ms.append((t3 - t2) * 1000)
        stats_ms.append((t4 - t3) * 1000)
    mean_total_s = store.overall_stats().total_s / n
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db_bytes = sum(p.stat().st_size for p in Path(home, "data").glob("history.sqlite3*"))
    wav_bytes_per_s = _wav_bytes_per_second(Path(home))
    env = dict(os.environ)
    history_ms, stats_open_ms = _screen_ms("history", env), _screen_ms("stats", env)
    db_per_attempt = db_bytes / n
    return {
        "history_open_ms_5000": round(statistics.median(history_ms[1:]), 1),
        "history_open_ms_5000_first": round(history_ms[0], 1),
        "history_query_ms_5000": round(statistics.median(page_ms), 2),
        "history_query_all_ms_5000": round(statistics.median(all_ms), 2),
        "history_page_rows": PAGE,
        "history_db_open_ms_5000": round(db_open_ms, 1),
        "history_generate_s": round(generate_s, 3),
        "stats_open_ms_5000": round(statistics.median(stats_open_ms[1:]), 1),
        "stats_open_ms_5000_first": round(stats_open_ms[0], 1),
        "stats_query_ms_5000": round(statistics.median(stats_ms), 2),
        "history_db_kb_per_attempt": round(db_per_attempt / 1024, 1),
        "disk_mb_per_hour": round((wav_bytes_per_s * 3600 + db_per_attempt * 3600 / mean_total_s) / 1e6, 1),
    }
