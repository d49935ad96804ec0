"""Statistics: how practice is going over weeks, overall or for one question.

`refresh()` reads the history once (one query for the attempts, one for the per-question figures), on
the history worker in the app;
choosing another question in the combo filters those in memory. Charts get at most a few hundred
points (daily means once a series is longer), so the page opens quickly with thousands of attempts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analysis.timing import clock
from app.bank.questions import Bank
from app.core.dates import relative
from app.history import AttemptSummary, QuestionStats, Store
from ui.common.sorted_item import SortedItem
from ui.stats.stats_charts import LengthChart, PaceChart, SectionsChart
from ui.stats.stats_data import Summary, section_shares, series, summarize, waited_longest

if TYPE_CHECKING:
    from app.history.worker import HistoryWorker

COLUMNS = ("Question", "Attempts", "Last practised", "Last length", "Mean words/min", "Last missing")
FIGURES = {
    "attempts": "Attempts",
    "questions": "Questions practised",
    "length": "Mean length / latest target",
    "wpm": "Words per minute",
    "fillers": "Fillers per minute",
    "pauses": "Long pauses per attempt",
    "complete": "Complete STAR answers",
}
RECENT = 20
_Read = tuple[list[AttemptSummary], dict[str, QuestionStats], set[int]]


def _read(store: Store) -> _Read:
    """What the page shows, read in one go (on the history worker when there is one)."""
    return store.attempts(), store.question_stats(), store.complete_ids()


def _plain_tip(text: str) -> str:
    """A tooltip showing `text` as it is: Qt shows one that looks like HTML as HTML, and question text
    comes from a bank the user imported (a '<b>' in it must be shown, not obeyed)."""
    return QtGui.Qt.convertFromPlainText(text)


def _missing(labels: tuple[str, ...]) -> str:
    return ", ".join(m.capitalize() for m in labels) or "—"


class StatsView(QWidget):
    back = Signal()
    filled = Signal()  # the history was read and everything redrawn

    def __init__(
        self, store: Store, bank: Bank, parent: QWidget | None = None, history: HistoryWorker | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.history = history  # when given, the history is read there, off the GUI thread
        self.bank = bank
        self.all_attempts: list[AttemptSummary] = []
        self.question_stats: dict[str, QuestionStats] = {}
        self.complete: set[int] = set()  # the complete STAR answers' ids
        self.attempts: list[AttemptSummary] = []  # the ones shown: all, or one question's
        self.summary = summarize([])

        title = QLabel(self.tr("<b>Your progress</b>"))
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.tr("Show statistics for"))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(50)
        combo_label = QLabel(self.tr("&Show:"))
        combo_label.setBuddy(self.combo)
        self.back_button = QPushButton(self.tr("Back to questions (Alt+←)"))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(combo_label)
        top.addWidget(self.combo)
        top.addStretch(1)
        top.addWidget(self.back_button)

        self.figures: dict[str, QLabel] = {}
        cards = QHBoxLayout()
        for key, caption in FIGURES.items():
            card = QFrame()
            card.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(card)
            box.setContentsMargins(8, 4, 8, 4)
            value = QLabel("—")
            value.setStyleSheet("font-size: 16pt; font-weight: 600;")
            value.setAccessibleName(self.tr(caption))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(value)
            box.addWidget(QLabel(self.tr(caption)))
            self.figures[key] = value
            cards.addWidget(card)

        self.length_chart = LengthChart(self)
        self.pace_chart = PaceChart(self)
        self.sections_chart = SectionsChart(self)
        charts = QGridLayout()
        views = (self.length_chart.view, self.pace_chart.view, self.sections_chart.view)
        for i, (view, stretch) in enumerate(zip(views, (4, 4, 5), strict=True)):
            charts.addWidget(view, 0, i)
            charts.setColumnStretch(i, stretch)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
        self.table.setAccessibleName(self.tr("Statistics per question"))
        self.table.setToolTip(self.tr("Double-click (or Enter) a question to chart it alone"))
        self.waited = QListWidget()
        self.waited.setAccessibleName(self.tr("Questions that waited longest"))
        self.waited.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.waited.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.waited.setUniformItemSizes(True)
        waited_label = QLabel(self.tr("&Waited longest"))
        waited_label.setBuddy(self.waited)
        side = QVBoxLayout()
        side.addWidget(waited_label)
        side.addWidget(self.waited, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.table, 3)
        bottom.addLayout(side, 1)

        self.content = QWidget()
        body = QVBoxLayout(self.content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(cards)
        body.addLayout(charts, 3)
        body.addLayout(bottom, 2)
        self.empty = QLabel(
            self.tr(
                "No statistics yet.\n\nPractise a question and your progress appears here: answer "
                "length against your target, pace, fillers and how you balance the STAR sections."
            )
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(self.tr("No statistics yet"))
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.empty, 1)
        col.addWidget(self.content, 1)

        self.combo.currentIndexChanged.connect(self._show_selected)
        self.back_button.clicked.connect(self.back)
        self.table.itemActivated.connect(self._chart_row)
        self.waited.itemActivated.connect(
            lambda item: self.select_question(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        QShortcut(
            QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left),
            self,
            self.back.emit,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        """Read the history again (on the history worker when there is one) and redraw everything."""
        if self.history is None:
            self._show_read(_read(self.store))
            return
        self.history.submit(
            _read,
            self._show_read,
            self._read_failed,
        )

    def _read_failed(self, message: str) -> None:
        self.empty.setText(self.tr("Your history could not be read: {0}").format(message))
        self.empty.setVisible(True)

    def _show_read(self, read: _Read) -> None:
        self.all_attempts, self.question_stats, self.complete = read
        now = datetime.now(UTC)
        self._fill_combo()
        self._fill_table(now)
        self._fill_waited(now)
        has_data = bool(self.all_attempts)
        self.empty.setVisible(not has_data)
        self.content.setVisible(has_data)
        self._show_selected()
        self.filled.emit()

    def question_text(self, qid: str) -> str:
        try:
            return self.bank.by_id(qid).question
        except KeyError:
            return qid

    def selected_question(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def select_question(self, qid: str | None) -> None:
        """Chart one question (None: all); a question never practised leaves the choice as it is."""
        index = self.combo.findData(qid) if qid is not None else 0
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def _fill_combo(self) -> None:
        keep = self.selected_question()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("All questions"), None)
        order = {q.id: i for i, q in enumerate(self.bank.questions)}
        for qid in sorted(self.question_stats, key=lambda q: (order.get(q, len(order)), q)):
            text = self.question_text(qid)
            short = text if len(text) <= 70 else text[:69] + "…"
            self.combo.addItem(f"{short} ({self.question_stats[qid].attempts})", qid)
            self.combo.setItemData(self.combo.count() - 1, _plain_tip(text), Qt.ItemDataRole.ToolTipRole)
        index = self.combo.findData(keep) if keep is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def _fill_table(self, now: datetime) -> None:
        ids = list(dict.fromkeys([*(q.id for q in self.bank.questions), *self.question_stats]))
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(ids))
        for r, qid in enumerate(ids):
            st = self.question_stats.get(qid)
            name = QTableWidgetItem(self.question_text(qid))
            name.setData(Qt.ItemDataRole.UserRole, qid)
            name.setToolTip(_plain_tip(name.text()))
            if st is None:
                cells = [
                    name,
                    SortedItem("0", 0),
                    SortedItem(self.tr("never"), 0),
                    SortedItem("—", -1),
                    SortedItem("—", -1),
                    QTableWidgetItem("—"),
                ]
            else:
                last = datetime.fromisoformat(st.last_at)
                when = SortedItem(relative(last, now), last.timestamp())
                when.setToolTip(last.astimezone().strftime("%Y-%m-%d %H:%M"))
                cells = [
                    name,
                    SortedItem(str(st.attempts), st.attempts),
                    when,
                    SortedItem(clock(st.last_total_s), st.last_total_s),
                    SortedItem("—" if st.mean_wpm is None else f"{st.mean_wpm:.0f}", st.mean_wpm or -1),
                    QTableWidgetItem(_missing(st.last_missing)),
                ]
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)  # re-sorts by the header's indicator (the user's choice)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

    def _fill_waited(self, now: datetime) -> None:
        self.waited.clear()
        for qid in waited_longest((q.id for q in self.bank.questions), self.question_stats):
            st = self.question_stats.get(qid)
            when = self.tr("never") if st is None else relative(datetime.fromisoformat(st.last_at), now)
            text = self.question_text(qid)
            self.waited.addItem(f"{when} — {text}")
            item = self.waited.item(self.waited.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, qid)
            item.setToolTip(_plain_tip(text))

    # ------------------------------------------------------------------ showing

    @Slot()
    def _show_selected(self) -> None:
        qid = self.selected_question()
        self.attempts = (
            self.all_attempts if qid is None else [a for a in self.all_attempts if a.question_id == qid]
        )
        self.summary = summarize(self.attempts, self.complete)
        self._show_figures(self.summary)
        if not self.attempts:
            return  # the empty state is showing; charts keep no axes to range
        data = series(self.attempts)
        self.length_chart.update(data)
        self.pace_chart.update(data)
        self.sections_chart.update(section_shares(self.attempts, RECENT))

    def _show_figures(self, s: Summary) -> None:
        def num(v: float | None, fmt: str) -> str:
            return "—" if v is None else format(v, fmt)

        length = "—"
        if s.mean_total_s is not None:
            length = clock(s.mean_total_s)
            if s.latest_target_s:
                length += f" / {clock(s.latest_target_s)}"
        values = {
            "attempts": str(s.attempts),
            "questions": str(s.questions),
            "length": length,
            "wpm": num(s.mean_wpm, ".0f"),
            "fillers": num(s.mean_fillers_per_min, ".1f"),
            "pauses": num(s.pauses_per_attempt, ".1f"),
            "complete": "—" if s.complete_share is None else f"{s.complete_share:.0%}",
        }
        for key, text in values.items():
            self.figures[key].setText(text)

    @Slot(QTableWidgetItem)
    def _chart_row(self, item: QTableWidgetItem) -> None:
        name = self.table.item(item.row(), 0)
        if name is not None:
            self.select_question(str(name.data(Qt.ItemDataRole.UserRole)))
