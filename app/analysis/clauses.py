"""A reply or an answer cut into clauses: the unit the follow-up judge compares and quotes, and the
unit a follow-up on what was said takes from the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Where one clause ends and the next begins: a comma, or a joining word that starts a new statement.
# Not "before", "until", "that": what follows them belongs to the clause ("my job was to get the
# invoices out before the end of the quarter").
_JOIN = re.compile(r",\s+|;\s+|\s+(?=(?:and|so|but|because|then)\s)", re.IGNORECASE)
MIN_CLAUSE_WORDS = 4


def clauses(sentences: Sequence[str]) -> list[str]:
    """Each sentence cut into clauses of at least MIN_CLAUSE_WORDS words (a shorter piece joins the
    one before it): the unit the evidence is quoted in."""
    out: list[str] = []
    for text in sentences:
        parts: list[str] = []
        last = 0
        for m in _JOIN.finditer(text):
            piece = text[last : m.start()].strip(" ,;")
            rest = text[m.end() :]
            if len(piece.split()) >= MIN_CLAUSE_WORDS and len(rest.split()) >= MIN_CLAUSE_WORDS:
                parts.append(piece)
                last = m.end()
        parts.append(text[last:].strip(" ,;"))
        out += [p for p in parts if p]
    return out
