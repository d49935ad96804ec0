"""Pieces the feedback and replay screens share: the legend, the list of points, the figures."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.analysis.analyze import Analysis
from app.analysis.feedback import Point
from app.analysis.progress import Progress
from app.analysis.timing import clock
from app.analysis.types import SECTION_TITLES, STAR, Sentence
from app.bank.questions import principle_list
from ui.common.star_style import SECTION_COLORS, tint


def _tr(text: str) -> str:
    return QCoreApplication.translate("Feedback", text)


def legend_html() -> str:
    items = "".join(
        f'<span style="background-color:{SECTION_COLORS[s]}; color:white">&nbsp;{SECTION_TITLES[s]}&nbsp;</span> '
        for s in (*STAR, "other")
    )
    return f"<p>{items}</p>"


class PointList(QWidget):
    """The points to change, numbered, each with a link to its moment. Labels rather than a list view:
    a list view showed long points cut, in a box of its own that scrolled inside the column."""

    chosen = Signal(float)  # seconds from the recording's start

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hint = hint
        self._moments: list[float | None] = []
        self._labels: list[QLabel] = []
        self._col = QVBoxLayout(self)
        self._col.setContentsMargins(0, 0, 0, 0)
        self.setAccessibleName(_tr("What to change next time"))

    def fill(self, a: Analysis) -> None:
        for label in self._labels:
            label.deleteLater()
        self._labels, self._moments = [], []
        start = a.sentences[0].start if a.sentences else 0.0
        for n, p in enumerate(a.points, 1):
            link = f' <a href="{n - 1}">[{clock(p.at)}]</a>' if p.at is not None else ""
            quote = f"<br><i>“{escape(p.quote)}”</i>" if p.quote else ""
            self._add(f"{n}. {escape(p.message)}{link}{quote}", None if p.at is None else p.at + start)
        if not a.points:
            self._add(_tr("Nothing to change: a well-built answer."), None)

    def _add(self, html: str, at: float | None) -> None:
        label = QLabel(html, wordWrap=True, textFormat=Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.linkActivated.connect(lambda href: self.activate(int(href)))
        if at is not None:
            label.setToolTip(self._hint)
        self._col.addWidget(label)
        self._labels.append(label)
        self._moments.append(at)

    def count(self) -> int:
        return len(self._labels)

    def text(self, i: int) -> str:
        return self._labels[i].text()

    def moment(self, i: int) -> float | None:
        return self._moments[i]

    def activate(self, i: int) -> None:
        """What a click on the point's time does."""
        at = self._moments[i]
        if at is not None:
            self.chosen.emit(at)


def summary_html(a: Analysis) -> str:
    """'Length 0:33 (target 2:00) · missing: … · not sure of: … · N label(s) set by you', as the feedback
    and replay screens both head an answer."""
    t = a.timing
    missing = ", ".join(SECTION_TITLES[m] for m in a.missing) or _tr("none")
    unclear = ", ".join(SECTION_TITLES[f.section] for f in a.unclear)
    extra = f" · not sure of: <b>{escape(unclear)}</b>" if unclear else ""
    if a.corrections:
        extra += " · " + _tr("{0} label(s) set by you").format(len(a.corrections))
    return (
        f"Length <b>{clock(t.total_seconds)}</b> (target {clock(t.target_seconds)}) · "
        f"missing: <b>{escape(missing)}</b>{extra}"
    )


def figure_rows(a: Analysis) -> list[tuple[str, str]]:
    d = a.delivery
    fillers = _tr("Fillers (at least)") if d.fillers_lower_bound else _tr("Fillers")
    return [
        (_tr("Length"), f"{clock(a.timing.total_seconds)} (target {clock(a.timing.target_seconds)})"),
        (_tr("Words per minute"), f"{(d.wpm or 0):.0f}"),
        (fillers, f"{d.filler_count} ({(d.fillers_per_minute or 0):.1f}/min)"),
        (_tr("Pauses over 2 s"), str(d.long_pause_count)),
        (
            _tr("“I” / “we”"),
            f"{d.i_count} / {d.we_count} (in the action {d.action_i_count} / {d.action_we_count})",
        ),
        (_tr("Quantified result"), _tr("yes") if d.quantified else _tr("no")),
        (_tr("Lesson stated"), _tr("yes") if d.lesson_stated else _tr("no")),
        (_tr("Principles shown"), principle_list(d.principles) or "—"),
    ]  # missing sections are in the header above, in bold


