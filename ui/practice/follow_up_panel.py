"""The interviewer's follow-up under the feedback: the question (also read aloud), Space to answer and
stop, N to skip, H to hear it again; while answering, the level and the words heard; after, whether
the reply gave what was asked. It shows a FollowUpRunner and decides nothing itself."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.analysis.timing import clock
from app.followups.rules import ASKS, FollowUp
from app.practice.follow_up import FollowUpRunner, Reply, Step
from app.speech.transcript import Transcript
from ui.common.star_style import GOOD_COLOR, SHORT_COLOR
from ui.practice.practice_view import PROVISIONAL_COLOUR

STATUS = {
    Step.ASKING: "Listen to the follow-up… (Space answers at once)",
    Step.READY: "Press Space to answer aloud, N to skip it.",
    Step.RECORDING: "Recording your reply — press Space when you have finished.",
    Step.JUDGING: "Listening to the end of your reply…",
    Step.DONE: "That was the last follow-up.",
}


class FollowUpPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("follow-up")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.runner: FollowUpRunner | None = None
        self.title = QLabel()
        self.asked = QLabel(wordWrap=True)
        self.asked.setTextFormat(Qt.TextFormat.RichText)
        self.asked.setAccessibleName(self.tr("Follow-up question"))
        self.status = QLabel(wordWrap=True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.level = QProgressBar(minimum=0, maximum=60, textVisible=False)
        self.level.setFixedHeight(10)
        self.level.setAccessibleName(self.tr("Microphone level"))
        self.clock = QLabel("0:00")
        self.heard = QLabel(wordWrap=True)
        self.heard.setAccessibleName(self.tr("Your reply as heard"))
        self.heard.setTextFormat(Qt.TextFormat.RichText)  # escaped: the provisional words in italics
        self._heard = ("", "")  # the reply's words transcribed for good, and the provisional ones after
        self.replies = QLabel(wordWrap=True)
        self.replies.setTextFormat(Qt.TextFormat.RichText)
        self.replies.setAccessibleName(self.tr("How your replies did"))
        self.answer = QPushButton(self.tr("Answer (Space)"))
        self.skip = QPushButton(self.tr("Skip (N)"))
        self.hear = QPushButton(self.tr("Hear again (H)"))

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        for b in (self.answer, self.skip, self.hear):
            head.addWidget(b)
        meter = QHBoxLayout()
        meter.addWidget(self.level, 1)
        meter.addWidget(self.clock)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 6, 8, 6)
        col.addLayout(head)
        col.addWidget(self.asked)
        col.addWidget(self.status)
        col.addLayout(meter)
        col.addWidget(self.heard)
        col.addWidget(self.replies)
        self.hide()

    def attach(self, runner: FollowUpRunner, owner: QWidget) -> None:
        """Wire the runner; the keys work anywhere on `owner` (the feedback screen)."""
        self.runner = runner
        runner.stepChanged.connect(self._on_step)
        runner.asked.connect(self._on_asked)
        # Bound slots, never lambdas: Qt drops a slot's connection when this panel is destroyed, and the
        # runner outlives the window.
        runner.level.connect(self._on_level)
        runner.elapsed.connect(self._on_elapsed)
        runner.partial.connect(self._on_partial)
        runner.provisional.connect(self._on_provisional)
        runner.replied.connect(self._on_replied)
        runner.problem.connect(self._on_problem)
        self.answer.clicked.connect(runner.toggle)
        self.skip.clicked.connect(runner.skip)
        self.hear.clicked.connect(runner.ask_again)
        for keys, slot in [
            (QKeySequence(Qt.Key.Key_Space), runner.toggle),
            (QKeySequence(Qt.Key.Key_N), runner.skip),
            (QKeySequence(Qt.Key.Key_H), runner.ask_again),
        ]:
            QShortcut(keys, owner, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def reset(self) -> None:
        """A new answer on screen: its follow-ups, if any, start afresh."""
        self.replies.clear()
        self._show_heard("", "")
        self.hide()

    @Slot(int, int, object)
    def _on_asked(self, position: int, count: int, follow_up: FollowUp) -> None:
        self.show()
        self.title.setText(self.tr("<b>Follow-up {0} of {1}</b>").format(position, count))
        self.asked.setText(
            f"<p style='font-size:large'><b>{escape(follow_up.text)}</b></p>"
            f"<p style='color:gray'>{escape(follow_up.reason)} "
            f"{escape(self.tr('A good reply gives {0}.').format(ASKS[follow_up.rule.asks_for]))}</p>"
        )
        self.asked.setToolTip(self.tr("Rule {0}").format(follow_up.rule.id))
        self._show_heard("", "")
        self.clock.setText("0:00")

    @Slot(object)
    def _on_step(self, step: Step) -> None:
        if step is Step.IDLE:
            self.hide()
            return
        self.status.setText(self.tr(STATUS[step]))
        recording = step is Step.RECORDING
        self.answer.setText(self.tr("Stop (Space)") if recording else self.tr("Answer (Space)"))
        self.answer.setEnabled(step in (Step.ASKING, Step.READY, Step.RECORDING))
        self.skip.setEnabled(step in (Step.ASKING, Step.READY, Step.RECORDING))
        self.hear.setEnabled(step in (Step.ASKING, Step.READY))
        for part in (self.level, self.clock, self.heard):
            part.setVisible(step in (Step.RECORDING, Step.JUDGING))
        if step is Step.DONE:
            self.asked.clear()
            self.title.setText(self.tr("<b>Follow-ups</b>"))
        if not recording:
            self.level.setValue(0)

    @Slot(float, float)
    def _on_level(self, rms_dbfs: float, _peak: float) -> None:
        self.level.setValue(int(max(0.0, min(60.0, rms_dbfs + 60))))

    @Slot(float)
    def _on_elapsed(self, seconds: float) -> None:
        self.clock.setText(clock(seconds))

    @Slot(str)
    def _on_problem(self, message: str) -> None:
        self.status.setText(message)

    @Slot(object)
    def _on_partial(self, transcript: Transcript) -> None:
        self._show_heard(transcript.text, self._heard[1])

    @Slot(object)
    def _on_provisional(self, transcript: Transcript) -> None:
        self._show_heard(self._heard[0], transcript.text)

    def _show_heard(self, final: str, provisional: str) -> None:
        """As on the practice screen: the provisional words lighter and in italics."""
        self._heard = (final, provisional)
        later = f" <i style='color:{PROVISIONAL_COLOUR}'>{escape(provisional)}</i>" if provisional else ""
        self.heard.setText(escape(final) + later)

    @Slot(object)
    def _on_replied(self, reply: Reply) -> None:
        row = reply_html(
            reply.follow_up.text, reply.seconds, reply.verdict.gave, reply.verdict.message, reply.text
        )
        if reply.save_error:
            row += f"<div><i>{escape(self.tr('Not saved: {0}').format(reply.save_error))}</i></div>"
        self.replies.setText(self.replies.text() + row)
        self._show_heard("", "")


def reply_html(asked: str, seconds: float, gave: bool, verdict: str, said: str) -> str:
    """One follow-up and its reply, as the feedback screen and replay show it."""
    colour, mark = (GOOD_COLOR, "\u2713") if gave else (SHORT_COLOR, "\u2717")
    return (
        f"<div><span style='color:{colour}'><b>{mark}</b></span> <b>{escape(asked)}</b> "
        f"({clock(seconds)}): <span style='color:{colour}'>{escape(verdict)}</span> "
        f"<span style='color:gray'>You said: \u201c{escape(said)}\u201d</span></div>"
    )
