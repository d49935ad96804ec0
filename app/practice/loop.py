"""A mock loop, as the real one runs: several questions aimed at different principles, each answer
followed by its follow-ups, no feedback in between; the report at the end, saved with the loop.

It drives the practice session (one question at a time) and its follow-up runner; the screens show
what it says through signals and decide nothing."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from app.bank.questions import Question
from app.core.jobs import run_task
from app.history import Store, StoreError
from app.practice.follow_up import Step
from app.practice.loop_report import LoopAnswer, build_report
from app.practice.result import PracticeResult
from app.practice.session import PracticeSession

log = logging.getLogger(__name__)


class LoopSession(QObject):
    # position (1-based), how many, Question: the host shows the practice screen and starts the practice
    # session on it (the main window's `practise`), as for any question
    asking = Signal(int, int, object)
    answered = Signal(int, int)  # position, how many: the answer is in; its follow-ups come next
    ready_for_next = Signal(bool)  # True: the follow-ups are over, the next question may come
    finished = Signal(object, object)  # report (dict), loop id or None when it could not be saved
    problem = Signal(str)

    def __init__(self, practice: PracticeSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.practice = practice
        self.running = False
        self.questions: list[Question] = []
        self.minutes = 45
        self.position = 0
        self.answers: list[LoopAnswer] = []
        self._started = 0.0
        self._started_at = ""
        self._result: PracticeResult | None = None
        self._waiting_follow_ups = False
        practice.finished.connect(self._on_answer)
        practice.follow_up.stepChanged.connect(self._on_follow_up_step)

    def start(self, questions: Sequence[Question], minutes: int) -> None:
        self.running = True
        self.questions, self.minutes = list(questions), minutes
        self.answers, self.position = [], 0
        self._started = time.monotonic()
        self._started_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        self.next_question()

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self._started if self.running else 0.0

    def next_question(self) -> None:
        """The next question, or the report after the last one."""
        if not self.running:
            return
        self._keep_current()
        if self.position >= len(self.questions):
            self.finish()
            return
        self.position += 1
        self._result, self._waiting_follow_ups = None, False
        self.ready_for_next.emit(False)
        question = self.questions[self.position - 1]
        self.asking.emit(self.position, len(self.questions), question)

    def finish(self) -> None:
        """End the loop now (after the last question, or early): the report of what was answered."""
        if not self.running:
            return
        self._keep_current()
        self.running = False
        self.practice.follow_up.stop()
        answered = {a.question.id for a in self.answers}
        skipped = [LoopAnswer(q, None, None) for q in self.questions[: self.position] if q.id not in answered]
        answers, minutes, started_at = [*self.answers, *skipped], self.minutes, self._started_at
        used = time.monotonic() - self._started

        def report() -> dict[str, Any]:  # every answer's feedback rules: off the GUI thread
            return build_report(answers, minutes, used, started_at)

        def failed(message: str) -> None:
            self.problem.emit(f"The loop's report could not be made: {message}")

        history = self.practice.history
        if history is None:
            run_task(report, lambda r: self.finished.emit(r, None), failed)
            return
        history.submit(lambda store: self._save(store, report()), self._saved, failed)

    def abandon(self) -> None:
        self.running = False
        self.practice.follow_up.stop()

    @staticmethod
    def _save(store: Store, report: dict[str, Any]) -> tuple[dict[str, Any], int | None, str]:
        """The report, its loop id (None when it could not be saved) and why not."""
        try:
            return report, store.save_loop(report), ""
        except (StoreError, sqlite3.Error) as e:
            return report, None, str(e)

    def _saved(self, out: tuple[dict[str, Any], int | None, str]) -> None:
        report, loop_id, problem = out
        if problem:
            self.problem.emit(f"The loop's report could not be saved: {problem}")
        self.finished.emit(report, loop_id)

    def _keep_current(self) -> None:
        """The answer on hand, with its follow-up replies so far, into the report."""
        result, self._result = self._result, None
        if result is None:
            return
        replies = tuple(
            (r.follow_up.text, r.verdict.gave, r.verdict.message) for r in self.practice.follow_up.replies
        )
        story = result.story.suggested.title if result.story and result.story.suggested else None
        self.answers.append(LoopAnswer(result.question, result.analysis, result.attempt_id, replies, story))

    @Slot(object)
    def _on_answer(self, result: PracticeResult) -> None:
        if not self.running:
            return
        self._result = result
        self._waiting_follow_ups = True
        self.answered.emit(self.position, len(self.questions))

    @Slot(object)
    def _on_follow_up_step(self, step: Step) -> None:
        if self.running and self._waiting_follow_ups and step in (Step.DONE, Step.IDLE):
            self._waiting_follow_ups = False
            self.ready_for_next.emit(True)
