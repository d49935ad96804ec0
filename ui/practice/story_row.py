"""Under the feedback: which of the person's stories the answer told. The app's guess is shown as
such (or "not sure" when it has none); choosing another, or none, is saved at once as the person's."""

from __future__ import annotations

import logging

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.history.worker import HistoryWorker
from app.stories.match import StoryChoice

log = logging.getLogger(__name__)
NONE = -1  # "not one of my stories"


class StoryRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: HistoryWorker | None = None
        self.attempt_id: int | None = None
        self.label = QLabel(self.tr("&Story told:"))
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Which of your stories this answer told"))
        self.label.setBuddy(self.choice)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: palette(mid)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.choice)
        row.addWidget(self.hint, 1)
        self.choice.activated.connect(self._chosen)
        self.hide()

    def show_choice(self, attempt_id: int | None, story: StoryChoice | None) -> None:
        """None: no story bank yet (nothing to choose from), or the answer was not saved."""
        self.attempt_id = attempt_id
        self.choice.clear()
        if story is None or attempt_id is None:
            self.hide()
            return
        self.choice.addItem(self.tr("Not one of my stories"), NONE)
        for s in story.stories:
            self.choice.addItem(s.title, s.id)
        guess, near = story.suggested, story.closest
        self.choice.setCurrentIndex(self.choice.findData(guess.id) if guess else 0)
        if guess:
            self.hint.setText(self.tr("The app's guess: change it if it is wrong."))
        elif near:
            self.hint.setText(
                self.tr(
                    "Not sure which story this was; the closest is “{0}”. Choose it, so the app learns."
                ).format(near.title)
            )
        else:
            self.hint.setText(self.tr("Not one of your stories? Add it under Stories (Ctrl+B)."))
        self.show()

    @Slot(int)
    def _chosen(self, index: int) -> None:
        story_id = self.choice.itemData(index)
        attempt_id, history = self.attempt_id, self.history
        if attempt_id is None or history is None:
            return
        chosen = None if story_id == NONE else int(story_id)
        self.hint.setText(self.tr("Saved as your choice."))
        history.submit(
            lambda store: store.link_story(attempt_id, chosen, chosen_by="person"),
            lambda _: None,
            lambda message: self.hint.setText(self.tr("Not saved: {0}").format(message)),
        )
