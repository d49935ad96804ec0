"""The story bank: the person's stories with how often each was told and how it last went, and the
16 Leadership Principles with the stories that show each (readiness), those with none marked.
New (Ctrl+N), Edit (Enter), Rehearse (R: tell it aloud for a question it fits), Delete (Del),
Import and Export (JSON). Reads and writes on the history
worker; the screen never waits on the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bank.questions import Bank, principle_list
from app.core.dates import relative
from app.history import Store
from app.history.stories import StoryUse
from app.history.worker import HistoryWorker
from app.schedule.grades import GRADE_NAMES
from app.stories.bank import Story, from_history, parse_file, to_file
from app.stories.coverage import Readiness, readiness, uncovered
from app.stories.rehearse import question_for
from ui.common.export_folder import remember, suggested
from ui.common.focus import return_focus
from ui.common.star_style import SHORT_COLOR
from ui.stories.story_dialog import StoryDialog


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.setWordWrap(True)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    t.setAccessibleName(name)
    return t


class StoriesView(QWidget):
    back = Signal()
    changed = Signal()  # the bank changed: the feedback's story choices follow
    rehearse = Signal(object, str)  # Story, question id: tell it aloud now, for that question

    def __init__(
        self, history: HistoryWorker, parent: QWidget | None = None, bank: Bank | None = None
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.bank = bank
        self.pace: float | None = None  # the person's own words a minute, from their answers
        self._select_id: int | None = None
        self.stories: list[Story] = []
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.table = _table(
            [self.tr("Story"), self.tr("Principles"), self.tr("Told"), self.tr("Last")], "Stories"
        )
        self.principles = _table(
            [self.tr("Leadership Principle"), self.tr("Stories"), self.tr("Answers"), self.tr("Last grade")],
            "Leadership Principles and the stories that show them",
        )
        self.new_button = QPushButton(self.tr("New story (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("Edit (Enter)"))
        self.rehearse_button = QPushButton(self.tr("Rehearse (R)"))
        self.rehearse_button.setToolTip(
            self.tr(
                "Tell this story aloud for a question it fits; then see what you left out of what you wrote."
            )
        )
        self.delete_button = QPushButton(self.tr("Delete (Del)"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.back_button = QPushButton(self.tr("Back to questions (Alt+←)"))
        buttons = QHBoxLayout()
        for b in (
            self.new_button,
            self.edit_button,
            self.rehearse_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.principles)
        split.setSizes([560, 520])
        col = QVBoxLayout(self)
        col.addWidget(self.heading)
        col.addWidget(split, 1)
        col.addLayout(buttons)

        self.new_button.clicked.connect(self.new_story)
        self.edit_button.clicked.connect(self.edit_selected)
        self.rehearse_button.clicked.connect(self.rehearse_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.back_button.clicked.connect(self.back)
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        # R on the list rehearses: a shortcut never sees it there (the list takes letters for its search).
        self.table.installEventFilter(self)
        for keys, slot in [
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_N), self.new_story),
            (QKeySequence(Qt.Key.Key_Delete), self.delete_selected),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self.back.emit),
        ]:
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_R
            and not event.modifiers()
        ):
            self.rehearse_selected()
            return True
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- reading

    def refresh(self) -> None:
        self.history.submit(
            lambda store: (from_history(store.stories()), store.story_uses(), store.recent_pace()),
            self._fill,
            self._failed,
        )

    def _fill(self, out: tuple[list[Story], list[StoryUse], float | None]) -> None:
        stories, uses, self.pace = out
        self.stories = stories
        now = datetime.now().astimezone()
        self.table.setRowCount(len(stories))
        for row, s in enumerate(stories):
            told = [u for u in uses if u.story_id == s.id]
            last = (
                f"{GRADE_NAMES[told[-1].grade]}, {relative(datetime.fromisoformat(told[-1].started_at), now)}"
                if told
                else "—"
            )
            cells = [
                s.title
                + (f"\n{s.summary}" if s.summary else "")
                + ("\n" + self.tr("Written: {0} words").format(len(s.written.split())) if s.written else ""),
                principle_list(s.principles),
                str(len(told)),
                last,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                self.table.setItem(row, c, item)
        self.table.resizeRowsToContents()
        wanted = next((r for r, s in enumerate(stories) if s.id == self._select_id), None)
        self._select_id = None
        if wanted is not None or (self.table.currentRow() < 0 and stories):
            self.table.selectRow(wanted or 0)
        self._fill_principles(readiness(stories, uses))
        missing = uncovered(stories)
        self.heading.setText(
            f"<h2>{self.tr('Your stories')}</h2><p>"
            + self.tr("{0} stories; {1} of 16 Leadership Principles have one.").format(
                len(stories), 16 - len(missing)
            )
            + (" " + self.tr("Two stories per principle is a good aim before the loop.") if missing else "")
            + "</p>"
        )

    def _fill_principles(self, rows: list[Readiness]) -> None:
        self.principles.setRowCount(len(rows))
        for r, ready in enumerate(rows):
            grade = GRADE_NAMES.get(ready.last_grade or 0, "—")
            cells = [
                ready.principle,
                "\n".join(ready.stories) or self.tr("no story yet"),
                str(ready.attempts),
                grade,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not ready.covered:
                    item.setForeground(QBrush(QColor(SHORT_COLOR)))
                self.principles.setItem(r, c, item)
        self.principles.resizeRowsToContents()

    def _failed(self, message: str) -> None:
        QMessageBox.warning(
            self, self.tr("Stories"), self.tr("Your stories could not be read or saved: {0}").format(message)
        )

    # ----------------------------------------------------------------- changing

    def selected(self) -> Story | None:
        rows = self.table.selectionModel().selectedRows()
        return self.stories[rows[0].row()] if rows and rows[0].row() < len(self.stories) else None

    def _write(self, job: Callable[[Store], Any]) -> None:
        def done(out: object) -> None:
            if isinstance(out, int):  # a story saved: it is the one selected, ready to rehearse (R)
                self._select_id = out
            self.refresh()
            self.changed.emit()

        self.history.submit(job, done, self._failed)

    @Slot()
    def new_story(self) -> None:
        self._edit(None)

    @Slot()
    def edit_selected(self) -> None:
        story = self.selected()
        if story is not None:
            self._edit(story)

    def _edit(self, story: Story | None) -> None:
        dialog = StoryDialog(story, self, bank=self.bank, wpm=self.pace)
        saved = dialog.exec()
        return_focus(self.table)
        if saved and dialog.result_story is not None:
            edited = dialog.result_story
            self._write(lambda store: store.save_story(edited))

    @Slot()
    def rehearse_selected(self) -> None:
        """For a question that asks for what the story shows (app.stories.rehearse), chosen on the
        history worker: it reads how often each question was practised, and runs the meaning model."""
        story, bank = self.selected(), self.bank
        if story is None or bank is None:
            return

        def choose(store: Store) -> str:
            practised = {qid: st.attempts for qid, st in store.question_stats().items()}
            return question_for(story, bank, practised).id

        self.history.submit(choose, lambda qid: self.rehearse.emit(story, qid), self._failed)

    @Slot()
    def delete_selected(self) -> None:
        story = self.selected()
        if story is None or story.id is None:
            return
        sure = QMessageBox.question(
            self,
            self.tr("Delete story"),
            self.tr("Delete “{0}”? Your answers stay in History; they are no longer linked to it.").format(
                story.title
            ),
        )
        if sure == QMessageBox.StandardButton.Yes:
            story_id = story.id
            self._write(lambda store: store.delete_story(story_id))

    @Slot()
    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import stories"), "", self.tr("Story bank (*.json)")
        )
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        """Read and check the whole file on the worker; nothing is added unless all of it is good."""
        self._write(lambda store: store.import_stories(parse_file(path.read_text(encoding="utf-8"))))

    @Slot()
    def export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export stories"),
            suggested("stories", suffix=".json"),
            self.tr("Story bank (*.json)"),
        )
        if path:
            remember(Path(path))
            self.export_path(Path(path))

    def export_path(self, path: Path) -> None:
        from app.core.files import atomic_write_text

        self.history.submit(
            lambda store: atomic_write_text(path, to_file(from_history(store.stories()))),
            lambda _: None,
            self._failed,
        )