class SidePanel(QScrollArea):
    """Points, what went well and the figures in one column that scrolls as a whole: at 1100 x 720, two
    boxes that scrolled each on its own showed two points and three figures. The right-hand column of
    the feedback and replay screens."""

    def __init__(
        self, figures_title: str, hint: str, wrap_long_rows: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, widgetResizable=True)
        self.points = PointList(hint)
        self.good = QLabel(wordWrap=True)
        self.figures = QFormLayout()
        if wrap_long_rows:
            self.figures.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        inner = QWidget()
        col = QVBoxLayout(inner)
        self.progress = QLabel(wordWrap=True)  # after a retry: what changed since the last try
        self.progress.setTextFormat(Qt.TextFormat.RichText)
        self.progress.hide()
        col.addWidget(self.progress)
        for title, part in (
            (_tr("Change next time"), self.points),
            (_tr("What went well"), self.good),
            (figures_title, self.figures),
        ):
            col.addWidget(QLabel(f"<b>{escape(title)}</b>"))
            if isinstance(part, QFormLayout):
                col.addLayout(part)
            else:
                col.addWidget(part)
            col.addSpacing(8)
        col.addStretch(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(inner)

    def show_analysis(self, a: Analysis) -> None:
        self.points.fill(a)
        self.good.setText("\n".join(f"✓ {g}" for g in a.went_well) or "—")
        form = self.figures
        while form.rowCount():
            form.removeRow(0)
        for name, value in figure_rows(a):
            label = QLabel(value, wordWrap=True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(name, label)
            if name == _tr("Fillers (at least)"):
                label.setToolTip(_tr("The transcriber leaves out many “um”s: there were probably more."))

    def show_progress(self, html: str | None) -> None:
        self.progress.setText(html or "")
        self.progress.setVisible(bool(html))


def sentences_html(sentences: Sequence[Sentence], palette: QPalette) -> str:
    """The answer's sentences, each tinted by its STAR section (read-only: compare)."""
    spans = "".join(
        f'<span style="background-color:{tint(s.section, palette, 0.28)}">{escape(s.text)}</span> '
        for s in sentences
    )
    return f"<p style='line-height:140%'>{spans or escape(_tr('Nothing was heard in this answer.'))}</p>"


def progress_html(p: Progress, when: str, heading: str | None = None) -> str:
    """Since the last try: points fixed, still to do and new, then seconds per section before -> after."""

    def gist(point: Point) -> str:
        first = point.message.split(". ")[0].rstrip(".")
        return escape(first)

    title = heading or _tr("Since your last try")
    rows = [f"<b>{escape(title)}</b> <small>({escape(when)})</small>" if when else f"<b>{escape(title)}</b>"]
    rows += [f"✓ {escape(_tr('Fixed'))}: {gist(x)}" for x in p.fixed]
    rows += [f"• {escape(_tr('Still'))}: {gist(x)}" for x in p.still]
    rows += [f"• {escape(_tr('New'))}: {gist(x)}" for x in p.new]
    if not (p.fixed or p.still or p.new):
        rows.append(escape(_tr("No points then, none now.")))
    times = ", ".join(
        f"{escape(SECTION_TITLES[c.section])} {c.before:.0f} s → {c.after:.0f} s" for c in p.sections
    )
    rows.append(
        f"{escape(_tr('Times'))}: {times}; {escape(_tr('in all'))} {clock(p.total_before)} → {clock(p.total_after)}"
    )
    return "<br>".join(rows) + "<br>"
