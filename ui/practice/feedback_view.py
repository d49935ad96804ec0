"""After an answer: the transcript coloured by STAR section, the timeline, the delivery figures and the
few things to change. A click on a point jumps to that place in the transcript and in the recording."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.analysis.analyze import Analysis
from app.analysis.progress import since_last
from app.analysis.stories import answer_sentences
from app.analysis.timing import RECOMMENDED_SPLIT
from app.analysis.types import SECTION_TITLES, STAR, Label
from app.practice.follow_up import FollowUpRunner
from app.practice.result import PracticeResult
from app.speech.playback import Player
from ui.common.star_style import tint
from ui.practice.compared import comparison_html
from ui.practice.feedback_parts import SidePanel, legend_html, progress_html, summary_html
from ui.practice.follow_up_panel import FollowUpPanel
from ui.practice.relabel import SECTION_KEYS, RelabelFilter, focus_sentence
from ui.practice.star_timeline import Bar, StarTimeline
from ui.practice.story_row import StoryRow


class FeedbackView(QWidget):
    again = Signal()
    back = Signal()
    relabelled = Signal(int, str)  # sentence, section: the person corrected a label

    def __init__(self, player: Player | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.result: PracticeResult | None = None
        self.previous: tuple[str, Analysis] | None = None
        self._pending_seek: float | None = None
        if player is not None:
            # QtPlayer ignores a seek made before playback has started: apply it once it has.
            player.started.connect(self._apply_seek)
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.follow_up = FollowUpPanel()
        self.story = StoryRow()
        self.runner: FollowUpRunner | None = None
        self.timeline = StarTimeline()
        self.transcript = QTextBrowser(openLinks=False)
        self.transcript.setAccessibleName(self.tr("Your answer, coloured by STAR section"))
        self.reference = QTextBrowser()
        self.reference.setAccessibleName(self.tr("Reference answer, coloured by STAR section"))
        self.side = SidePanel(self.tr("Delivery"), self.tr("Click to see and hear this moment"))
        self.points = self.side.points
        self.play = QPushButton(self.tr("Play recording (P)"))
        self.try_again = QPushButton(self.tr("Try again (Ctrl+Enter)"))
        self.back_button = QPushButton(self.tr("Back to questions (Alt+←)"))

        texts = QSplitter(Qt.Orientation.Vertical)
        texts.addWidget(self.transcript)
        texts.addWidget(self.reference)
        main = QSplitter()
        main.addWidget(texts)
        main.addWidget(self.side)
        main.setSizes([640, 420])

        buttons = QHBoxLayout()
        for b in (self.play, self.try_again):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        col = QVBoxLayout(self)
        col.addWidget(self.summary)
        col.addWidget(self.story)
        col.addWidget(self.follow_up)
        col.addWidget(self.timeline)
        col.addWidget(QLabel(legend_html()))
        col.addWidget(main, 1)
        col.addLayout(buttons)

        self.relabel_filter = RelabelFilter(self.transcript, self._section_of, self.relabelled.emit)
        self.points.chosen.connect(self._jump)
        self.transcript.anchorClicked.connect(self._anchor)
        self.play.clicked.connect(self._toggle_play)
        self.try_again.clicked.connect(self.again)
        self.back_button.clicked.connect(self.back)
        for keys, slot in [
            (QKeySequence(Qt.Key.Key_P), self._toggle_play),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self.back.emit),
        ]:
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def ask_follow_ups(self, runner: FollowUpRunner) -> None:
        """The follow-ups `runner` asks after each answer are shown here (app.practice.follow_up)."""
        self.runner = runner
        self.follow_up.attach(runner, self)

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the screen ends its follow-ups (minimising the window does not)."""
        if not event.spontaneous() and self.runner is not None:
            self.runner.stop()
        super().hideEvent(event)

    # ----------------------------------------------------------------- showing a result

    def show_result(self, result: PracticeResult, previous: tuple[str, Analysis] | None = None) -> None:
        """`previous`: the last attempt at the same question (when, analysis), to say what changed."""
        self.result = result
        self.previous = previous
        a = result.analysis
        assert a is not None
        self._show_analysis(a)
        if result.rehearsed is not None and result.rehearsed.written:
            self.reference.setHtml(comparison_html(result.rehearsed.title, result.comparison, self.palette()))
        else:
            self.reference.setHtml(self._reference_html(result))
        # A new answer opens at its top: point 1 was out of sight, kept at the last answer's scroll.
        for area in (self.transcript, self.side):
            area.verticalScrollBar().setValue(0)
        self.story.show_choice(result.attempt_id, result.story)
        self.follow_up.reset()  # the session asks this answer's follow-ups after its second listen

    def show_refined(self, analysis: Analysis) -> None:
        """The same answer with the second listen's fillers (ui.practice.corrections measured it); the
        person's corrections and the place in the text stay."""
        assert self.result is not None
        self.result = replace(self.result, analysis=analysis)
        self._redraw_in_place(analysis)

    def show_corrected(self, result: PracticeResult, sentence: int) -> None:
        """The same answer after a corrected label: everything follows, the place in the text stays."""
        self.result = result
        assert result.analysis is not None
        self._redraw_in_place(result.analysis)
        focus_sentence(self.transcript, sentence)

    def _redraw_in_place(self, a: Analysis) -> None:
        """The same answer drawn again (a correction, the filler count): the reading place stays."""
        bars = [area.verticalScrollBar() for area in (self.transcript, self.side)]
        at = [bar.value() for bar in bars]
        self._show_analysis(a)
        for bar, value in zip(bars, at, strict=True):
            bar.setValue(value)

    def _show_analysis(self, a: Analysis) -> None:
        assert self.result is not None
        self.summary.setText(
            f"<h2>{escape(self.result.question.question)}</h2><p>{summary_html(a)}</p>"
        )  # how fast feedback came is the benchmark's figure, not the person's
        self._timeline(a)
        self.transcript.setHtml(self._answer_html(a))
        self.side.show_analysis(a)
        if self.previous is None:
            self.side.show_progress(None)
        else:
            when, before = self.previous
            self.side.show_progress(progress_html(since_last(before, a), when))

    def _section_of(self, i: int) -> Label:
        assert self.result is not None and self.result.analysis is not None
        return self.result.analysis.sentences[i].section

    def _timeline(self, a: Analysis) -> None:
        t = a.timing
        yours = [(s, t.sections[s].seconds) for s in (*STAR, "other")]
        target = t.target_seconds
        recommended = [(s, target * share) for s, share in RECOMMENDED_SPLIT.items()]
        start = a.sentences[0].start if a.sentences else 0.0
        marks = [f.start - start for f in a.delivery.fillers]
        bars = [Bar(self.tr("Your answer"), yours, marks), Bar(self.tr("Recommended"), recommended)]
        if t.reference_shares and t.reference_seconds:
            ref_total = t.reference_seconds
            bars.append(
                Bar(self.tr("Reference, your pace"), [(s, ref_total * t.reference_shares[s]) for s in STAR])
            )
        self.timeline.set_bars(bars, target)

    def _answer_html(self, a: Analysis) -> str:
        pal = self.palette()
        rows = []
        keys = ", ".join(SECTION_KEYS.values())
        for i, s in enumerate(a.sentences):
            tip = self.tr("{0}: click to hear it; right-click, or Tab to it and press {1}, to change").format(
                SECTION_TITLES[s.section], keys
            )
            rows.append(
                f'<a name="s{i}"></a><span style="background-color:{tint(s.section, pal, 0.28)}">'
                f'<a href="s{i}" title="{escape(tip)}" style="color:inherit; text-decoration:none">'
                f"{escape(s.text)}</a></span> "
            )
        hint = self.tr("Wrong colour? Right-click a sentence to say which part it is.")
        return (
            f"<h3>{self.tr('Your answer')}</h3><p style='line-height:140%'>{''.join(rows)}</p>"
            f"<p style='color:gray'>{escape(hint)}</p>"
        )

    def _reference_html(self, result: PracticeResult) -> str:
        pal = self.palette()
        rows = "".join(
            f'<span style="background-color:{tint(lab, pal, 0.28)}">{escape(text)}</span> '
            for text, lab in answer_sentences(result.question)
        )
        return f"<h3>{self.tr('Reference answer')}</h3><p style='line-height:140%'>{rows}</p>"

    # ----------------------------------------------------------------- interaction

    def sentence_at(self, seconds: float) -> int:
        assert self.result is not None and self.result.analysis is not None
        sentences = self.result.analysis.sentences
        for i, s in enumerate(sentences):
            if s.start <= seconds < (sentences[i + 1].start if i + 1 < len(sentences) else s.end + 1):
                return i
        return 0

    @Slot(float)
    def _jump(self, at: float) -> None:
        self.transcript.scrollToAnchor(f"s{self.sentence_at(at)}")
        self._play_from(at)

    @Slot(QUrl)
    def _anchor(self, url: QUrl) -> None:
        assert self.result is not None and self.result.analysis is not None
        i = int(url.toString().lstrip("s") or 0)
        self._play_from(self.result.analysis.sentences[i].start)

    def _play_from(self, seconds: float) -> None:
        if self.player is None or self.result is None or not self.result.recording.path.exists():
            return
        self._pending_seek = max(0.0, seconds - 0.3)
        self.player.play(self.result.recording.path)

    @Slot()
    def _apply_seek(self) -> None:
        if self.player is not None and self._pending_seek is not None:
            self.player.seek(self._pending_seek)
            self._pending_seek = None

    @Slot()
    def _toggle_play(self) -> None:
        if self.player is None or self.result is None or not self.result.recording.path.exists():
            return
        if self.player.is_playing():
            self.player.pause()
        else:
            self.player.play(self.result.recording.path)
