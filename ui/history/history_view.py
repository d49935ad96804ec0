"""Every stored attempt, newest first: replay one, compare two, export, delete.

Every read and write runs on the history worker, never on the GUI thread (a locked history held the
window for the 5 s busy timeout); each failure is said above the table with what to do. An attempt
saved before schema 4 is analysed again on the worker too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analysis.analyze import Analysis
from app.analysis.timing import clock
from app.bank.questions import Bank
from app.core.files import atomic_write_text
from app.history import RECOVERED, AttemptSummary, Store, StoreError
from app.practice.attempts import load_attempt, question_text
from ui.common.banner import Banner
from ui.common.export_folder import remember, suggested
from ui.common.focus import return_focus
from ui.common.problems import said
from ui.common.sorted_item import SortedItem

if TYPE_CHECKING:
    from app.history.worker import HistoryWorker

T = TypeVar("T")
Loaded = tuple[str, Analysis, Path | None]  # title, analysis, recording

COLUMNS = ("Date", "Question", "Length", "Words/min", "Fillers/min", "Missing")
# Rows filled per page: 5,000 rows took ~110 ms to fill and size; a page of 200 opens the screen at once,
# and "Show older" (or scrolling to the end) brings the next.
PAGE = 200


class HistoryView(QWidget):
    replay = Signal(str, object, object, int)  # title, Analysis, audio path or None, attempt id
    compare = Signal(str, object, str, object)  # title a, Analysis a, title b, Analysis b
    changed = Signal()  # attempts were deleted
    notice = Signal(str)  # what just happened, for the status bar ("Exported 12 attempts to …")
    back = Signal()
    loops = Signal()  # the saved mock loops' reports were asked for
    filled = Signal()  # a page of attempts was read and shown
    failed = Signal(str)  # what went wrong and what to do, as shown above the table

    def __init__(
        self,
        store: Store | None,
        bank: Bank,
        parent: QWidget | None = None,
        history: HistoryWorker | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store  # read here only without a worker (the benchmark's screen probe)
        self.history = history
        self.bank = bank
        self._reading_more = False
        self._generation = 0
        self.problem = Banner("")
        self.problem.setAccessibleName(self.tr("What went wrong"))
        self.problem.hide()
        self.summaries: list[AttemptSummary] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Your attempts"))
        self.empty = QLabel(self.tr("No attempts yet: practise a question and it appears here."))
        self.total = 0
        self.shown = QLabel()
        self.more = QPushButton()
        self.more.clicked.connect(self.load_more)
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.buttons = {
            "replay": QPushButton(self.tr("Replay (Enter)")),
            "compare": QPushButton(self.tr("Compare two (C)")),
            "export": QPushButton(self.tr("Export attempt…")),
            "export_all": QPushButton(self.tr("Export all…")),
            "delete": QPushButton(self.tr("Delete (Del)")),
            "delete_all": QPushButton(self.tr("Delete everything…")),
            "loops": QPushButton(self.tr("Mock loops…")),
            "back": QPushButton(self.tr("Back to questions (Alt+←)")),
        }
        row = QHBoxLayout()
        for key, b in self.buttons.items():
            if key == "back":
                row.addStretch(1)
            row.addWidget(b)
        col = QVBoxLayout(self)
        col.addWidget(self.problem)
        col.addWidget(self.empty)
        col.addWidget(self.table, 1)
        paging = QHBoxLayout()
        paging.addWidget(self.shown)
        paging.addStretch(1)
        paging.addWidget(self.more)
        col.addLayout(paging)
        col.addLayout(row)

        self.buttons["replay"].clicked.connect(self.replay_selected)
        self.buttons["compare"].clicked.connect(self.compare_selected)
        self.buttons["export"].clicked.connect(self.export_selected)
        self.buttons["export_all"].clicked.connect(self.export_all)
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.buttons["delete_all"].clicked.connect(self.delete_all)
        self.buttons["back"].clicked.connect(self.back)
        self.buttons["loops"].clicked.connect(self.loops)
        self.table.itemDoubleClicked.connect(lambda _item: self.replay_selected())
        for keys, slot in [
            (QKeySequence(Qt.Key.Key_Return), self.replay_selected),
            (QKeySequence(Qt.Key.Key_C), self.compare_selected),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_selected),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self.back.emit),
        ]:
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _run(self, job: Callable[[Store], T], done: Callable[[T], object], what: str) -> None:
        """`job` on the history worker (or here, with no worker: the benchmark's probe); its result to
        `done`, or its failure said in the window under `what` happened."""
        self.problem.hide()
        if self.history is not None:
            self.history.submit(job, done, lambda message: self._fail(what, message))
            return
        assert self.store is not None
        try:
            result = job(self.store)
        except (StoreError, sqlite3.Error, OSError) as e:
            self._fail(what, str(e))
            return
        done(result)

    def _fail(self, what: str, message: str) -> None:
        self._reading_more = False
        self.problem.label.setText(said(what, message))
        self.problem.show()
        self.notice.emit("")  # not "Deleting…" any more: the message above the list says what became of it
        self.failed.emit(self.problem.label.text())

    def refresh(self) -> None:
        """The newest page of attempts, read on the history worker; older ones come a page at a time."""
        self._generation += 1  # an older page still being read belongs to the list before this one
        self._run(
            lambda store: (store.count_attempts(), store.attempts(limit=PAGE)),
            self._show_first,
            self.tr("Your history could not be read"),
        )

    def _show_first(self, read: tuple[int, list[AttemptSummary]]) -> None:
        self.total, page = read
        self.summaries = []
        self.table.setRowCount(0)
        self._append(page)
        self.empty.setVisible(not self.summaries)
        if self.summaries:
            self.table.selectRow(0)
        self.filled.emit()

    @Slot()
    def load_more(self) -> None:
        if len(self.summaries) < self.total and not self._reading_more:
            self._reading_more = True
            offset, generation = len(self.summaries), self._generation
            self._run(
                lambda store: store.attempts(limit=PAGE, offset=offset),
                lambda page: self._show_more(page, generation),
                self.tr("Older attempts could not be read"),
            )

    def _show_more(self, page: list[AttemptSummary], generation: int) -> None:
        self._reading_more = False
        if generation != self._generation:
            return
        self._append(page)
        self.filled.emit()

    @Slot(int)
    def _scrolled(self, value: int) -> None:
        if value and value == self.table.verticalScrollBar().maximum():
            self.load_more()

    def _append(self, page: list[AttemptSummary]) -> None:
        first = self.table.rowCount()
        self.summaries += page
        self.table.setSortingEnabled(False)
        self.table.setRowCount(first + len(page))
        for r, a in enumerate(page, start=first):
            when = datetime.fromisoformat(a.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
            question = a.question_text or question_text(self.bank, a.question_id)
            if a.origin == RECOVERED:
                question = self.tr("{0} (recovered recording)").format(question)
            cells = [
                QTableWidgetItem(when),
                QTableWidgetItem(question),
                SortedItem(clock(a.total_s), a.total_s),
                SortedItem(f"{a.wpm:.0f}" if a.wpm else "—", a.wpm or 0),
                SortedItem(
                    f"{a.fillers_per_min:.1f}" if a.fillers_per_min is not None else "—",
                    a.fillers_per_min or 0,
                ),
                QTableWidgetItem(", ".join(a.missing) or "—"),
            ]
            cells[0].setData(Qt.ItemDataRole.UserRole, a.id)
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        if first == 0:
            self.table.resizeColumnsToContents()
            self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        left = self.total - len(self.summaries)
        self.shown.setText(
            self.tr("Showing the newest {0} of {1} attempts").format(len(self.summaries), self.total)
            if left > 0
            else ""
        )
        self.more.setText(self.tr("Show older ({0} more)").format(min(PAGE, left)))
        self.more.setVisible(left > 0)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        items = [self.table.item(r, 0) for r in rows]
        return [int(i.data(Qt.ItemDataRole.UserRole)) for i in items if i is not None]

    def _load(self, ids: list[int], done: Callable[[list[Loaded]], object], what: str) -> None:
        """The attempts' analyses, read (and, saved before schema 4, analysed again) on the worker."""
        bank = self.bank
        self._run(lambda store: [load_attempt(store, bank, i) for i in ids], done, what)

    @Slot()
    def replay_selected(self) -> None:
        ids = self.selected_ids()[:1]
        if ids:
            self._load(
                ids,
                lambda got: self.replay.emit(*got[0], ids[0]),
                self.tr("This attempt could not be opened"),
            )

    @Slot()
    def compare_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            QMessageBox.information(
                self,
                self.tr("Compare"),
                self.tr(
                    "Choose two attempts to compare: Ctrl+click them, or move with Ctrl+↑/↓ and press "
                    "Ctrl+Space on each."
                ),
            )
            return_focus(self.table)
            return
        older, newer = sorted(ids)  # A is the earlier attempt, so "what changed" reads forward
        self._load(
            [older, newer],
            lambda got: self.compare.emit(got[0][0], got[0][1], got[1][0], got[1][1]),
            self.tr("These attempts could not be opened"),
        )

    @Slot()
    def export_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        attempt_id = ids[0]
        found = [a for a in self.summaries if a.id == attempt_id]
        day = datetime.fromisoformat(found[0].started_at).astimezone().date() if found else None
        name = suggested(found[0].question_id if found else "attempt", day=day, suffix=".md")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export attempt"), name, "Markdown (*.md)")
        return_focus(self.table)
        if not path:
            return
        target = Path(path)
        remember(target)

        def job(store: Store) -> None:
            atomic_write_text(target, store.export_attempt_markdown(attempt_id))

        self._run(
            job,
            lambda _: self.notice.emit(self.tr("Exported the attempt to {0}").format(path)),
            self.tr("The attempt was not exported to {0}").format(path),
        )

    @Slot()
    def export_all(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export history"),
            suggested("history", suffix=".csv"),
            "CSV (*.csv);;JSON (*.json)",
        )
        return_focus(self.table)
        if not path:
            return
        target = Path(path)
        remember(target)
        self._run(
            lambda store: store.export_json(target) if target.suffix == ".json" else store.export_csv(target),
            lambda n: self.notice.emit(self.tr("Exported {0} attempts to {1}").format(n, path)),
            self.tr("Your history was not exported to {0}").format(path),
        )

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete"), self.tr("Delete {0} attempt(s) and their recordings?").format(len(ids))
        )
        return_focus(self.table)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def job(store: Store) -> tuple[int, str]:
            """How many were deleted, and why the rest were not (one at a time: each is complete)."""
            for n, i in enumerate(ids):
                try:
                    store.delete_attempt(i)
                except (StoreError, sqlite3.Error) as e:
                    return n, str(e)
            return len(ids), ""

        self.notice.emit(self.tr("Deleting…"))
        self._run(job, lambda out: self._deleted(len(ids), *out), self.tr("Nothing was deleted"))

    @Slot()
    def delete_all(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete everything"),
            self.tr("Delete every attempt and recording? This cannot be undone."),
        )
        return_focus(self.table)
        if answer == QMessageBox.StandardButton.Yes:
            self.notice.emit(self.tr("Deleting…"))
            self._run(
                lambda store: (store.delete_all(), ""),
                lambda out: self._deleted(None, *out),
                self.tr("Nothing was deleted"),
            )

    def _deleted(self, asked: int | None, n: int, problem: str) -> None:
        """Show what is left, say what was deleted and, when some were not, how many and why."""
        self.refresh()
        if n:
            self.changed.emit()
        if problem and n == 0:
            self._fail(self.tr("Nothing was deleted"), problem)
        elif problem:
            what = self.tr("{0} of the {1} attempts you chose were deleted; the other {2} are still here")
            self._fail(what.format(n, asked, (asked or n) - n), problem)
        else:
            self.notice.emit(self.tr("Deleted {0} attempt(s) and their recordings.").format(n))
