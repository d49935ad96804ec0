"""The home screen's "Due today": the questions the practice schedule (app.schedule, FSRS) says to
tell again today, the most overdue first, each with why; Enter or a double-click practises one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.schedule.due import Plan

SHOWN = 5  # rows before the list scrolls: the question list below must stay in sight
TITLE_CHARS = 60  # one line of the list; the whole question is in the tooltip and the detail pane


class DuePanel(QGroupBox):
    practise = Signal(str)  # question id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Due today"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Questions due for practice today"))
        self.list.setWordWrap(False)
        self.note = QLabel()  # one line: a word-wrapped label made the box mis-measure its height
        self.note.setStyleSheet("color: palette(mid)")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # the list below grows
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 4, 6, 4)
        col.addWidget(self.list)
        col.addWidget(self.note)
        self.list.itemActivated.connect(self._activated)
        self.plans: list[Plan] = []
        self.show_plans([], 0, datetime.now().astimezone())

    def show_plans(self, plans: Sequence[Plan], never: int, now: datetime) -> None:
        self.plans = list(plans)
        self.list.clear()
        for p in plans:
            title = (
                p.title if len(p.title) <= TITLE_CHARS else p.title[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
            )
            item = QListWidgetItem(f"{title}\n{p.reason(now)}")
            item.setData(Qt.ItemDataRole.UserRole, p.key)
            item.setToolTip(
                self.tr("{0}\nDue {1}. Enter or double-click to practise it.").format(
                    p.title, p.due.astimezone().strftime("%a %d %b %H:%M")
                )
            )
            self.list.addItem(item)
        self.setTitle(self.tr("Due today ({0})").format(len(plans)) if plans else self.tr("Due today"))
        self.list.setVisible(bool(plans))
        if plans:
            rows = min(len(plans), SHOWN)
            self.list.setFixedHeight(rows * 2 * self.fontMetrics().lineSpacing() + rows * 4 + 8)
        done = "" if plans else self.tr("Nothing is due today. ")
        fresh = (
            self.tr("{0} questions never practised: Surprise me (Ctrl+U) picks one.").format(never)
            if never
            else ""
        )
        self.note.setText(done + fresh)
        self.note.setVisible(bool(done + fresh))

    @Slot(QListWidgetItem)
    def _activated(self, item: QListWidgetItem) -> None:
        self.practise.emit(str(item.data(Qt.ItemDataRole.UserRole)))
