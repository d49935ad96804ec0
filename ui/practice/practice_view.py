"""The practice screen: the question in large type, the clock, the level meter and the live transcript.

The live transcript has two parts: the words of the closed stretches (what will be analysed), and after
them, lighter and in italics, the provisional words of the last seconds, replaced when their stretch
is transcribed whole (app.speech.streaming).

It shows a PracticeSession; it decides nothing itself. Space records and stops, R repeats the
question, Escape abandons the answer without saving it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis.timing import clock
from app.practice.session import Phase, PracticeSession
from app.speech.transcript import Transcript

STATUS = {
    Phase.ASKING: "Listen to the question…",
    Phase.THINKING: "Think about your answer. Recording starts by itself, or press Space.",
    Phase.READY: "Press Space to start recording your answer.",
    Phase.RECORDING: "Recording — press Space when you have finished.",
    Phase.FINISHING: "Transcribing the end of your answer…",
    Phase.ANALYSING: "Analysing your answer…",
    Phase.DONE: "Done.",
}


def provisional_format() -> QTextCharFormat:
    """Lighter and slanted: these words may still change (the palette's placeholder colour suits both
    a light and a dark theme)."""
    fmt = QTextCharFormat()
    fmt.setFontItalic(True)
    fmt.setForeground(QColor(PROVISIONAL_COLOUR))
    return fmt


PROVISIONAL_COLOUR = "#6b7280"


class PracticeView(QWidget):
    back = Signal()

    def __init__(self, session: PracticeSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.question = QLabel(wordWrap=True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.question.setFont(font)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # bank text: a '<b>' in it is shown, not obeyed
        self.status = QLabel(wordWrap=True)
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("message")
        self.message.hide()
        self.busy = QProgressBar(maximum=0, textVisible=False)  # indeterminate: work under way
        self.busy.setFixedHeight(8)
        self.busy.hide()

        self.level = QProgressBar(minimum=0, maximum=60, textVisible=False)
        self.level.setAccessibleName(self.tr("Microphone level"))
        self.level.setFixedHeight(14)
        self.clock = QLabel("0:00")
        clock_font = QFont(self.font())
        clock_font.setPointSizeF(clock_font.pointSizeF() * 1.5)
        self.clock.setFont(clock_font)
        self.clock.setAccessibleName(self.tr("Answer time"))

        self.hear = QPushButton(self.tr("Hear again (R)"))
        self.record = QPushButton(self.tr("Record (Space)"))
        self.abandon = QPushButton(self.tr("Abandon (Esc)"))
        self.back_button = QPushButton(self.tr("Back to questions (Alt+←)"))
        for b, name in [
            (self.hear, "Hear the question again"),
            (self.record, "Record or stop"),
            (self.abandon, "Abandon this answer"),
            (self.back_button, "Back to the questions"),
        ]:
            b.setAccessibleName(self.tr(name))
        # A written story being rehearsed, shown only when the person chose a prompt card in Settings.
        self.card = QLabel(wordWrap=True)
        self.card.setAccessibleName(self.tr("Prompt card: your written story"))
        self.card.setStyleSheet("QLabel { border: 1px solid palette(mid); padding: 6px; }")
        self.card.hide()
        self.live = QPlainTextEdit(readOnly=True)
        self.live.setPlaceholderText(self.tr("What you say appears here while you speak."))
        self.live.setAccessibleName(self.tr("Live transcript"))
        self.live.setAccessibleDescription(self.tr("The last words, in italics, may still change."))
        self.heard_text = ""  # the closed stretches' words
        self.provisional_text = ""  # the words after them, still provisional

        meter = QHBoxLayout()
        meter.addWidget(QLabel(self.tr("Level")))
        meter.addWidget(self.level, 1)
        meter.addSpacing(16)
        meter.addWidget(self.clock)
        buttons = QHBoxLayout()
        for b in (self.record, self.hear, self.abandon):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        col = QVBoxLayout(self)
        col.addWidget(self.question)
        col.addWidget(self.status)
        col.addWidget(self.busy)
        col.addWidget(self.message)
        col.addLayout(meter)
        col.addLayout(buttons)
        col.addWidget(self.card)
        col.addWidget(self.live, 1)

        self.record.clicked.connect(session.toggle_recording)
        self.hear.clicked.connect(session.replay_question)
        self.abandon.clicked.connect(self._abandon)
        self.back_button.clicked.connect(self._back)
        for keys, slot in [
            (QKeySequence(Qt.Key.Key_Space), session.toggle_recording),
            (QKeySequence(Qt.Key.Key_R), session.replay_question),
            (QKeySequence(Qt.Key.Key_Escape), self._abandon),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self._back),
        ]:
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        session.phaseChanged.connect(self._on_phase)
        session.countdown.connect(self._on_countdown)
        session.level.connect(self._on_level)
        session.elapsed.connect(self._on_elapsed)
        session.partial.connect(self._on_partial)
        session.provisional.connect(self._on_provisional)
        session.warning.connect(lambda m: self.show_message(m, "warning"))
        session.error.connect(lambda m: self.show_message(m, "error"))
        session.notice.connect(lambda m: self.show_message(m, "notice"))

    def clear(self) -> None:
        """Before a practice starts: what it says while starting (no voice to read the question) stays."""
        self._show_live("", "")
        self.message.hide()

    def begin(self) -> None:
        q = self.session.question
        self.question.setText(q.question if q else "")
        story = self.session.rehearsing
        if story is not None:
            self.question.setText(
                self.tr("Rehearsing \u201c{0}\u201d: {1}").format(story.title, q.question if q else "")
            )
        self.card.setText(story.written if story is not None else "")
        self.card.setVisible(bool(story and story.written and self.session.settings.prompt_card))
        self.clock.setText(f"0:00 / {clock(self.session.settings.target_seconds)}")
        self.level.setValue(0)
        self._on_phase(self.session.phase)
        self.setFocus()

    def show_message(self, text: str, kind: str) -> None:
        colours = {
            "error": ("#fde2e1", "#7f1d1d"),
            "warning": ("#fff4ce", "#3d2c00"),
            "notice": ("#e0f2fe", "#0c4a6e"),
        }
        bg, fg = colours[kind]
        self.message.setStyleSheet(f"#message {{ background: {bg}; color: {fg}; padding: 6px; }}")
        self.message.setText(text)
        self.message.show()

    @Slot(object)
    def _on_phase(self, phase: Phase) -> None:
        self.status.setText(self.tr(STATUS.get(phase, "")))
        self.busy.setVisible(phase in (Phase.FINISHING, Phase.ANALYSING))
        recording = phase is Phase.RECORDING
        self.record.setText(self.tr("Stop (Space)") if recording else self.tr("Record (Space)"))
        self.record.setEnabled(phase in (Phase.READY, Phase.THINKING, Phase.ASKING, Phase.RECORDING))
        self.hear.setEnabled(phase in (Phase.READY, Phase.THINKING))
        if phase is Phase.RECORDING:
            self._show_live("", "")
            self.message.hide()
        elif phase in (Phase.READY, Phase.IDLE):  # after Escape: nothing is being heard or timed
            self.level.setValue(0)
            self.clock.setText(f"0:00 / {clock(self.session.settings.target_seconds)}")

    @Slot(int)
    def _on_countdown(self, left: int) -> None:
        self.status.setText(self.tr("Think about your answer: {0} s. Press Space to start now.").format(left))

    @Slot(float, float)
    def _on_level(self, rms_dbfs: float, _peak: float) -> None:
        self.level.setValue(int(max(0.0, min(60.0, rms_dbfs + 60))))

    @Slot(float)
    def _on_elapsed(self, seconds: float) -> None:
        target = self.session.settings.target_seconds
        self.clock.setText(f"{clock(seconds)} / {clock(target)}")
        over = seconds >= target
        self.clock.setStyleSheet("color: #b45309; font-weight: bold;" if over else "")
        if over and not self.clock.toolTip():
            self.clock.setToolTip(self.tr("Past your target length: bring it to a close."))

    @Slot(object)
    def _on_partial(self, transcript: Transcript) -> None:
        self._show_live(transcript.text, self.provisional_text)

    @Slot(object)
    def _on_provisional(self, transcript: Transcript) -> None:
        self._show_live(self.heard_text, transcript.text)

    def _show_live(self, heard: str, provisional: str) -> None:
        if (heard, provisional) == (self.heard_text, self.provisional_text) and heard + provisional:
            return
        self.heard_text, self.provisional_text = heard, provisional
        self.live.setCurrentCharFormat(QTextCharFormat())  # the closed stretches' words: plain
        self.live.setPlainText(heard)
        if provisional:
            cursor = QTextCursor(self.live.document())  # not the view's cursor: its format stays plain
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText((" " if heard else "") + provisional, provisional_format())
        self.live.verticalScrollBar().setValue(self.live.verticalScrollBar().maximum())

    @Slot()
    def _abandon(self) -> None:
        if self.session.phase in (Phase.RECORDING, Phase.FINISHING):
            self.session.abandon()
            self.show_message(self.tr("Answer abandoned; nothing was saved."), "notice")

    @Slot()
    def _back(self) -> None:
        self.session.abandon()
        self.back.emit()
