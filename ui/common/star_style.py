"""Section colours shared by every view, chosen to stay readable on light and dark palettes (the
sections' titles are app.analysis.types.SECTION_TITLES)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

SECTION_COLORS: dict[str, str] = {
    "situation": "#3b82f6",  # blue
    "task": "#a855f7",  # purple
    "action": "#16a34a",  # green
    "result": "#f59e0b",  # amber
    "reflection": "#ec4899",  # pink
    "other": "#9ca3af",  # grey
}

# Better or worse: a figure that improved on the last try, a follow-up reply that gave what was asked.
GOOD_COLOR = "#16a34a"
SHORT_COLOR = "#c2410c"


def tint(section: str, palette: QPalette, amount: float = 0.16) -> str:
    """The section colour mixed into the window's base colour: a background that text stays legible on."""
    base = palette.color(QPalette.ColorRole.Base)
    col = QColor(SECTION_COLORS.get(section, SECTION_COLORS["other"]))
    mix = QColor(
        round(base.red() + (col.red() - base.red()) * amount),
        round(base.green() + (col.green() - base.green()) * amount),
        round(base.blue() + (col.blue() - base.blue()) * amount),
    )
    return mix.name()
