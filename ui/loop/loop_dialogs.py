"""Choosing a mock loop's length, and choosing a saved loop's report to open again."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.analysis.timing import clock
from app.history.loops import LoopSummary
from app.practice.loop_report import DEFAULT_MINUTES, DEFAULT_QUESTIONS, LOOP_SIZES


class LoopSetupDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mock loop"))
        self.questions = QSpinBox()
        self.questions.setRange(LOOP_SIZES[0], LOOP_SIZES[-1])
        self.questions.setValue(DEFAULT_QUESTIONS)
        self.minutes = QSpinBox()
        self.minutes.setRange(10, 90)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(self.tr(" min"))
        about = QLabel(
            self.tr(
                "As in the real loop: the questions aim at different Leadership Principles, the interviewer "
                "asks follow-ups, and there is no feedback until the end. Then a report: each answer's "
                "structure, timing and follow-ups, and the three things to work on first."
            )
        )
        about.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Questions:"), self.questions)
        form.addRow(self.tr("&Time:"), self.minutes)
        col = QVBoxLayout(self)
        col.addWidget(about)
        col.addLayout(form)
        col.addWidget(buttons)


class LoopListDialog(QDialog):
    """The saved loops, newest first; Enter opens one's report."""

    def __init__(self, loops: list[LoopSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mock loops"))
        self.list = QListWidget()
        for loop in loops:
            when = datetime.fromisoformat(loop.started_at).astimezone().strftime("%a %d %b %Y %H:%M")
            item = QListWidgetItem(
                self.tr("{0}: {1} questions, {2}").format(when, loop.questions, clock(loop.used_seconds))
            )
            item.setData(Qt.ItemDataRole.UserRole, loop.id)
            self.list.addItem(item)
        if loops:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(
            QLabel(self.tr("No mock loop yet.") if not loops else self.tr("Choose a loop's report:"))
        )
        col.addWidget(self.list)
        col.addWidget(buttons)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None
