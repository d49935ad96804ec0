"""Changes to an answer already on screen: a label the person corrected (on the feedback or the replay
screen) and the fillers the second listen counted. Each re-measures the whole answer (timing, feedback,
points), so it runs off the GUI thread; one at a time and each on top of the one before, so two quick
corrections both stay; then it is shown, and saved with its attempt on the history worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from app.analysis.analyze import Analysis, with_hesitations
from app.bank.questions import Bank, Question
from app.core.jobs import run_task
from ui.common.problems import said
from ui.practice.relabel import correct

if TYPE_CHECKING:
    from app.history.worker import HistoryWorker
    from app.practice.result import PracticeResult
    from ui.history.replay_view import ReplayView
    from ui.practice.feedback_view import FeedbackView

Change = Callable[[Analysis], Analysis]


class Reanalysis(QObject):
    """A queue of changes to one screen's analysis, run in order on the thread pool. `current()` is
    (what is on screen, its analysis); a change asked for one answer is dropped once another is shown."""

    def __init__(
        self, current: Callable[[], tuple[object, Analysis | None]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._queue: list[tuple[object, Change, Callable[[Analysis], None], Callable[[str], None]]] = []
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy or bool(self._queue)

    def submit(
        self, key: object, change: Change, show: Callable[[Analysis], None], failed: Callable[[str], None]
    ) -> None:
        self._queue.append((key, change, show, failed))
        self._next()

    def _next(self) -> None:
        while not self._busy and self._queue:
            key, change, show, failed = self._queue.pop(0)
            on_screen, base = self._current()
            if on_screen != key or base is None:
                continue  # another answer is on screen now
            self._busy = True

            def done(
                analysis: Analysis, key: object = key, base: Analysis = base, show: object = show
            ) -> None:
                self._busy = False
                on_screen, now = self._current()
                if on_screen == key and now is base:  # nothing else changed it meanwhile
                    show(analysis)  # type: ignore[operator]
                self._next()

            def error(message: str, failed: Callable[[str], None] = failed) -> None:
                self._busy = False
                failed(message)
                self._next()

            run_task(_applying(change, base), done, error)


class Corrections(QObject):
    """The feedback and replay screens' corrections and the second listen's fillers, for the window."""

    def __init__(
        self,
        feedback: FeedbackView,
        replay: ReplayView,
        bank: Bank,
        history: HistoryWorker,
        show_problem: Callable[[str], None],
        replay_saved: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.feedback, self.replay, self.bank, self.history = feedback, replay, bank, history
        self._show_problem, self._replay_saved = show_problem, replay_saved
        self.attempt_id: int | None = None  # the attempt on the feedback screen, once saved
        self.on_feedback = Reanalysis(self._feedback_now, self)
        self.on_replay = Reanalysis(lambda: (self.replay.attempt_id, self.replay.analysis), self)
        feedback.relabelled.connect(self._relabel)
        replay.relabelled.connect(self._replay_relabel)

    def _feedback_now(self) -> tuple[object, Analysis | None]:
        result = self.feedback.result
        return (None, None) if result is None else (result.recording.path, result.analysis)

    @Slot(int, str)
    def _relabel(self, sentence: int, section: str) -> None:
        """The person corrected a label: the feedback follows and the attempt keeps it."""
        result = self.feedback.result
        if result is None:
            return
        question, attempt_id = result.question, self.attempt_id

        def show(analysis: Analysis) -> None:
            shown = self.feedback.result
            assert shown is not None
            self.feedback.show_corrected(replace(shown, analysis=analysis), sentence)
            self._save(attempt_id, analysis, lambda: None, self.tr("Your correction could not be saved"))

        self.on_feedback.submit(
            result.recording.path,
            lambda a: correct(a, sentence, section, question),
            show,
            self._failed(self.tr("Your correction could not be applied")),
        )

    @Slot(int, str)
    def _replay_relabel(self, sentence: int, section: str) -> None:
        """A label corrected on replay: shown, saved with the attempt, History follows."""
        view = self.replay
        if view.analysis is None:
            return
        qid = view.analysis.question_id
        question: Question | None = (
            self.bank.by_id(qid) if qid in {q.id for q in self.bank.questions} else None
        )
        attempt_id = view.attempt_id

        def show(analysis: Analysis) -> None:
            view.show_corrected(analysis, sentence)
            self._save(
                attempt_id, analysis, self._replay_saved, self.tr("Your correction could not be saved")
            )

        self.on_replay.submit(
            attempt_id,
            lambda a: correct(a, sentence, section, question),
            show,
            self._failed(self.tr("Your correction could not be applied")),
        )

    @Slot(object)
    def refined(self, refined: PracticeResult) -> None:
        """Fillers counted on the second listen: shown if that answer is still on screen, and saved
        with the labels the person may have corrected meanwhile."""
        shown = self.feedback.result
        if shown is None or shown.recording.path != refined.recording.path:
            return
        if refined.analysis is None or refined.analysis.hesitations is None:
            return
        words, question, attempt_id = refined.analysis.hesitations, shown.question, self.attempt_id

        def show(analysis: Analysis) -> None:
            self.feedback.show_refined(analysis)
            self._save(attempt_id, analysis, lambda: None, self.tr("The filler count could not be saved"))

        self.on_feedback.submit(
            shown.recording.path,
            lambda a: with_hesitations(a, words, question),
            show,
            self._failed(self.tr("The filler count could not be shown")),
        )

    def _failed(self, what: str) -> Callable[[str], None]:
        return lambda message: self._show_problem(said(what, message))

    def _save(self, attempt_id: int | None, analysis: Analysis, after: Callable[[], None], what: str) -> None:
        """A changed analysis saved with its attempt on the history worker; `after` runs once it is."""
        if attempt_id is None:
            return
        self.history.submit(
            lambda store: store.save_analysis(attempt_id, analysis),
            lambda _: after(),
            self._failed(what),
        )


def _applying(change: Change, base: Analysis) -> Callable[[], Analysis]:
    return lambda: change(base)
