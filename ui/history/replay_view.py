"""Replaying a past attempt: the recording with a transport (play/pause, seek, ±5 s, speed), the
transcript following the sound sentence by sentence, and the attempt's feedback beside it.

`CompareView` (ui/history/replay_compare.py) puts two attempts side by side.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSlider,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.analysis.analyze import Analysis
from app.analysis.timing import clock
from app.analysis.types import Label
from app.history.follow_ups import FollowUpRecord
from app.history.worker import HistoryWorker
from app.speech.playback import Player
from ui.history.replay_compare import CompareView
from ui.history.replay_transcript import ReplayTranscript
from ui.practice.feedback_parts import SidePanel, legend_html, summary_html
from ui.practice.follow_up_panel import reply_html
from ui.practice.relabel import RelabelFilter, focus_sentence

__all__ = ["CompareView", "ReplayView"]

SPEEDS = (0.75, 1.0, 1.25, 1.5)
STEP_S = 5.0
LEAD_S = 0.15  # start a sentence a little early: word times from the engine are rarely late


class ReplayView(QWidget):
    relabelled = Signal(int, str)  # sentence, section: the person corrected a label
    back = Signal()

    def __init__(
        self, player: Player, history: HistoryWorker | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.player = player
        self.history = history  # where the attempt's follow-ups are read
        self.analysis: Analysis | None = None
        self.attempt_id: int | None = None  # where a corrected label is saved
        self._title = ""
        self.audio_path: Path | None = None
        self._ours = False  # the player is playing our file (it may be shared with other views)
        self._paused = False
        self._pending_seek: float | None = None
        self._current: int | None = None
        self._starts: list[float] = []

        self.title = QLabel(wordWrap=True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.play_button = QPushButton(self.tr("Play (P)"))
        self.play_button.setAccessibleName(self.tr("Play or pause the recording"))
        self.back_button = QPushButton(self.tr("−5 s (←)"))
        self.back_button.setAccessibleName(self.tr("Back five seconds"))
        self.forward_button = QPushButton(self.tr("+5 s (→)"))
        self.forward_button.setAccessibleName(self.tr("Forward five seconds"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(self.tr("Position in the recording"))
        self.slider.setPageStep(5000)
        self.slider.setSingleStep(1000)
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setAccessibleName(self.tr("Elapsed and total time"))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setAccessibleName(self.tr("Playback speed"))
        speed_label = QLabel(self.tr("&Speed"))
        speed_label.setBuddy(self.speed)
        self.no_audio = QLabel(self.tr("No recording kept for this attempt."))
        self.no_audio.setAccessibleName(self.no_audio.text())
        self.no_audio.setStyleSheet("color: palette(mid); font-style: italic")
        self.no_audio.hide()
        self.follow_ups = QLabel(wordWrap=True)
        self.follow_ups.setTextFormat(Qt.TextFormat.RichText)
        self.follow_ups.setAccessibleName(self.tr("Follow-up questions and your replies"))
        self.follow_ups.hide()

        self.transcript = ReplayTranscript()
        self.side = SidePanel(self.tr("Figures"), self.tr("Click to hear this moment"), wrap_long_rows=True)
        self.points, self.figures = self.side.points, self.side.figures

        transport = QHBoxLayout()
        for w in (self.play_button, self.back_button, self.slider, self.time_label, self.forward_button):
            transport.addWidget(w, 1 if w is self.slider else 0)
        transport.addSpacing(12)
        transport.addWidget(speed_label)
        transport.addWidget(self.speed)
        self.history_button = QPushButton(self.tr("Back to history (Alt+←)"))
        self.history_button.clicked.connect(self.back)
        transport.addSpacing(12)
        transport.addWidget(self.history_button)

        main = QSplitter()
        main.addWidget(self.transcript)
        main.addWidget(self.side)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)

        col = QVBoxLayout(self)
        col.addWidget(self.title)
        col.addLayout(transport)
        col.addWidget(self.no_audio)
        col.addWidget(self.follow_ups)
        col.addWidget(QLabel(legend_html()))
        col.addWidget(main, 1)

        self.play_button.clicked.connect(self.toggle_play)
        self.back_button.clicked.connect(lambda: self.skip(-STEP_S))
        self.forward_button.clicked.connect(lambda: self.skip(STEP_S))
        self.speed.currentIndexChanged.connect(self._speed_changed)
        self.slider.sliderMoved.connect(self._slider_moved)
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value() / 1000))
        self.slider.actionTriggered.connect(self._slider_action)
        self.transcript.anchorClicked.connect(self._anchor)
        self.relabel_filter = RelabelFilter(self.transcript, self._section_of, self.relabelled.emit)
        self.points.chosen.connect(self._point)
        player.position.connect(self._on_position)
        player.duration_changed.connect(self._on_duration)
        player.started.connect(self._on_started)
        player.finished.connect(self._on_finished)
        player.error.connect(self._on_error)
        for key, slot in [
            (Qt.Key.Key_P, self.toggle_play),
            (Qt.Key.Key_Space, self.toggle_play),
            (Qt.Key.Key_Left, lambda: self.skip(-STEP_S)),
            (Qt.Key.Key_Right, lambda: self.skip(STEP_S)),
        ]:
            QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # ----------------------------------------------------------------- showing an attempt

    def show_attempt(
        self, title: str, analysis: Analysis, audio_path: Path | None, attempt_id: int | None = None
    ) -> None:
        self.stop()
        self.attempt_id = attempt_id
        self.follow_ups.hide()
        if self.history is not None and attempt_id is not None:
            self.history.submit(
                lambda store: store.follow_ups(attempt_id),
                lambda replies: self.show_follow_ups(attempt_id, replies),
                lambda message: self.show_follow_ups(attempt_id, []),
            )
        self._title = title
        self.analysis = analysis
        self.audio_path = audio_path if audio_path is not None and Path(audio_path).is_file() else None
        self._starts = [s.start for s in analysis.sentences]
        self._current = None
        self._show_analysis(analysis)
        has_audio = self.audio_path is not None
        for w in (self.play_button, self.back_button, self.forward_button, self.slider, self.speed):
            w.setEnabled(has_audio)
        self.no_audio.setVisible(not has_audio)
        end = analysis.sentences[-1].end if analysis.sentences else 0.0
        self._set_length(max(end, analysis.timing.total_seconds))
        self._show_position(0.0)

    def show_follow_ups(self, attempt_id: int, replies: Sequence[FollowUpRecord]) -> None:
        """The follow-ups this attempt was asked, read on the history worker after it opened."""
        if attempt_id != self.attempt_id:
            return
        rows = [reply_html(r.asked, r.seconds, r.gave, r.verdict, r.text) for r in replies]
        self.follow_ups.setText(f"<b>{escape(self.tr('Follow-ups'))}</b>" + "".join(rows))
        self.follow_ups.setVisible(bool(rows))

    def show_corrected(self, analysis: Analysis, sentence: int) -> None:
        """The same attempt after a corrected label; playback and the place in the text stay."""
        self.analysis = analysis
        bar = self.transcript.verticalScrollBar()
        at = bar.value()
        self._show_analysis(analysis)
        bar.setValue(at)
        focus_sentence(self.transcript, sentence)

    def _show_analysis(self, analysis: Analysis) -> None:
        self.title.setText(f"<h2>{escape(self._title)}</h2><p>{summary_html(analysis)}</p>")
        self.transcript.set_sentences(analysis.sentences, self.tr("Your answer"))
        self.side.show_analysis(analysis)

    def _section_of(self, i: int) -> Label:
        assert self.analysis is not None
        return self.analysis.sentences[i].section

    # ----------------------------------------------------------------- transport

    def current_sentence(self) -> int | None:
        """The sentence highlighted as being heard, or None when nothing is playing or paused."""
        return self._current

    def sentence_at(self, seconds: float) -> int | None:
        if not self._starts:
            return None
        return max(0, bisect_right(self._starts, seconds + LEAD_S + 0.01) - 1)  # as when clicked

    @Slot()
    def toggle_play(self) -> None:
        if self.audio_path is None:
            return
        if self._ours and self.player.is_playing():
            self.player.pause()
            self._paused = True
        elif self._ours and self._paused:
            self.player.set_speed(self._speed())
            self.player.resume()
            self._paused = False
        else:
            at = self.slider.value() / 1000
            self._start(at if at < self.slider.maximum() / 1000 - 0.2 else 0.0)
        self._update_button()

    def seek(self, seconds: float) -> None:
        """Moves to `seconds`; while stopped, only the slider moves and playback will start there."""
        if self.audio_path is None:
            return
        seconds = max(0.0, min(seconds, self.slider.maximum() / 1000))
        if self._ours:
            self.player.seek(seconds)
        self._show_position(seconds)

    def skip(self, delta: float) -> None:
        self.seek(self._position() + delta)

    def play_from(self, seconds: float) -> None:
        """Plays from `seconds`, whatever the state."""
        if self.audio_path is None:
            return
        if self._ours and (self.player.is_playing() or self._paused):
            self.player.seek(seconds)
            if self._paused:
                self.player.resume()
                self._paused = False
            self._show_position(seconds)
            self._update_button()
        else:
            self._start(seconds)

    def stop(self) -> None:
        if self._ours:
            self.player.stop()
        self._ours = self._paused = False
        self._pending_seek = None
        self._set_current(None)
        self._update_button()

    def _start(self, seconds: float) -> None:
        assert self.audio_path is not None
        self._ours, self._paused = True, False
        self._pending_seek = seconds if seconds > 0.05 else None
        self.player.set_speed(self._speed())
        self.player.play(self.audio_path)
        self._show_position(seconds)
        self._update_button()

    def _speed(self) -> float:
        return float(self.speed.currentData())

    def _position(self) -> float:
        return self.player.current_position() if self._ours else self.slider.value() / 1000

    def _update_button(self) -> None:
        playing = self._ours and not self._paused
        self.play_button.setText(self.tr("Pause (P)") if playing else self.tr("Play (P)"))

    def _set_length(self, seconds: float) -> None:
        self.slider.setRange(0, max(1, round(seconds * 1000)))

    def _show_position(self, seconds: float) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(round(seconds * 1000))
        self.time_label.setText(f"{clock(seconds)} / {clock(self.slider.maximum() / 1000)}")

    def _set_current(self, i: int | None, seconds: float | None = None) -> None:
        self._current = i
        word = None
        if i is not None and seconds is not None and self.analysis is not None:
            starts = [w.start for w in self.analysis.sentences[i].words]
            word = max(0, bisect_right(starts, seconds) - 1) if starts else None
        self.transcript.highlight(i, word)

    # ----------------------------------------------------------------- player and widget signals

    @Slot(float)
    def _on_position(self, seconds: float) -> None:
        if not self._ours or self._pending_seek is not None:
            return
        self._show_position(seconds)
        self._set_current(self.sentence_at(seconds), seconds)

    @Slot(float)
    def _on_duration(self, seconds: float) -> None:
        if self._ours and seconds > 0:
            self._set_length(seconds)

    @Slot()
    def _on_started(self) -> None:
        if self._ours:
            self._apply_pending_seek()

    def _apply_pending_seek(self) -> None:
        if self._pending_seek is not None:
            at, self._pending_seek = self._pending_seek, None
            self.player.seek(at)
            self._show_position(at)
            self._set_current(self.sentence_at(at), at)

    @Slot()
    def _on_finished(self) -> None:
        if self._ours:
            self._ours = self._paused = False
            self._set_current(None)
            self._show_position(self.slider.maximum() / 1000)
            self._update_button()

    @Slot(str)
    def _on_error(self, message: str) -> None:
        if self._ours:
            self.stop()
            self.no_audio.setText(message)
            self.no_audio.show()

    @Slot(int)
    def _speed_changed(self, _index: int) -> None:
        if self._ours:
            self.player.set_speed(self._speed())

    @Slot(int)
    def _slider_moved(self, ms: int) -> None:
        self.time_label.setText(f"{clock(ms / 1000)} / {clock(self.slider.maximum() / 1000)}")

    @Slot(int)
    def _slider_action(self, action: int) -> None:
        if action != QAbstractSlider.SliderAction.SliderMove.value:
            self.seek(self.slider.sliderPosition() / 1000)

    @Slot(QUrl)
    def _anchor(self, url: QUrl) -> None:
        if self.analysis is None:
            return
        i = int(url.toString().lstrip("s") or 0)
        self.play_from(max(0.0, self.analysis.sentences[i].start - LEAD_S))

    @Slot(float)
    def _point(self, at: float) -> None:
        self.play_from(max(0.0, at - LEAD_S))

    def hideEvent(self, event: object) -> None:
        if self._ours and self.player.is_playing():
            self.player.pause()
            self._paused = True
            self._update_button()
        super().hideEvent(event)  # type: ignore[arg-type]
