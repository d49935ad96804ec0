"""\u201cCompared with what you wrote\u201d: after a rehearsal of a written story, what the telling left
out (each quoted from the written version), what it added, and the seconds per section against the
written version at the person's pace. Shown where the reference answer is, which it replaces."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPalette

from app.analysis.timing import clock
from app.analysis.types import SECTION_TITLES, STAR
from app.stories.written import Comparison
from ui.common.star_style import tint


def _tr(text: str) -> str:
    return QCoreApplication.translate("Compared", text)


def comparison_html(title: str, comparison: Comparison | None, palette: QPalette) -> str:
    head = f"<h3>{escape(_tr('Compared with what you wrote'))}: {escape(title)}</h3>"
    if comparison is None:
        return (
            head
            + "<p>"
            + escape(_tr("The comparison needs the meaning model, which could not be loaded."))
            + "</p>"
        )
    parts: list[str] = []
    if comparison.sections_left_out:
        names = ", ".join(SECTION_TITLES[s] for s in comparison.sections_left_out)
        parts.append(f"<p><b>{escape(_tr('Sections you wrote but did not say'))}:</b> {escape(names)}</p>")
    missed = [*comparison.left_out, *comparison.numbers_left_out]
    if missed:
        items = "".join(
            f'<li><span style="background-color:{tint(u.section, palette, 0.28)}">\u201c{escape(u.text)}\u201d</span>'
            + (f" <i>({escape(_tr('the number'))})</i>" if u in comparison.numbers_left_out else "")
            + "</li>"
            for u in missed
        )
        parts.append(f"<p><b>{escape(_tr('You wrote, but did not say'))}:</b></p><ul>{items}</ul>")
    else:
        parts.append(f"<p>{escape(_tr('You said everything you wrote.'))}</p>")
    if comparison.added:
        items = "".join(f"<li>\u201c{escape(a)}\u201d</li>" for a in comparison.added)
        parts.append(f"<p><b>{escape(_tr('You added'))}:</b></p><ul>{items}</ul>")
    rows = "".join(
        f"<tr><td>{SECTION_TITLES[s]}</td><td align='right'>{clock(spoken)}</td><td align='right'>{clock(written)}</td></tr>"
        for s in STAR
        if s in comparison.seconds
        for spoken, written in [comparison.seconds[s]]
    )
    parts.append(
        f"<table cellspacing='6'><tr><th align='left'>{escape(_tr('Section'))}</th><th>{escape(_tr('Said'))}</th>"
        f"<th>{escape(_tr('Written, at your pace'))}</th></tr>{rows}</table>"
    )
    return head + "".join(parts)
