"""Database work runs on one serial worker, off the GUI thread (issue 16, item 3): a save is never
overtaken by a later job, and its result or error comes back on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.history import Store
from app.history.worker import HistoryWorker
from tests.test_store import make_result, write_wav


def test_jobs_run_in_order_off_the_gui_thread_and_answer_on_it(qtbot: QtBot, tmp_path: Path) -> None:
    worker = HistoryWorker(tmp_path / "history.sqlite3")
    gui = threading.get_ident()
    ran: list[tuple[int, int]] = []
    answered: list[tuple[int, int]] = []
    for i in range(5):
        worker.submit(
            lambda store, i=i: ran.append((i, threading.get_ident())) or i,
            lambda value: answered.append((value, threading.get_ident())),
            lambda message: answered.append((-1, 0)),
        )
    qtbot.waitUntil(lambda: len(answered) == 5)
    assert [i for i, _ in ran] == [0, 1, 2, 3, 4]
    assert all(thread != gui for _, thread in ran)
    assert answered == [(i, gui) for i in range(5)]
    worker.close()


def test_a_save_on_the_worker_is_seen_by_the_screens_connection(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    screens = Store.open(path)
    worker = HistoryWorker(path)
    ids: list[int] = []
    result = make_result(write_wav(tmp_path / "take.wav")).for_history()
    worker.submit(lambda store: store.save_attempt(result, keep_audio=True), ids.append, lambda m: None)
    qtbot.waitUntil(lambda: bool(ids))
    assert [a.id for a in screens.attempts()] == ids
    worker.close()
    screens.close()


def test_a_failed_save_comes_back_as_its_message(qtbot: QtBot, tmp_path: Path) -> None:
    worker = HistoryWorker(tmp_path / "history.sqlite3")
    errors: list[str] = []
    worker.submit(lambda store: store.delete_attempt(42), lambda _: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == ["There is no saved attempt 42."]
    worker.close()


def test_a_label_corrected_on_replay_is_saved_by_the_worker(qtbot: QtBot, star_home: Path) -> None:
    from app.bank.questions import load_bank_or_builtin
    from app.core.settings import Settings
    from app.services import Services
    from tests.gui_utils import replay_newest
    from ui.main_window import MainWindow

    loaded = load_bank_or_builtin(None)
    services = Services.create(loaded.bank, Settings())
    attempt = services.store.save_attempt(
        make_result(write_wav(star_home / "take.wav")).for_history(), keep_audio=True
    )
    window = MainWindow(loaded, services=services)
    qtbot.addWidget(window)
    replay_newest(qtbot, window)
    assert window.replay_view.analysis is not None
    before = window.replay_view.analysis.sentences[0].section
    to = "task" if before != "task" else "situation"
    refreshed: list[bool] = []
    refresh = window.history_view.refresh
    window.history_view.refresh = lambda: refreshed.append(True) or refresh()  # type: ignore[method-assign]
    window.replay_view.relabelled.emit(0, to)
    qtbot.waitUntil(lambda: window.replay_view.analysis.sentences[0].section == to)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bool(refreshed))  # History follows once the worker has saved it
    ((saved_id, pairs),) = services.store.corrected_answers()
    assert saved_id == attempt and pairs[0][1] == to
    services.shutdown()


def test_statistics_read_the_history_on_the_worker(qtbot: QtBot, tmp_path: Path) -> None:
    from app.bank.questions import builtin_bank_path, load_bank
    from ui.stats.stats_view import StatsView

    path = tmp_path / "history.sqlite3"
    screens = Store.open(path)
    screens.save_attempt(make_result(write_wav(tmp_path / "take.wav")).for_history(), keep_audio=True)
    worker = HistoryWorker(path)
    view = StatsView(screens, load_bank(builtin_bank_path()), history=worker)
    qtbot.addWidget(view)
    gui = threading.get_ident()
    read_on: list[int] = []
    attempts = Store.attempts

    def spy(store: Store, *args: object, **kwargs: object) -> object:
        read_on.append(threading.get_ident())
        return attempts(store, *args, **kwargs)  # type: ignore[arg-type]

    Store.attempts = spy  # type: ignore[method-assign,assignment]
    try:
        with qtbot.waitSignal(view.filled):
            view.refresh()
    finally:
        Store.attempts = attempts  # type: ignore[method-assign]
    assert read_on and all(thread != gui for thread in read_on)
    assert view.figures["attempts"].text() == "1"
    worker.close()
    screens.close()
