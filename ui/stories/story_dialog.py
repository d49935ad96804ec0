"""Adding or editing one story: a title, a one-line summary, the principles it shows, and its written
STAR version, coloured by section as it is typed (ui.stories.written_editor)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.analysis.timing import DEFAULT_TARGET_S
from app.bank.questions import Bank
from app.stories.bank import PRINCIPLES, Story, StoryError, make_story
from app.stories.written import DEFAULT_WPM
from ui.stories.written_editor import WrittenEditor


class StoryDialog(QDialog):
    def __init__(
        self,
        story: Story | None = None,
        parent: QWidget | None = None,
        bank: Bank | None = None,
        wpm: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit story") if story else self.tr("New story"))
        self.story_id = story.id if story else None
        self.title = QLineEdit(story.title if story else "")
        self.title.setPlaceholderText(self.tr("How you name it, e.g. “The night the freezer failed”"))
        self.summary = QPlainTextEdit(story.summary if story else "")
        self.summary.setPlaceholderText(self.tr("One line: what happened, what you did, what came of it"))
        self.summary.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.summary.setTabChangesFocus(True)  # Tab moves on, as in a form (it typed a tab character)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for i, p in enumerate(PRINCIPLES):
            box = QCheckBox(p)
            box.setChecked(bool(story and p in story.principles))
            self.boxes[p] = box
            grid.addWidget(box, i // 2, i % 2)
        self.written = WrittenEditor(
            story.written if story else "", bank, wpm or DEFAULT_WPM, DEFAULT_TARGET_S
        )
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("S&ummary:"), self.summary)
        col = QVBoxLayout(self)
        col.addLayout(form)
        written_label = QLabel(self.tr("&Written version (optional), coloured as you type:"))
        written_label.setBuddy(self.written.edit)
        col.addWidget(written_label)
        col.addWidget(self.written, 1)
        col.addWidget(QLabel(self.tr("Leadership Principles it shows:")))
        col.addLayout(grid)
        col.addWidget(self.error)
        col.addWidget(buttons)
        self.result_story: Story | None = None
        self.resize(820, 760)

    def accept(self) -> None:
        try:
            story = make_story(
                self.title.text(),
                self.summary.toPlainText(),
                tuple(p for p, box in self.boxes.items() if box.isChecked()),
                self.written.text(),
            )
        except StoryError as e:
            self.error.setText(self.tr("This story cannot be saved: {0}").format(e))
            self.error.show()
            return
        self.result_story = story.model_copy(update={"id": self.story_id})
        super().accept()
