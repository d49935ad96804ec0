"""Seconds per STAR section as coloured bars: your answer, the recommended split of your target, and
the reference answer at your pace, on one time scale so that lengths compare at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6 import QtGui
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.analysis.timing import clock
from app.analysis.types import SECTION_TITLES
from ui.common.star_style import SECTION_COLORS


@dataclass(frozen=True)
class Bar:
    label: str
    segments: Sequence[tuple[str, float]]  # (section, seconds), in order
    marks: Sequence[float] = ()  # seconds from the bar's start: where a filler ("um", "like"…) was said


class StarTimeline(QWidget):
    ROW = 26
    LABEL_W = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.target = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("STAR timeline"))

    def set_bars(self, bars: list[Bar], target: float) -> None:
        self.bars = bars
        self.target = target
        self.setFixedHeight(self.ROW * len(bars) + 22)
        # The labels can be question text (compared attempts): a tooltip that looks like HTML is
        # shown as HTML, so it is given as HTML made from the plain text.
        self.setToolTip(QtGui.Qt.convertFromPlainText(self.describe()) if self.bars else "")
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The same figures in words, for the tooltip and screen readers."""
        lines = []
        for bar in self.bars:
            parts = ", ".join(f"{SECTION_TITLES[s]} {secs:.0f} s" for s, secs in bar.segments if secs > 0)
            said = f"; {len(bar.marks)} filler(s), marked ▲" if bar.marks else ""
            lines.append(f"{bar.label}: {parts}{said}")
        return "\n".join(lines)

    def sizeHint(self) -> QSize:
        return QSize(600, self.ROW * max(1, len(self.bars)) + 22)

    def paintEvent(self, _event: object) -> None:
        if not self.bars:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        span = max([self.target] + [sum(s for _, s in b.segments) for b in self.bars]) or 1.0
        x0 = self.LABEL_W
        width = max(10, self.width() - x0 - 8)
        scale = width / span
        for row, bar in enumerate(self.bars):
            y = row * self.ROW + 2
            p.setPen(text_color)
            p.drawText(
                QRectF(0, y, x0 - 8, self.ROW - 6),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                bar.label,
            )
            x = float(x0)
            for section, secs in bar.segments:
                if secs <= 0:
                    continue
                w = secs * scale
                rect = QRectF(x, y, w, self.ROW - 6)
                p.fillRect(rect, QColor(SECTION_COLORS.get(section, SECTION_COLORS["other"])))
                if w > 34:
                    p.setPen(QColor("white"))
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{secs:.0f}s")
                x += w
            for at in bar.marks:  # a small dark triangle under the bar at each filler
                mx = x0 + at * scale
                bottom = y + self.ROW - 6
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(text_color)
                p.drawPolygon(
                    [QPointF(mx, bottom - 5), QPointF(mx - 3.5, bottom + 1), QPointF(mx + 3.5, bottom + 1)]
                )
        if self.target:
            tx = x0 + self.target * scale
            p.setPen(QColor("#dc2626"))
            p.drawLine(int(tx), 0, int(tx), len(self.bars) * self.ROW)
            label_x = min(tx - 60, self.width() - 120)  # at the right edge it read "target 2"
            p.drawText(
                QRectF(label_x, len(self.bars) * self.ROW, 120, 18),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("target {0}").format(clock(self.target)),
            )
        p.end()
