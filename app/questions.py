"""Question bank: the model, the importer of seed-format Markdown, and a loader that explains errors.

The bank is data the user may edit or import, so every way it can be wrong must end in a message
that names the file, the question and the field, never in a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from pydantic_core import ErrorDetails

from app import paths

SectionKey = Literal["situation", "task", "action", "result", "reflection"]
SECTION_KEYS: tuple[SectionKey, ...] = ("situation", "task", "action", "result", "reflection")

# Seed headings that differ from the five STAR(+R) names, mapped to the section they play.
HEADING_TO_SECTION: dict[str, SectionKey] = {
    "situation": "situation",
    "context": "situation",
    "background": "situation",
    "task": "task",
    "goal": "task",
    "objective": "task",
    "challenge": "task",
    "action": "action",
    "actions": "action",
    "recovery": "action",
    "approach": "action",
    "result": "result",
    "results": "result",
    "outcome": "result",
    "impact": "result",
    "reflection": "reflection",
    "growth": "reflection",
    "learning": "reflection",
    "lessons learned": "reflection",
    "lesson": "reflection",
}

# Amazon's Leadership Principles, with the ways the guide names them.
PRINCIPLES: dict[str, str] = {
    "Customer Obsession": r"customer[- ]obsess(?:ion|ed)",
    "Ownership": r"ownership",
    "Invent and Simplify": r"invent and simplify",
    "Are Right, A Lot": r"are right,? a lot",
    "Learn and Be Curious": r"learn and be curious",
    "Hire and Develop the Best": r"hire and develop the best",
    "Insist on the Highest Standards": r"insist on (?:the )?highest standards",
    "Think Big": r"think big",
    "Bias for Action": r"bias for action",
    "Frugality": r"frugality",
    "Earn Trust": r"earn(?:s|ed|ing)? trust",
    "Dive Deep": r"dive deep",
    "Have Backbone; Disagree and Commit": r"have backbone|disagree and commit",
    "Deliver Results": r"deliver(?:s|ing)? results",
    "Strive to be Earth's Best Employer": r"earth.s best employer",
    "Success and Scale Bring Broad Responsibility": r"success and scale bring broad",
}
_PRINCIPLE_RES = {name: re.compile(rf"\b(?:{rx})\b", re.I) for name, rx in PRINCIPLES.items()}

# What a bank may hold. Far above any real guide (the built-in bank's longest example has 1,159
# characters, its longest question 203, its longest heading 10) and far below what stalls the window:
# Qt lays out a line with no space in it in time that grows with the square of its length, and a
# 1 MB question kept the window from appearing for over a minute. Too long is refused, never cut.
MAX_FILE_BYTES = 10_000_000
MAX_QUESTIONS = 1_000
MAX_SECTIONS = 20  # per question
MAX_PRINCIPLES = 50  # per question
MAX_NAME_CHARS = 200  # id, heading, principle, title, source
MAX_QUESTION_CHARS = 1_000
MAX_TEXT_CHARS = 10_000  # guidance, example, introduction, summary, preface

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_CHARS)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
ShortText = Annotated[str, StringConstraints(max_length=MAX_NAME_CHARS)]


class Section(BaseModel):
    """One STAR section of a question: the seed's own heading, its guidance and its example."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    section: SectionKey
    heading: Name
    guidance: Text = ""
    example: NonEmpty


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$", min_length=1, max_length=MAX_NAME_CHARS)
    ]
    number: int
    question: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
    ]
    introduction: Text = ""
    principles: Annotated[tuple[Name, ...], Field(max_length=MAX_PRINCIPLES)] = ()
    sections: Annotated[tuple[Section, ...], Field(min_length=1, max_length=MAX_SECTIONS)]
    summary: Text = ""

    def sections_of(self, key: SectionKey) -> list[Section]:
        return [s for s in self.sections if s.section == key]

    def reference_answer(self) -> str:
        """The example sections read one after another: what a strong spoken answer sounds like."""
        return "\n\n".join(s.example for s in self.sections)


