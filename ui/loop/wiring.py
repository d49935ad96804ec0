"""The mock loop in the main window: its screen, its action, and its reports from History. An object the
window owns; it is handed the pages to show itself on and the window's few slots it calls back, so the
main window only hands over its pages and knows nothing of how a loop runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.bank.questions import Bank, Question
from app.practice.loop import LoopSession
from app.practice.loop_report import draw_questions
from ui.common.focus import return_focus
from ui.loop.loop_dialogs import LoopListDialog, LoopSetupDialog
from ui.loop.loop_view import LoopView

if TYPE_CHECKING:
    from app.history.loops import LoopSummary
    from app.history.worker import HistoryWorker
    from app.practice.session import PracticeSession
    from ui.practice.practice_view import PracticeView


class LoopController(QObject):
    def __init__(
        self,
        window: QWidget,
        pages: QStackedWidget,
        bank: Bank,
        practice: PracticeSession,
        history: HistoryWorker,
        practice_view: PracticeView,
        practise: Callable[[str], None],
        show_problem: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window, self._pages, self._bank, self._history = window, pages, bank, history
        self._practice_view, self._practise, self._show_problem = practice_view, practise, show_problem
        self.session = LoopSession(practice, self)
        self.view = LoopView(self.session)
        pages.addWidget(self.view)
        self.session.asking.connect(self._ask)
        self.session.answered.connect(lambda *_: pages.setCurrentWidget(self.view))

    @property
    def running(self) -> bool:
        return self.session.running

    def _ask(self, position: int, count: int, question: Question) -> None:
        self._practise(question.id)
        self._practice_view.show_message(
            self.tr("Mock loop: question {0} of {1}. No feedback until the end.").format(position, count),
            "notice",
        )

    def start(self) -> None:
        """Mock loop…: its length chosen in a dialog, then the first question."""
        dialog = LoopSetupDialog(self._window)
        accepted = dialog.exec()
        return_focus(self._window)
        if not accepted:
            return
        questions = draw_questions(self._bank.questions, dialog.questions.value())
        self.view.begin()
        self.session.start(questions, dialog.minutes.value())

    def open_loops(self) -> None:
        """History › Mock loops: the list read on the history worker, then the chosen report."""
        self._history.submit(lambda store: store.loops(), self._choose, self._show_problem)

    def _choose(self, loops: list[LoopSummary]) -> None:
        dialog = LoopListDialog(loops, self._window)
        loop_id = dialog.chosen() if dialog.exec() else None
        return_focus(self._window)
        if loop_id is not None:
            self._history.submit(
                lambda store: store.loop_report(loop_id), lambda r: self._show(r, loop_id), self._show_problem
            )

    def _show(self, report: dict[str, object], loop_id: int) -> None:
        self.view.show_report(report, loop_id)
        self._pages.setCurrentWidget(self.view)
