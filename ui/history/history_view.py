"""Every stored attempt, newest first: replay one, compare two, export, delete.

Replays recompute the analysis from the stored transcript (a few milliseconds), so the screen shows
the same kind of objects the practice produced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

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
from app.history import RECOVERED, AttemptSummary, Store, StoreError
from app.practice.attempts import load_attempt, question_text
from ui.common.sorted_item import SortedItem

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

    def __init__(self, store: Store, bank: Bank, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.bank = bank
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

    def refresh(self) -> None:
        """The newest page of attempts; older ones come a page at a time."""
        self.total = self.store.count_attempts()
        self.summaries = []
        self.table.setRowCount(0)
        self._append(self.store.attempts(limit=PAGE))
        self.empty.setVisible(not self.summaries)
        if self.summaries:
            self.table.selectRow(0)

    @Slot()
    def load_more(self) -> None:
        if len(self.summaries) < self.total:
            self._append(self.store.attempts(limit=PAGE, offset=len(self.summaries)))

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

    def analysis_of(self, attempt_id: int) -> tuple[str, Analysis, Path | None]:
        return load_attempt(self.store, self.bank, attempt_id)

    @Slot()
    def replay_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.replay.emit(*self.analysis_of(ids[0]), ids[0])

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
            return
        older, newer = sorted(ids)  # A is the earlier attempt, so "what changed" reads forward
        (ta, aa, _), (tb, ab, _) = self.analysis_of(older), self.analysis_of(newer)
        self.compare.emit(ta, aa, tb, ab)

    @Slot()
    def export_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export attempt"), str(_documents() / f"attempt-{ids[0]}.md"), "Markdown (*.md)"
        )
        if path:
            markdown = self.store.export_attempt_markdown(ids[0])
            if self._write(Path(path), lambda p: p.write_text(markdown, encoding="utf-8")):
                self.notice.emit(self.tr("Exported the attempt to {0}").format(path))

    @Slot()
    def export_all(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export history"),
            str(_documents() / "star-coach-history.csv"),
            "CSV (*.csv);;JSON (*.json)",
        )
        if path:
            p = Path(path)
            n = self._write(p, self.store.export_json if p.suffix == ".json" else self.store.export_csv)
            if n is not None:
                self.notice.emit(self.tr("Exported {0} attempts to {1}").format(n, path))

    def _write(self, path: Path, writer: Callable[[Path], object]) -> object | None:
        """What `writer` returned, or None after saying why the file could not be written."""
        try:
            return writer(path)
        except (OSError, StoreError) as e:
            QMessageBox.warning(
                self, self.tr("Export failed"), self.tr("{0} could not be written: {1}").format(path, e)
            )
            return None

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete"), self.tr("Delete {0} attempt(s) and their recordings?").format(len(ids))
        )
        if answer == QMessageBox.StandardButton.Yes:
            for i in ids:
                self.store.delete_attempt(i)
            self.refresh()
            self.changed.emit()

    @Slot()
    def delete_all(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete everything"),
            self.tr("Delete every attempt and recording? This cannot be undone."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.store.delete_all()
            self.refresh()
            self.changed.emit()


def _documents() -> Path:
    """Where exports go first: the person's Documents folder (the install folder was offered before)."""
    from PySide6.QtCore import QStandardPaths

    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()
