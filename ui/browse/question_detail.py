"""The selected question: its guidance and reference answer, section by section, in STAR colours."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.bank.questions import Question, principle_list
from ui.common.star_style import SECTION_COLORS, tint


def _paras(text: str) -> str:
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n") if p.strip())


class QuestionDetail(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Question guidance and reference answer"))
        self.setOpenLinks(False)
        self.question: Question | None = None

    def show_question(self, q: Question) -> None:
        self.question = q
        pal = self.palette()
        parts = [
            f"<h2>{q.number}. {escape(q.question)}</h2>",
            self._principles(q),
            _paras(q.introduction),
        ]
        for s in q.sections:
            color = SECTION_COLORS[s.section]
            label = s.heading if s.heading.lower() == s.section else f"{s.heading} ({s.section})"
            parts.append(
                f'<h3><span style="color:{color}">■</span> {escape(label)}</h3>'
                f"{_paras(s.guidance)}"
                f'<table width="100%" cellpadding="8" cellspacing="0" style="margin-bottom:6px">'
                f'<tr><td width="4" style="background-color:{color}"></td>'
                f'<td style="background-color:{tint(s.section, pal)}">'
                f"<b>{self.tr('Reference answer')}</b>{_paras(s.example)}</td></tr></table>"
            )
        if q.summary:
            parts.append(f"<h3>{self.tr('Why this answer works')}</h3>{_paras(q.summary)}")
        self.setHtml("".join(parts))
        self.verticalScrollBar().setValue(0)

    def _principles(self, q: Question) -> str:
        if not q.principles:
            return f"<p><i>{self.tr('No Leadership Principle named in the guide.')}</i></p>"
        names = escape(principle_list(q.principles))
        return f"<p><b>{self.tr('Leadership Principles')}:</b> {names}</p>"
