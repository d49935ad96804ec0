"""The mock loop in the main window: its screen, its action, and its reports from History. Kept here
so that the main window only hands over its pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.bank.questions import Question
from app.practice.loop import LoopSession
from app.practice.loop_report import draw_questions
from ui.loop.loop_dialogs import LoopListDialog, LoopSetupDialog
from ui.loop.loop_view import LoopView

if TYPE_CHECKING:
    from app.history.loops import LoopSummary
    from app.services import Services
    from ui.main_window import MainWindow


def attach_loop(window: MainWindow, services: Services) -> None:
    window.loop = LoopSession(services.practice, window)
    window.loop_view = LoopView(window.loop)
    window.pages.addWidget(window.loop_view)
    window.loop_view.back.connect(window.show_questions)
    window.history_view.loops.connect(lambda: open_loops(window))

    def ask(position: int, count: int, question: Question) -> None:
        window.practise(question.id)
        if window.practice_view is not None:
            window.practice_view.show_message(
                window.tr("Mock loop: question {0} of {1}. No feedback until the end.").format(
                    position, count
                ),
                "notice",
            )

    window.loop.asking.connect(ask)
    window.loop.answered.connect(lambda *_: window.pages.setCurrentWidget(window.loop_view))
    window.loop_action.setEnabled(True)


def start_loop(window: MainWindow) -> None:
    if window.services is None:
        return
    dialog = LoopSetupDialog(window)
    if not dialog.exec():
        return
    questions = draw_questions(window.bank.questions, dialog.questions.value())
    window.loop_view.begin()
    window.loop.start(questions, dialog.minutes.value())


def open_loops(window: MainWindow) -> None:
    """History › Mock loops: the list read on the history worker, then the chosen report."""
    if window.services is None:
        return
    history = window.services.history

    def chosen(loops: list[LoopSummary]) -> None:
        dialog = LoopListDialog(loops, window)
        loop_id = dialog.chosen() if dialog.exec() else None
        if loop_id is not None:
            history.submit(
                lambda store: store.loop_report(loop_id), lambda r: show(r, loop_id), window.show_banner
            )

    def show(report: dict[str, object], loop_id: int) -> None:
        window.loop_view.show_report(report, loop_id)
        window.pages.setCurrentWidget(window.loop_view)

    history.submit(lambda store: store.loops(), chosen, window.show_banner)
