"""Pieces the feedback and replay screens share: the legend, the list of points, the figures."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.analysis.analyze import Analysis
from app.analysis.model import STAR
from ui.star_style import SECTION_COLORS, SECTION_TITLES, clock


def _tr(text: str) -> str:
    return QCoreApplication.translate("Feedback", text)


def legend_html() -> str:
    items = "".join(
        f'<span style="background-color:{SECTION_COLORS[s]}; color:white">&nbsp;{SECTION_TITLES[s]}&nbsp;</span> '
        for s in (*STAR, "other")
    )
    return f"<p>{items}</p>"


def fill_points(points: QListWidget, good: QLabel, a: Analysis, hint: str) -> None:
    """Numbered points with their moment (seconds from the recording's start in UserRole)."""
    points.clear()
    start = a.sentences[0].start if a.sentences else 0.0
    for n, p in enumerate(a.points, 1):
        where = f" [{clock(p.at)}]" if p.at is not None else ""
        quote = f"\n“{p.quote}”" if p.quote else ""
        item = QListWidgetItem(f"{n}. {p.message}{where}{quote}")
        item.setData(Qt.ItemDataRole.UserRole, None if p.at is None else p.at + start)
        if p.at is not None:
            item.setToolTip(hint)
        points.addItem(item)
    if not a.points:
        points.addItem(_tr("Nothing to change: a well-built answer."))
    good.setText("\n".join(f"✓ {g}" for g in a.went_well) or "—")


def figure_rows(a: Analysis) -> list[tuple[str, str]]:
    d = a.delivery
    fill = f"{d.filler_count} ({(d.fillers_per_minute or 0):.1f}/min)"
    if d.fillers_lower_bound:
        fill += _tr(" — at least (the transcriber drops many “um”s)")
    return [
        (_tr("Length"), f"{clock(a.timing.total_seconds)} (target {clock(a.timing.target_seconds)})"),
        (_tr("Words per minute"), f"{(d.wpm or 0):.0f}"),
        (_tr("Fillers"), fill),
        (_tr("Pauses over 2 s"), str(d.long_pause_count)),
        (
            _tr("“I” / “we”"),
            f"{d.i_count} / {d.we_count} (in the action {d.action_i_count} / {d.action_we_count})",
        ),
        (_tr("Quantified result"), _tr("yes") if d.quantified else _tr("no")),
        (_tr("Lesson stated"), _tr("yes") if d.lesson_stated else _tr("no")),
        (_tr("Principles shown"), ", ".join(d.principles) or "—"),
    ]  # missing sections are in the header above, in bold


def fill_figures(form: QFormLayout, a: Analysis) -> None:
    while form.rowCount():
        form.removeRow(0)
    for name, value in figure_rows(a):
        label = QLabel(value, wordWrap=True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(name, label)


def side_panel(points: QListWidget, good: QLabel, figures: QFormLayout, figures_title: str) -> QWidget:
    """Points and what went well above, the figures below: the right-hand column of both screens."""
    points_box = QGroupBox(_tr("Change next time"))
    pcol = QVBoxLayout(points_box)
    pcol.addWidget(points, 1)
    pcol.addWidget(QLabel(_tr("<b>What went well</b>")))
    pcol.addWidget(good)
    figures_box = QGroupBox(figures_title)
    # On a short window the figures scroll: squeezed, a wrapped value showed only its first line.
    inner = QWidget()
    inner.setLayout(figures)
    scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
    scroll.setWidget(inner)
    QVBoxLayout(figures_box).addWidget(scroll)
    side = QWidget()
    scol = QVBoxLayout(side)
    scol.setContentsMargins(0, 0, 0, 0)
    scol.addWidget(points_box, 3)
    scol.addWidget(figures_box, 2)
    return side
