"""`main.py bench` times the statistics page here: the page is a widget and app/ imports none, so the
benchmark runs this as a child process. Prints a JSON list of milliseconds (the first, then three more)."""

from __future__ import annotations

import json
import os
import time


def main() -> None:
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from app.questions import builtin_bank_path, load_bank
    from app.store import Store
    from ui.stats_view import StatsView

    bank, store = load_bank(builtin_bank_path()), Store.open()
    ms = []
    for _ in range(4):
        t0 = time.perf_counter()
        StatsView(store, bank).refresh()
        ms.append((time.perf_counter() - t0) * 1000)
    store.close()
    print(json.dumps(ms))
    del app


if __name__ == "__main__":
    main()
