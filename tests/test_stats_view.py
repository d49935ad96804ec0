"""Statistics page: figures that agree with the store, per-question charts, a sortable table,
the questions that waited longest, and a friendly page before the first attempt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.logging import Record
from pytestqt.qtbot import QtBot

from app.bank.questions import Bank, builtin_bank_path, load_bank
from app.history import Store
from bench.sample_history import generate_attempts
from ui.stats.stats_data import series
from ui.stats.stats_view import COLUMNS, StatsView

PRACTISED = 30  # of the built-in bank's questions; the rest are never practised


@pytest.fixture
def bank() -> Bank:
    return load_bank(builtin_bank_path())


@pytest.fixture
def store(star_home: Path) -> Iterator[Store]:
    s = Store.open()
    yield s
    s.close()


def _view(qtbot: QtBot, store: Store, bank: Bank) -> StatsView:
    view = StatsView(store, bank)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.refresh()
    view.show()
    qtbot.waitExposed(view)
    return view


def _warnings(records: list[Record]) -> list[str]:
    return [r.message for r in records if r.type.name in ("QtWarningMsg", "QtCriticalMsg", "QtFatalMsg")]


def _column(view: StatsView, name: str) -> list[str]:
    c = COLUMNS.index(name)
    return [view.table.item(r, c).text() for r in range(view.table.rowCount())]


def test_figures_agree_with_the_store(
    qtbot: QtBot, qtlog: object, store: Store, bank: Bank, screenshot_dir: Path
) -> None:
    ids = [q.id for q in bank.questions]
    generate_attempts(store, 200, ids[:PRACTISED], seed=3)
    view = _view(qtbot, store, bank)
    overall, per_q = store.overall_stats(), store.question_stats()

    assert view.figures["attempts"].text() == str(overall.attempts) == "200"
    assert view.figures["questions"].text() == str(overall.questions) == str(len(per_q))
    assert view.figures["complete"].text() == f"{overall.complete_answers / overall.attempts:.0%}"
    assert view.figures["wpm"].text() == f"{overall.mean_wpm:.0f}"
    assert view.figures["fillers"].text() == f"{overall.mean_fillers_per_min:.1f}"
    assert view.summary.mean_total_s == pytest.approx(overall.total_s / overall.attempts)
    assert view.empty.isHidden() and not view.content.isHidden()
    # The combo: all questions, then each practised one.
    assert view.combo.count() == 1 + len(per_q) and view.selected_question() is None
    # One table row per bank question, with the store's figures.
    assert view.table.rowCount() == len(ids)
    for r in range(view.table.rowCount()):
        qid = view.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
        attempts = view.table.item(r, COLUMNS.index("Attempts")).text()
        assert attempts == str(per_q[qid].attempts if qid in per_q else 0)
        if qid in per_q and per_q[qid].mean_wpm is not None:
            assert view.table.item(r, COLUMNS.index("Mean words/min")).text() == f"{per_q[qid].mean_wpm:.0f}"
    # 200 attempts over eight weeks are plotted as daily means; the section bars are the aim plus the last 20.
    days = {datetime.fromisoformat(a.started_at).astimezone().date() for a in store.attempts()}
    assert 40 <= len(days) <= 8 * 7 + 1
    assert view.length_chart.length.count() == len(days) == view.length_chart.target.count()
    assert view.pace_chart.wpm.count() == len(days) == view.pace_chart.fillers.count()
    assert "daily mean" in view.length_chart.chart.title()
    assert all(bar.count() == 20 for bar in view.sections_chart.sets.values())
    assert [line.count() for line, _ in view.sections_chart.aim] == [2, 2, 2]
    assert [edge for _, edge in view.sections_chart.aim] == pytest.approx([20.0, 30.0, 75.0])  # the split
    view.grab().save(str(screenshot_dir / "stats.png"))
    assert _warnings(qtlog.records) == []  # type: ignore[attr-defined]


def test_an_answer_with_an_unclear_section_is_not_a_complete_star_answer(
    qtbot: QtBot, store: Store, bank: Bank
) -> None:
    """Issue 27: "Complete STAR answers" counted answers with no section missing, so an unclear one
    counted as complete (80 % shown where 60 % had every section present)."""
    from app.analysis.analyze import from_record

    ids = [q.id for q in bank.questions]
    generate_attempts(store, 200, ids[:PRACTISED], seed=3)
    records = {a.id: from_record(store.attempt(a.id).record or {}) for a in store.attempts()}
    present = {i for i, r in records.items() if r and all(f.state == "present" for f in r.findings)}
    unclear = {i for i, r in records.items() if r and not r.missing and r.unclear}
    assert unclear  # the generated history has some, or this test shows nothing
    view = _view(qtbot, store, bank)
    assert view.figures["complete"].text() == f"{len(present) / 200:.0%}"
    assert store.overall_stats().complete_answers == len(present)
    # Read from schema v10's index, not from every record (about 1 s for 5,000 attempts without it).
    from app.history.reading import COMPLETE

    plan = store._conn.execute(f"EXPLAIN QUERY PLAN SELECT id FROM attempts WHERE {COMPLETE}").fetchall()
    assert "USING INDEX attempts_complete" in plan[0][3]
    # An attempt saved before schema 4 keeps its verdicts in the `analysis` column.
    old = min(present)
    store._conn.execute(
        "UPDATE attempts SET record = NULL, analysis = ? WHERE id = ?", ('{"unclear": ["task"]}', old)
    )
    assert store.complete_ids() == present - {old}
    view.refresh()
    assert view.figures["complete"].text() == f"{(len(present) - 1) / 200:.0%}"
    qid = next(a.question_id for a in store.attempts() if a.id in unclear)
    view.select_question(qid)
    mine = [a.id for a in store.attempts(question_id=qid)]
    assert view.figures["complete"].text() == f"{len(set(mine) & (present - {old})) / len(mine):.0%}"


def test_one_question_changes_the_series(qtbot: QtBot, store: Store, bank: Bank) -> None:
    ids = [q.id for q in bank.questions]
    generate_attempts(store, 200, ids[:PRACTISED], seed=3)
    view = _view(qtbot, store, bank)
    per_q = store.question_stats()
    qid = max(per_q, key=lambda q: per_q[q].attempts)

    view.select_question(qid)
    assert view.selected_question() == qid
    mine = list(reversed(store.attempts(question_id=qid)))  # oldest first, as plotted
    points = view.length_chart.length.points()
    assert len(points) == per_q[qid].attempts < 200
    assert [p.y() for p in points] == pytest.approx([a.total_s for a in mine])
    assert view.figures["attempts"].text() == str(per_q[qid].attempts)
    assert view.figures["questions"].text() == "1"
    assert view.pace_chart.wpm.count() == per_q[qid].attempts
    assert all(bar.count() == min(20, per_q[qid].attempts) for bar in view.sections_chart.sets.values())

    assert "each attempt" in view.length_chart.chart.title()
    view.select_question(None)
    assert view.length_chart.length.count() < 60 and view.figures["attempts"].text() == "200"
    # Activating a table row charts that question alone.
    row = next(
        r for r in range(view.table.rowCount()) if view.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == qid
    )
    view.table.itemActivated.emit(view.table.item(row, 0))
    assert view.selected_question() == qid
    # A refresh keeps the choice.
    view.refresh()
    assert view.selected_question() == qid and view.length_chart.length.count() == per_q[qid].attempts


def test_table_sorts(qtbot: QtBot, store: Store, bank: Bank) -> None:
    ids = [q.id for q in bank.questions]
    generate_attempts(store, 200, ids[:PRACTISED], seed=3)
    view = _view(qtbot, store, bank)
    c = COLUMNS.index("Attempts")
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(c) + header.sectionSize(c) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    first = [int(t) for t in _column(view, "Attempts")]
    view.table.sortItems(c, Qt.SortOrder.AscendingOrder)
    counts = [int(t) for t in _column(view, "Attempts")]
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] == max(counts) > 0
    view.table.sortItems(c, Qt.SortOrder.DescendingOrder)
    assert [int(t) for t in _column(view, "Attempts")] == sorted(counts, reverse=True)
    assert first == sorted(counts)  # a first click on the header sorts too: fewest attempts first
    # "Last practised" sorts by time, not by its words: never-practised rows come first, oldest next.
    view.table.sortItems(COLUMNS.index("Last practised"), Qt.SortOrder.AscendingOrder)
    when = _column(view, "Last practised")
    assert when[: len(ids) - PRACTISED] == ["never"] * (len(ids) - PRACTISED)
    per_q = store.question_stats()
    practised = [
        view.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(len(ids) - PRACTISED, len(ids))
    ]
    assert practised == sorted(practised, key=lambda q: per_q[q].last_at)


def test_waited_longest_puts_never_practised_first(qtbot: QtBot, store: Store, bank: Bank) -> None:
    ids = [q.id for q in bank.questions]
    generate_attempts(store, 200, ids[:PRACTISED], seed=3)
    view = _view(qtbot, store, bank)
    order = [view.waited.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.waited.count())]
    assert order[: len(ids) - PRACTISED] == ids[PRACTISED:]
    assert all(view.waited.item(i).text().startswith("never — ") for i in range(len(ids) - PRACTISED))
    per_q = store.question_stats()
    rest = order[len(ids) - PRACTISED :]
    assert rest == sorted(per_q, key=lambda q: per_q[q].last_at)


def test_empty_store_shows_a_friendly_page(qtbot: QtBot, qtlog: object, store: Store, bank: Bank) -> None:
    view = _view(qtbot, store, bank)
    assert view.empty.isVisible() and "No statistics yet" in view.empty.text()
    assert view.content.isHidden()
    assert view.figures["attempts"].text() == "0" and view.figures["wpm"].text() == "—"
    assert view.combo.count() == 1
    view.grab()  # paints without complaint
    # The first attempt brings the charts.
    generate_attempts(store, 1, [bank.questions[0].id], seed=1)
    view.refresh()
    assert view.content.isVisible() and view.length_chart.length.count() == 1
    view.grab()
    assert _warnings(qtlog.records) == []  # type: ignore[attr-defined]


def test_many_attempts_plot_daily_means(store: Store, bank: Bank) -> None:
    generate_attempts(store, 1000, [q.id for q in bank.questions], seed=2, weeks=8)
    data = series(store.attempts())
    assert data.per_day and 50 <= len(data.x_ms) <= 8 * 7 + 1
    assert data.x_ms == sorted(data.x_ms) and len(data.wpm) == len(data.x_ms)


def test_alt_left_goes_back(qtbot: QtBot, store: Store, bank: Bank) -> None:
    view = _view(qtbot, store, bank)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.combo.setFocus()
    with qtbot.waitSignal(view.back, timeout=2000):
        qtbot.keyClick(view.combo, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)


def test_a_few_attempts_on_one_day_are_plotted_by_attempt(
    qtbot: QtBot, qtlog: object, store: Store, bank: Bank, star_home: Path, screenshot_dir: Path
) -> None:
    """Issue 15: four attempts on one day drew a vertical line over the dates "30 Nov 30 Nov 30 Nov"."""
    from dataclasses import replace

    from tests.test_store import make_result, write_wav

    for i in range(4):
        result = make_result(write_wav(star_home / f"t{i}.wav", 1.0), "q08")
        assert result.analysis is not None
        target = 60.0 if i < 3 else 120.0  # the last one set 2:00
        timing = replace(result.analysis.timing, target_seconds=target)
        store.save_attempt(
            replace(result, analysis=replace(result.analysis, timing=timing)).for_history(), keep_audio=False
        )
    view = _view(qtbot, store, bank)
    chart = view.length_chart
    assert [p.x() for p in chart.length.points()] == [1.0, 2.0, 3.0, 4.0]
    assert (
        chart.x.current is chart.x.numbers and chart.x.numbers.isVisible() and not chart.x.dates.isVisible()
    )
    assert view.pace_chart.x.current is view.pace_chart.x.numbers
    assert view.figures["length"].text().endswith("/ 2:00")  # the latest target, not a mean of 1:15 never set
    view.grab().save(str(screenshot_dir / "stats-few.png"))
    assert _warnings(qtlog.records) == []  # type: ignore[attr-defined]
