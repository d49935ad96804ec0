"""Two attempts side by side: the STAR split as two bars on one scale, and the figures as a table with
the better value of each row marked (✓, bold, tinted)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.analysis.analyze import Analysis
from app.analysis.feedback import PACE_COMFORTABLE
from app.analysis.progress import since_last
from app.analysis.timing import clock
from app.analysis.types import SECTION_TITLES, STAR
from ui.common.star_style import GOOD_COLOR
from ui.practice.feedback_parts import legend_html, progress_html, sentences_html
from ui.practice.star_timeline import Bar, StarTimeline


def _lower(a: float, b: float, tolerance: float = 0.0) -> str | None:
    """Which of the two is lower ("a"/"b"), or None when they are within `tolerance`."""
    if abs(a - b) <= tolerance:
        return None
    return "a" if a < b else "b"


def _wpm_off(wpm: float | None) -> float:
    if not wpm:
        return float("inf")
    lo, hi = PACE_COMFORTABLE  # the pace the feedback calls comfortable
    return max(0.0, lo - wpm, wpm - hi)


Row = tuple[str, str, Callable[[Analysis], str], Callable[[Analysis, Analysis], str | None]]


def _length_better(a: Analysis, b: Analysis) -> str | None:
    """Over the target, the shorter is better; both within it, neither is marked."""
    if max(a.timing.over_target_s, b.timing.over_target_s) <= 0:
        return None
    return _lower(a.timing.total_seconds, b.timing.total_seconds, 1.0)


def _section(label: str) -> Callable[[Analysis], str]:
    def show(a: Analysis) -> str:
        s = a.timing.sections[label]  # type: ignore[index]
        return f"{s.seconds:.0f} s ({s.share:.0%})" if s.present else "—"

    return show


ROWS: list[Row] = [
    (
        "length",
        "Total length",
        lambda a: f"{clock(a.timing.total_seconds)} (target {clock(a.timing.target_seconds)})",
        _length_better,
    ),
    *[(s, SECTION_TITLES[s], _section(s), lambda _a, _b: None) for s in STAR],
    (
        "wpm",
        "Words per minute",
        lambda a: f"{(a.delivery.wpm or 0):.0f}",
        lambda a, b: _lower(_wpm_off(a.delivery.wpm), _wpm_off(b.delivery.wpm), 2.0),
    ),
    (
        "fillers",
        "Fillers per minute",
        lambda a: f"{(a.delivery.fillers_per_minute or 0):.1f} ({a.delivery.filler_count})",
        lambda a, b: _lower(a.delivery.fillers_per_minute or 0, b.delivery.fillers_per_minute or 0, 0.05),
    ),
    (
        "pauses",
        "Pauses over 2 s",
        lambda a: str(a.delivery.long_pause_count),
        lambda a, b: _lower(a.delivery.long_pause_count, b.delivery.long_pause_count),
    ),
    (
        "missing",
        "Missing sections",
        lambda a: (
            f"{len(a.missing)}: " + ", ".join(SECTION_TITLES[m] for m in a.missing) if a.missing else "none"
        ),
        lambda a, b: _lower(len(a.missing), len(b.missing)),
    ),
    (
        "quantified",
        "Quantified result",
        lambda a: "yes" if a.delivery.quantified else "no",
        lambda a, b: _lower(not a.delivery.quantified, not b.delivery.quantified),
    ),
]


def _when(title: str) -> str:
    """ "30 Nov 15:40" from a history title "30 Nov 15:40 — Tell me about…"."""
    return title.split(" — ")[0]


class CompareView(QWidget):
    """Attempt A (the earlier) and B side by side: the split, the figures, what changed and both
    transcripts coloured by section. Bars and headers carry only "A · date": full titles were cut off."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(wordWrap=True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.timeline = StarTimeline()
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName(self.tr("The two attempts compared; ✓ marks the better value"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.better: dict[str, str | None] = {}
        self.changes = QLabel(wordWrap=True)
        self.changes.setTextFormat(Qt.TextFormat.RichText)
        self.transcripts = (QTextBrowser(), QTextBrowser())
        for side, view in zip("AB", self.transcripts, strict=True):
            view.setAccessibleName(
                self.tr("Transcript of attempt {0}, coloured by STAR section").format(side)
            )
        col = QVBoxLayout(self)
        col.addWidget(self.heading)
        col.addWidget(self.timeline)
        col.addWidget(QLabel(legend_html()))
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.table)
        left.addWidget(QLabel(self.tr("✓ marks the better value of each row.")))
        left.addWidget(self.changes)
        left.addStretch(1)
        row.addLayout(left, 4)
        for view in self.transcripts:
            row.addWidget(view, 3)
        col.addLayout(row, 1)
        self.history_button = QPushButton(self.tr("Back to history (Alt+←)"))
        self.history_button.clicked.connect(self.back)
        col.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_pair(self, title_a: str, analysis_a: Analysis, title_b: str, analysis_b: Analysis) -> None:
        """A is the earlier attempt (History passes them oldest first)."""
        short = (f"A · {_when(title_a)}", f"B · {_when(title_b)}")
        questions = {t.split(" — ", 1)[1] for t in (title_a, title_b) if " — " in t}
        question = f"<h3>{escape(questions.pop())}</h3>" if len(questions) == 1 else ""
        self.heading.setText(
            f"{question}<p><b>{escape(short[0])}</b> compared with <b>{escape(short[1])}</b></p>"
        )
        bars = [
            Bar(short[0], [(s, analysis_a.timing.sections[s].seconds) for s in (*STAR, "other")]),
            Bar(short[1], [(s, analysis_b.timing.sections[s].seconds) for s in (*STAR, "other")]),
        ]
        self.timeline.set_bars(bars, max(analysis_a.timing.target_seconds, analysis_b.timing.target_seconds))
        heading = self.tr("What changed from A to B")
        self.changes.setText(progress_html(since_last(analysis_a, analysis_b), "", heading))
        for view, name, a in zip(self.transcripts, short, (analysis_a, analysis_b), strict=True):
            view.setHtml(f"<h3>{escape(name)}</h3>{sentences_html(a.sentences, self.palette())}")
        self.table.setRowCount(len(ROWS))
        self.table.setHorizontalHeaderLabels(list(short))
        self.table.setVerticalHeaderLabels([self.tr(name) for _, name, _, _ in ROWS])
        self.better = {}
        bold = QFont(self.font())
        bold.setBold(True)
        for row, (key, _name, show, better) in enumerate(ROWS):
            which = better(analysis_a, analysis_b)
            self.better[key] = which
            for column, (side, a) in enumerate((("a", analysis_a), ("b", analysis_b))):
                text = show(a)
                item = QTableWidgetItem(f"✓ {text}" if which == side else text)
                if which == side:
                    item.setFont(bold)
                    item.setForeground(QBrush(QColor(GOOD_COLOR)))
                    item.setToolTip(self.tr("Better of the two"))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        frame = 2 * self.table.frameWidth()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + frame)

    def cell(self, key: str, side: str) -> str:
        """The text shown for row `key` and attempt "a" or "b" (for tests and screen readers)."""
        row = [k for k, *_ in ROWS].index(key)
        item = self.table.item(row, 0 if side == "a" else 1)
        return item.text() if item else ""
