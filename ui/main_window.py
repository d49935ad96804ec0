"""The main window: question browser on the left, the selected question on the right."""

from __future__ import annotations

import logging
import random
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.bank.questions import LoadedBank
from ui.actions import Actions, Handlers
from ui.browse.due_panel import DuePanel
from ui.browse.question_detail import QuestionDetail
from ui.browse.question_list import QuestionList
from ui.common.banner import Banner
from ui.common.focus import return_focus

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # imported when practice starts, not at start-up (they pull in the speech stack)
    from app.history import QuestionStats
    from app.practice.result import PracticeResult
    from app.services import Services
    from app.stories.bank import Story
    from ui.loop.wiring import LoopController
    from ui.practice.corrections import Corrections
    from ui.practice.feedback_view import FeedbackView
    from ui.practice.practice_view import PracticeView


class MainWindow(QMainWindow):
    """Owns its parts: the actions (`commands`), and once practice can start, the screens, the mock
    loop (`loops`) and the corrections to an answer on screen (`corrections`)."""

    loops: LoopController
    corrections: Corrections

    def __init__(
        self, loaded: LoadedBank, notices: list[str] | None = None, services: Services | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("STAR Coach"))
        self.loaded = loaded
        self.bank = loaded.bank
        self.services = services
        self.practised: Counter[str] = Counter()

        self.questions = QuestionList(self.bank)
        self.due = DuePanel()
        self.detail = QuestionDetail()
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.due)
        left_col.addWidget(self.questions, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 640])

        central = QWidget()
        col = QVBoxLayout(central)
        self.banner: Banner | None = None
        self.unavailable = ""  # why practice could not start, when it could not
        messages = [m for m in [loaded.warning, *(notices or [])] if m]
        if messages:
            self.banner = Banner("\n".join(messages))
            col.addWidget(self.banner)
        self.pages = QStackedWidget()
        self.pages.addWidget(splitter)
        self.practice_view: PracticeView | None = None
        self.feedback_view: FeedbackView | None = None
        col.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.questions.selected.connect(self._show)
        self.due.practise.connect(self.practise)
        current = self.questions.current_id()
        if current:
            self._show(current)
        self.commands = Actions(
            self,
            Handlers(
                practise=self.practise_current,
                surprise=self.surprise,
                history=self.show_history,
                stats=self.show_stats,
                stories=self.show_stories,
                loop=self.start_loop,
                settings=self.open_settings,
                find=lambda: self.questions.search.setFocus(Qt.FocusReason.ShortcutFocusReason),
            ),
            practice_ready=services is not None,
        )
        if services is not None:
            self.attach_services(services)
        self.statusBar().showMessage(
            self.tr("{0} questions from {1}").format(len(self.bank.questions), loaded.path.name)
        )
        self.resize(1100, 720)

    def _show(self, qid: str) -> None:
        self.detail.show_question(self.bank.by_id(qid))

    # ----------------------------------------------------------------- practice

    def attach_services(self, services: Services) -> None:
        """Called just after the window first shows, so that start-up is not kept waiting."""
        from ui.history.history_view import HistoryView
        from ui.history.replay_view import CompareView, ReplayView
        from ui.loop.wiring import LoopController
        from ui.practice.corrections import Corrections
        from ui.practice.feedback_view import FeedbackView
        from ui.practice.practice_view import PracticeView
        from ui.stats.stats_view import StatsView
        from ui.stories.stories_view import StoriesView

        self.services = services
        self.history_view = HistoryView(None, self.bank, history=services.history)
        self.replay_view = ReplayView(services.player, services.history)
        self.compare_view = CompareView()
        self.stats_view = StatsView(services.store, self.bank, history=services.history)
        self.stats_view.back.connect(self.show_questions)
        for page in (self.history_view, self.replay_view, self.compare_view, self.stats_view):
            self.pages.addWidget(page)
        self.history_view.back.connect(self.show_questions)
        self.history_view.changed.connect(self.refresh_practice)
        self.history_view.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.history_view.replay.connect(self._replay)
        for view in (self.replay_view, self.compare_view):
            view.back.connect(self.show_history)
        self.history_view.compare.connect(self._compare)
        self.stories_view = StoriesView(services.history, bank=self.bank)
        self.pages.addWidget(self.stories_view)
        self.stories_view.back.connect(self.show_questions)
        self.stories_view.rehearse.connect(lambda story, qid: self.practise(qid, story))
        self.stories_view.changed.connect(services.listen_for_own_words)
        services.listen_for_own_words()
        for page in (self.replay_view, self.compare_view):
            QShortcut(
                QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left),
                page,
                self.show_history,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        self.practice_view = PracticeView(services.practice)
        self.feedback_view = FeedbackView(services.player)
        self.feedback_view.ask_follow_ups(services.practice.follow_up)
        self.feedback_view.story.history = services.history
        self.pages.addWidget(self.practice_view)
        self.pages.addWidget(self.feedback_view)
        self.practice_view.back.connect(self.show_questions)
        self.feedback_view.back.connect(self.show_questions)
        self.feedback_view.again.connect(self._again)
        self.corrections = Corrections(
            self.feedback_view,
            self.replay_view,
            self.bank,
            services.history,
            self.show_banner,
            lambda: self.history_view.refresh(),
            self,
        )
        # Before the feedback's own connection: a loop shows none.
        self.loops = LoopController(
            self,
            self.pages,
            self.bank,
            services.practice,
            services.history,
            self.practice_view,
            self.practise,
            self.show_banner,
        )
        self.loops.view.back.connect(self.show_questions)
        self.history_view.loops.connect(self.loops.open_loops)
        services.practice.finished.connect(self._on_result)
        services.practice.refined.connect(self.corrections.refined)
        services.practice.error.connect(self._on_background_error)
        self.commands.enable_practice()
        for notice in services.notices:
            self.show_banner(notice)
        self.refresh_practice()

    def refresh_practice(self) -> None:
        """Practised counts and last results from the history, read on the history worker, into the
        question list."""
        if self.services is None:
            return
        self.services.history.submit(
            lambda store: store.question_stats(),
            self._show_practice,
            lambda message: log.warning("practice counts not read: %s", message),
        )
        self._refresh_due()

    def _show_practice(self, stats: dict[str, QuestionStats]) -> None:
        from ui.browse.question_list import Practice

        self.practised = Counter({qid: st.attempts for qid, st in stats.items()})
        self.questions.set_practice(
            {qid: Practice(st.attempts, st.last_total_s, st.last_missing) for qid, st in stats.items()}
        )

    def _refresh_due(self) -> None:
        """What is due today, worked out on the history worker (FSRS replays every graded attempt)."""
        if self.services is not None:
            from app.schedule.today import today

            bank = self.bank
            self.services.history.submit(
                lambda store: today(store, bank),
                lambda t: self.due.show_plans(t.plans, len(t.never_practised), t.now),
                log.warning,
            )

    def show_banner(self, text: str) -> None:
        if self.banner is None:
            self.banner = Banner(text)
            central = self.centralWidget()
            layout = central.layout() if central is not None else None
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(0, self.banner)
        else:
            self.banner.label.setText(self.banner.label.text() + "\n" + text)
        self.banner.show()

    def practise(self, qid: str, rehearsing: Story | None = None) -> None:
        if self.services is None or self.practice_view is None:
            return
        self.services.practice.rehearsing = rehearsing
        self.practice_view.clear()
        self.services.practice.start(self.bank.by_id(qid))
        self.practice_view.begin()
        self.pages.setCurrentWidget(self.practice_view)

    @Slot()
    def practise_current(self) -> None:
        """Ctrl+Enter: the question chosen in the list, or on the feedback screen the same question again
        (one shortcut, one action: two made Qt drop the key as "ambiguous")."""
        if self.feedback_view is not None and self.pages.currentWidget() is self.feedback_view:
            self._again()
            return
        qid = self.questions.current_id()
        if qid:
            self.practise(qid)

    @Slot()
    def surprise(self) -> None:
        """The least-practised question in the history, at random among equals."""
        ids = [q.id for q in self.bank.questions]
        fewest = min(self.practised[i] for i in ids)
        self.practise(random.choice([i for i in ids if self.practised[i] == fewest]))

    @Slot()
    def show_history(self) -> None:
        if self.services is None:
            return
        self.history_view.refresh()
        self.pages.setCurrentWidget(self.history_view)
        self.history_view.table.setFocus()

    @Slot()
    def show_stats(self) -> None:
        if self.services is None:
            return
        # Shown first, then filled: filled while hidden, the charts kept axis label room for their
        # never-laid-out size and cut "150" to "1…".
        self.pages.setCurrentWidget(self.stats_view)
        self.stats_view.refresh()

    def show_stories(self) -> None:
        if self.services is not None:
            self.pages.setCurrentWidget(self.stories_view)
            self.stories_view.refresh()
            self.stories_view.table.setFocus()

    @Slot(str, object, object, int)
    def _replay(self, title: str, analysis: object, audio: object, attempt_id: int) -> None:
        self.replay_view.show_attempt(title, analysis, audio, attempt_id)  # type: ignore[arg-type]
        self.pages.setCurrentWidget(self.replay_view)
        self.replay_view.setFocus()

    @Slot(str, object, str, object)
    def _compare(self, title_a: str, a: object, title_b: str, b: object) -> None:
        self.compare_view.show_pair(title_a, a, title_b, b)  # type: ignore[arg-type]
        self.pages.setCurrentWidget(self.compare_view)

    @Slot()
    def show_questions(self) -> None:
        self.pages.setCurrentIndex(0)
        self.questions.view.setFocus()

    @Slot(object)
    def _on_result(self, result: PracticeResult) -> None:
        """The answer, already saved (or not, and why) by the practice session's history worker."""
        if self.feedback_view is None or self.services is None:
            return
        if self.loops.running:  # no feedback between a mock loop's questions, as in the real loop
            self.refresh_practice()
            return
        self.corrections.attempt_id = result.attempt_id
        if result.save_error:
            self.show_banner(
                self.tr("This answer could not be saved to your history: {0}").format(result.save_error)
            )
        self.refresh_practice()
        self.feedback_view.show_result(result, result.previous)
        self.pages.setCurrentWidget(self.feedback_view)
        self.feedback_view.setFocus()

    @Slot()
    def _again(self) -> None:
        if self.services and self.services.practice.question:
            self.practise(self.services.practice.question.id)

    @Slot(str)
    def _on_background_error(self, message: str) -> None:
        """Errors while no practice is on screen (the model failed to load) go to the status bar too."""
        if self.pages.currentIndex() == 0:
            self.statusBar().showMessage(message)

    def practice_unavailable(self, reason: str) -> None:
        """Practice could not start at all: say why where the person looks, not in a log only."""
        self.unavailable = reason
        self.show_banner(self.tr("Practice is unavailable: {0}").format(reason))

    @Slot()
    def open_settings(self) -> None:
        if self.services is None:
            if self.unavailable:
                self.show_banner(self.tr("Settings need practice to start: {0}").format(self.unavailable))
            else:
                self.statusBar().showMessage(
                    self.tr("Settings open once practice is ready (a moment)."), 4000
                )
            return
        from ui.settings.settings_dialog import SettingsDialog

        old = self.services.settings
        dialog = SettingsDialog(old, self.services.speaker, None, self)
        accepted = dialog.exec()
        return_focus(self)
        if not accepted:
            return
        new = dialog.result_settings()  # the dialog has saved it and given the speaker voice and rate
        restart = (new.engine, new.model) != (old.engine, old.model)
        old.__dict__.update(new.__dict__)  # the practice session reads the same object
        self.services.listen_for_own_words()
        message = self.tr("Settings saved.")
        if restart:
            message += " " + self.tr("The new speech model is used the next time STAR Coach starts.")
        self.statusBar().showMessage(message, 8000)

    @Slot()
    def start_loop(self) -> None:
        if self.services is not None:
            self.loops.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.services is not None:
            self.services.shutdown()
        super().closeEvent(event)
