"""The three charts of the statistics page. Each is built once; `update()` swaps its points in bulk."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from app.analysis.types import SECTION_TITLES
from ui.common.star_style import SECTION_COLORS
from ui.stats.stats_data import RECOMMENDED, SECTIONS, Series, day_ms

TARGET_COLOR = "#dc2626"
LENGTH_COLOR = "#2563eb"
WPM_COLOR = "#0d9488"
FILLER_COLOR = "#d97706"


def _chart(parent: QWidget | None) -> QChart:
    """A chart themed for the window's palette; the theme is set first, since it recolours series."""
    chart = QChart()
    dark = parent is not None and parent.palette().color(QPalette.ColorRole.Window).lightness() < 128
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    return chart


def _view(chart: QChart, name: str, parent: QWidget | None) -> QChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    small = QFont()
    small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
    legend.setFont(small)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    title_font = QFont()
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(240)
    view.setAccessibleName(name)
    return view


def _line(name: str, color: str, width: float = 2.0, dashed: bool = False) -> QLineSeries:
    s = QLineSeries()
    s.setName(name)
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    s.setPen(pen)
    return s


def _date_axis() -> QDateTimeAxis:
    axis = QDateTimeAxis()
    axis.setFormat("d MMM")
    axis.setTickCount(4)  # 6 "16 Nov" labels did not fit a third of a 1100-pixel window: "16 N…"
    return axis


