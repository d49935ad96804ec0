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

from app.core import paths

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
# Principles listed in a line: a comma made "Are Right, A Lot" read as two principles, and a semicolon is
# inside "Have Backbone; Disagree and Commit". Every list of principles is joined by `principle_list`.
PRINCIPLE_SEPARATOR = " \u00b7 "


def principle_list(names: Iterable[str]) -> str:
    """Principles in one line, each readable as one name."""
    return PRINCIPLE_SEPARATOR.join(names)


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
    """`resources/questions.json` in a checkout or an editable install; inside the wheel when installed."""
    return paths.bank_file()


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
        raise BankError(f"{path}: {describe_error(e, data)}") from None


def describe_error(err: ValidationError, data: Any) -> str:
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


def principles_named(text: str) -> tuple[str, ...]:
    return tuple(name for name, rx in _PRINCIPLE_RES.items() if rx.search(text))
