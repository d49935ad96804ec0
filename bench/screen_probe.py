"""`main.py bench` times a screen here, in a child process: the screens are widgets, and the benchmark's
own process stays free of them. `python -m bench.screen_probe history|stats` prints a JSON list of
milliseconds to build the screen and fill it from the history (the first, then three more)."""

from __future__ import annotations

import json
import os
import sys
import time


def main(screen: str) -> None:
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from app.bank.questions import builtin_bank_path, load_bank
    from app.history import Store
    from ui.history.history_view import HistoryView
    from ui.stats.stats_view import StatsView

    bank, store = load_bank(builtin_bank_path()), Store.open()
    ms = []
    for _ in range(4):
        t0 = time.perf_counter()
        view = HistoryView(store, bank) if screen == "history" else StatsView(store, bank)
        view.refresh()
        ms.append((time.perf_counter() - t0) * 1000)
    store.close()
    print(json.dumps(ms))
    del app


if __name__ == "__main__":
    main(sys.argv[1])