class Bank(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal[1] = 1
    title: ShortText = ""
    preface: Text = ""  # the guide's text before its first question (the STAR method explained)
    source: ShortText = ""
    questions: Annotated[tuple[Question, ...], Field(min_length=1, max_length=MAX_QUESTIONS)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Bank:
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"duplicate question id {q.id!r}")
            seen.add(q.id)
        return self

    def by_id(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def principles(self) -> list[str]:
        """Principles named anywhere in the bank, in Amazon's order."""
        named = {p for q in self.questions for p in q.principles}
        return [p for p in PRINCIPLES if p in named] + sorted(named - PRINCIPLES.keys())

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


class BankError(Exception):
    """A bank that cannot be used, with a message a person can act on."""


# --------------------------------------------------------------------------- loading


def builtin_bank_path() -> Path:
    """`app/resources/questions.json`, inside the package (a checkout, an editable install or a wheel)."""
    return paths.resource("questions.json")


def load_bank(path: Path) -> Bank:
    """Read and validate a bank; raise BankError naming the file, the question and the field."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before it is read: a bank this big cannot be valid
            raise BankError(f"{path}: too large ({size:,} bytes; a bank may have at most {MAX_FILE_BYTES:,})")
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BankError(f"{path}: cannot be read ({e})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise BankError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    try:
        return Bank.model_validate(data)
    except ValidationError as e:
        raise BankError(f"{path}: {_describe(e, data)}") from None


def _describe(err: ValidationError, data: Any) -> str:
    """First validation problem as 'question q07 (number 7), field sections[2].example: ...'."""
    problem = err.errors()[0]
    loc = list(problem["loc"])
    msg = _message(problem)
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        idx = loc[1]
        qdesc = f"question #{idx + 1}"
        try:
            qid = data["questions"][idx].get("id")
            if qid:
                qdesc = f"question {qid!r} (#{idx + 1})"
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        return f"{qdesc}, field {_field_path(loc[2:])} {msg}"
    if not loc:
        return msg.removeprefix("Value error, ")
    return f"field {_field_path(loc)} {msg}"


def _message(problem: ErrorDetails) -> str:
    """What is wrong with one field, in words: 'is empty', 'is too long (…; at most …)'."""
    kind, ctx = problem["type"], problem.get("ctx") or {}
    if kind in ("string_too_short", "too_short"):
        return "is empty"
    if kind == "missing":
        return "is missing"
    if kind == "string_too_long":
        value = problem["input"]
        length = f"{len(value):,} characters; " if isinstance(value, str) else ""
        return f"is too long ({length}at most {ctx.get('max_length', 0):,})"
    if kind == "too_long":
        return f"has too many entries ({ctx.get('actual_length', '?')}; at most {ctx.get('max_length', 0):,})"
    return problem["msg"]


def _field_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return f"'{out}'" if out else "(the question itself)"


@dataclass(frozen=True)
class LoadedBank:
    bank: Bank
    path: Path
    warning: str | None = None  # set when the requested bank was rejected and the built-in one is shown


def load_bank_or_builtin(path: Path | None) -> LoadedBank:
    """The user's bank when it is valid; otherwise the built-in one and a warning saying why.

    A broken built-in bank has nothing to fall back to, so its BankError propagates.
    """
    builtin = builtin_bank_path()
    if path is None or path.resolve() == builtin:
        return LoadedBank(load_bank(builtin), builtin)
    try:
        return LoadedBank(load_bank(path), path)
    except BankError as e:
        warning = f"Your question bank was not loaded: {e}. Showing the built-in questions instead."
        return LoadedBank(load_bank(builtin), builtin, warning)


# --------------------------------------------------------------------------- importing Markdown

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


def principles_named(text: str) -> tuple[str, ...]:
    return tuple(name for name, rx in _PRINCIPLE_RES.items() if rx.search(text))


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
        raise ImportProblem(f"{source or 'the guide'}: {_describe(e, None)}") from None


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
                f"{where}: section {sec.heading!r} (line {sec.line}), {_describe(err, None)}"
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
        raise ImportProblem(f"{where}: {_describe(err, None)}") from None