class _TimeAxis:
    """Dates along the bottom, or attempt numbers while there are only a day or two of them: the
    series move to the axis in use, the other is hidden."""

    def __init__(self, chart: QChart, series: list[QLineSeries]) -> None:
        self.chart, self.series = chart, series
        self.dates = _date_axis()
        self.numbers = _value_axis("attempt", "%d")
        for axis in (self.dates, self.numbers):
            chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        self.numbers.hide()
        for s in series:
            s.attachAxis(self.dates)
        self.current: QDateTimeAxis | QValueAxis = self.dates

    def show(self, data: Series) -> None:
        wanted: QDateTimeAxis | QValueAxis = self.numbers if data.by_attempt else self.dates
        if wanted is not self.current:
            for s in self.series:
                s.detachAxis(self.current)
                s.attachAxis(wanted)
            self.current.hide()
            wanted.show()
            self.current = wanted
        if data.by_attempt:
            n = max(len(data.x_ms), 1)
            self.numbers.setRange(0.5, n + 0.5)
            self.numbers.setTickType(QValueAxis.TickType.TicksDynamic)  # a tick on each attempt
            self.numbers.setTickAnchor(1.0)
            self.numbers.setTickInterval(float(max(1, -(-n // 8))))
        else:
            lo, hi = day_ms(data.x_ms)
            self.dates.setRange(_dt(lo), _dt(hi))


def _value_axis(title: str, fmt: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setLabelFormat(fmt)
    axis.setTickCount(5)
    return axis


class LengthChart:
    """Answer length per attempt (or per day) against the target length."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart = _chart(parent)
        self.length = _line("Answer length", LENGTH_COLOR)
        self.target = _line("Target", TARGET_COLOR, 1.5, dashed=True)
        self.y = _value_axis("seconds", "%d")
        self.chart.addAxis(self.y, Qt.AlignmentFlag.AlignLeft)
        for s in (self.length, self.target):
            self.chart.addSeries(s)
            s.attachAxis(self.y)
        self.x = _TimeAxis(self.chart, [self.length, self.target])
        self.view = _view(self.chart, "Answer length over time", parent)

    def update(self, data: Series) -> None:
        self.chart.setTitle("Answer length — daily mean" if data.per_day else "Answer length — each attempt")
        self.length.setPointsVisible(not data.per_day and len(data.x_ms) <= 60)
        self.length.replace([QPointF(x, y) for x, y in zip(data.x_ms, data.length_s, strict=True)])
        self.target.replace([QPointF(x, y) for x, y in zip(data.x_ms, data.target_s, strict=True) if y > 0])
        self.x.show(data)
        top = max([*data.length_s, *data.target_s, 60.0])
        self.y.setRange(0, top * 1.1)
        self.y.applyNiceNumbers()


class PaceChart:
    """Words per minute (left axis) and fillers per minute (right axis)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart = _chart(parent)
        self.wpm = _line("Words per minute", WPM_COLOR)
        self.fillers = _line("Fillers per minute", FILLER_COLOR)
        self.y_wpm = _value_axis("words/min", "%d")
        self.y_fill = _value_axis("fillers/min", "%.1f")
        self.chart.addAxis(self.y_wpm, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(self.y_fill, Qt.AlignmentFlag.AlignRight)
        for s, y in ((self.wpm, self.y_wpm), (self.fillers, self.y_fill)):
            self.chart.addSeries(s)
            s.attachAxis(y)
        self.x = _TimeAxis(self.chart, [self.wpm, self.fillers])
        self.y_wpm.setLinePenColor(QColor(WPM_COLOR))
        self.y_fill.setLinePenColor(QColor(FILLER_COLOR))
        self.view = _view(self.chart, "Pace and fillers over time", parent)

    def update(self, data: Series) -> None:
        self.chart.setTitle(
            "Pace and fillers — daily mean" if data.per_day else "Pace and fillers — each attempt"
        )
        self.wpm.replace([QPointF(x, y) for x, y in data.wpm])
        self.fillers.replace([QPointF(x, y) for x, y in data.fillers])
        self.x.show(data)
        self.y_wpm.setRange(0, max([y for _, y in data.wpm] + [180.0]) * 1.05)
        self.y_wpm.applyNiceNumbers()
        self.y_fill.setRange(0, max([y for _, y in data.fillers] + [4.0]) * 1.1)
        self.y_fill.applyNiceNumbers()


class SectionsChart:
    """Each section's share of the newest attempts, stacked in STAR colours, with the recommended
    boundaries as dashed lines across them (the recommended split: Situation up to 20 %, Task to 30 %,
    Action to 75 %)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart = _chart(parent)
        self.bars = QStackedBarSeries()
        self.bars.setBarWidth(0.8)
        self.sets: dict[str, QBarSet] = {}
        for s in SECTIONS:
            bar = QBarSet(SECTION_TITLES[s])
            bar.setColor(QColor(SECTION_COLORS[s]))
            bar.setBorderColor(QColor(SECTION_COLORS[s]))
            self.sets[s] = bar
            self.bars.append(bar)
        self.x = QBarCategoryAxis()
        self.x.setLabelsVisible(False)
        self.x.setGridLineVisible(False)
        self.y = _value_axis("% of answer", "%d")
        self.y.setRange(0, 100)
        self.chart.addSeries(self.bars)
        self.chart.addAxis(self.x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y, Qt.AlignmentFlag.AlignLeft)
        self.bars.attachAxis(self.x)
        self.bars.attachAxis(self.y)
        # The aim: a hidden numeric x axis spanning the same bars carries the boundary lines.
        self.aim_x = QValueAxis()
        self.aim_x.setVisible(False)
        self.chart.addAxis(self.aim_x, Qt.AlignmentFlag.AlignBottom)
        dark = self.chart.theme() == QChart.ChartTheme.ChartThemeDark
        self.aim: list[tuple[QLineSeries, float]] = []
        edge = 0.0
        for section in ("situation", "task", "action"):
            edge += RECOMMENDED[section]
            line = _line(f"Aim: {SECTION_TITLES[section]}", "#f9fafb" if dark else "#111827", 1.5, True)
            self.chart.addSeries(line)
            line.attachAxis(self.aim_x)
            line.attachAxis(self.y)
            self.aim.append((line, edge))
        self.view = _view(self.chart, "Section shares of recent attempts", parent)
        self.view.setToolTip(
            "Your most recent answers, oldest on the left. Dashed lines: the aim — "
            + ", ".join(f"{SECTION_TITLES[s]} {RECOMMENDED[s]:.0f} %" for s in SECTIONS if RECOMMENDED[s])
            + "."
        )
        for line, _ in self.aim:
            for marker in self.chart.legend().markers(line):
                marker.setVisible(False)

    def update(self, shares: list[dict[str, float]]) -> None:
        n = len(shares)
        # The dashed lines explained on the chart itself (a legend entry was cut to "Aim (…").
        steps = zip(("situation", "task", "action"), self.aim, strict=True)
        edges = " · ".join(f"{SECTION_TITLES[s][0]} {edge:.0f}" for s, (_, edge) in steps)
        self.chart.setTitle(
            (f"STAR sections — last {n}" if n > 1 else "STAR sections")
            + f"<br><span style='font-weight:normal'>aim, dashed: {edges} %</span>"
        )  # "S 20 · T 30 · A 75 %": the full names were cut off in a third of an 1100-pixel window
        for s, bar in self.sets.items():
            bar.remove(0, bar.count())
            bar.append([row[s] for row in shares])
        self.x.clear()
        self.x.append([str(i + 1) for i in range(n)])
        self.aim_x.setRange(-0.5, n - 0.5)
        for line, y in self.aim:
            line.replace([QPointF(-0.5, y), QPointF(n - 0.5, y)])


def _dt(ms: float) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(ms))
