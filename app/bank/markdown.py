"""A question bank from a guide in the seed's Markdown format (`python main.py import-guide`): questions,
the guidance for each STAR section and the example answer, with the Leadership Principles each names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

from app.bank.questions import (
    HEADING_TO_SECTION,
    MAX_FILE_BYTES,
    Bank,
    BankError,
    Question,
    Section,
    describe_error,
    principles_named,
)

_QUESTION_RE = re.compile(r"^#{1,6}\s*Question\s+(\d+)\s*[:.]\s*(.*?)\s*$", re.I)


_HEADING_RE = re.compile(r"^\s*(\d+)\.\s*\**([A-Za-z][A-Za-z '&/-]{0,30}?)\**\s*:\s*(.*)$")


_EXAMPLE_RE = re.compile(r"^\s*\**Example\**\s*:\s*(.*)$", re.I)


_OPEN_QUOTES = '"“'


_CLOSE_QUOTES = '"”'


class ImportProblem(BankError):
    """The Markdown does not follow the guide's format; the message names the line."""


@dataclass
class _RawSection:
    heading: str
    line: int
    guidance: list[str]
    example: list[str] | None = None


def _strip_quotes(text: str) -> str:
    """Drop one enclosing pair of quotes, the guide's way of marking an example as spoken."""
    if len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        return text[1:-1].strip()
    return text


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs, each with its lines joined by newlines."""
    out: list[str] = []
    cur: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            out.append("\n".join(cur).strip())
            cur = []
    return out


def _split_example(paras: list[str]) -> tuple[list[str], list[str]]:
    """Example paragraphs, then whatever follows the closing quote (the question's summary)."""
    if not paras or paras[0][0] not in _OPEN_QUOTES:
        return paras, []
    for i, p in enumerate(paras):
        if p[-1] in _CLOSE_QUOTES and (i > 0 or len(p) > 1):
            return paras[: i + 1], paras[i + 1 :]
    return paras, []


def import_markdown(text: str, source: str = "", id_prefix: str = "q") -> Bank:
    """Build a bank from a guide in the seed's Markdown format.

    Format: `### Question N: text`, an introduction, then numbered sections `N. Heading:` each
    with guidance and an `Example:` whose quoted text is the model answer; after the last
    example's closing quote, the question's summary.
    """
    if len(text) > MAX_FILE_BYTES:
        raise ImportProblem(
            f"{source or 'the guide'}: too large ({len(text):,} characters; a guide may have at most "
            f"{MAX_FILE_BYTES:,})"
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = ""
    preface: list[str] = []
    blocks: list[tuple[int, int, str, list[str]]] = []  # (line, number, question, body lines)
    for n, line in enumerate(lines, 1):
        m = _QUESTION_RE.match(line)
        if m:
            blocks.append((n, int(m.group(1)), m.group(2), []))
        elif blocks:
            blocks[-1][3].append(line)
        elif not title and line.lstrip().startswith("#"):
            title = line.lstrip("#").strip()
        else:
            preface.append(line)
    if not blocks:
        raise ImportProblem(f"{source or 'the guide'}: no '### Question N: …' headings found")

    questions = [
        _import_question(start, num, qtext, body, source, id_prefix) for start, num, qtext, body in blocks
    ]
    try:
        return Bank(
            title=title,
            preface="\n\n".join(_paragraphs(preface)),
            source=source,
            questions=tuple(questions),
        )
    except ValidationError as e:
        raise ImportProblem(f"{source or 'the guide'}: {describe_error(e, None)}") from None


def _import_question(
    start: int, number: int, qtext: str, body: list[str], source: str, id_prefix: str
) -> Question:
    where = f"{source or 'the guide'}, question {number} (line {start})"
    intro: list[str] = []
    sections: list[_RawSection] = []
    for offset, line in enumerate(body, start + 1):
        h = _HEADING_RE.match(line)
        if h:
            name = h.group(2).strip().lower()
            if name not in HEADING_TO_SECTION:
                known = ", ".join(sorted(HEADING_TO_SECTION))
                raise ImportProblem(
                    f"{where}: line {offset} has an unknown section heading {h.group(2)!r}; "
                    f"use one of: {known}"
                )
            sections.append(_RawSection(h.group(2).strip(), offset, [h.group(3)] if h.group(3) else []))
            continue
        if not sections:
            intro.append(line)
            continue
        sec = sections[-1]
        e = _EXAMPLE_RE.match(line)
        if e and sec.example is None:
            sec.example = [e.group(1)] if e.group(1) else []
        elif sec.example is not None:
            sec.example.append(line)
        else:
            sec.guidance.append(line)
    if not sections:
        raise ImportProblem(f"{where}: no numbered sections ('1. Situation:' …)")

    built: list[Section] = []
    summary: list[str] = []
    for i, sec in enumerate(sections):
        if sec.example is None:
            raise ImportProblem(f"{where}: section {sec.heading!r} (line {sec.line}) has no 'Example:'")
        example, after = _split_example(_paragraphs(sec.example))
        if i == len(sections) - 1:
            summary = after
        else:
            example += after  # text between a closing quote and the next heading stays with its example
        if not example:
            raise ImportProblem(f"{where}: the example of section {sec.heading!r} (line {sec.line}) is empty")
        try:
            built.append(
                Section(
                    section=HEADING_TO_SECTION[sec.heading.lower()],
                    heading=sec.heading,
                    guidance="\n\n".join(_paragraphs(sec.guidance)),
                    example=_strip_quotes("\n\n".join(example)),
                )
            )
        except ValidationError as err:
            raise ImportProblem(
                f"{where}: section {sec.heading!r} (line {sec.line}), {describe_error(err, None)}"
            ) from None

    intro_text = "\n\n".join(_paragraphs(intro))
    summary_text = "\n\n".join(summary)
    named = principles_named(" ".join([intro_text, summary_text, *(s.guidance for s in built)]))
    try:
        return Question(
            id=f"{id_prefix}{number:02d}",
            number=number,
            question=_strip_quotes(qtext.strip()),
            introduction=intro_text,
            principles=named,
            sections=tuple(built),
            summary=summary_text,
        )
    except ValidationError as err:
        raise ImportProblem(f"{where}: {describe_error(err, None)}") from None
