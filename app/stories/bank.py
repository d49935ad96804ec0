"""A story as the person keeps it, and the bank's JSON file (import and export), validated by pydantic
so that a hand-edited file is refused with the field that is wrong, before anything is changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from app.analysis.lexicons import PRINCIPLE_LEXICON

PRINCIPLES: tuple[str, ...] = tuple(PRINCIPLE_LEXICON)  # Amazon's 16, in Amazon's order
FORMAT = 2  # 2: a story may carry its written version; files of format 1 are still read
READS = (1, 2)
MAX_STORIES = 500
MAX_WRITTEN = 8000  # characters: a two-minute story is about 2,000


class StoryError(ValueError):
    """A story or a story file that cannot be used; the message says which field and why."""


class Story(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int | None = None  # None until saved
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=600)] = ""
    principles: Annotated[tuple[str, ...], Field(max_length=len(PRINCIPLES))] = ()
    # The person's own written STAR version, typed or pasted on the Stories screen ("" when none).
    written: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_WRITTEN)] = ""

    @field_validator("principles")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [p for p in value if p not in PRINCIPLES]
        if unknown:
            raise ValueError(f"not a Leadership Principle: {unknown[0]!r}")
        return tuple(p for p in PRINCIPLES if p in value)  # Amazon's order, each once


class StoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int = FORMAT
    stories: Annotated[list[Story], Field(max_length=MAX_STORIES)]


def _problem(e: ValidationError) -> str:
    err = e.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}"


def make_story(title: str, summary: str = "", principles: tuple[str, ...] = (), written: str = "") -> Story:
    try:
        return Story(title=title, summary=summary, principles=principles, written=written)
    except ValidationError as e:
        raise StoryError(_problem(e)) from None


def parse_file(text: str) -> list[Story]:
    """The stories of an exported bank; StoryError names the field of the first problem."""
    try:
        data: Any = json.loads(text)
    except ValueError as e:
        raise StoryError(f"not JSON ({e})") from None
    try:
        parsed = StoryFile.model_validate(data)
    except ValidationError as e:
        raise StoryError(_problem(e)) from None
    if parsed.format not in READS:
        raise StoryError(
            f"format {parsed.format} is not one this version reads ({', '.join(map(str, READS))})"
        )
    return [s.model_copy(update={"id": None}) for s in parsed.stories]


def from_history(rows: Iterable[object]) -> list[Story]:
    """The bank's stories from the history's records of them (app.history.stories.StoredStory), which
    were validated when saved."""
    return [Story.model_validate(r, from_attributes=True) for r in rows]


def to_file(stories: list[Story]) -> str:
    data = {"format": FORMAT, "stories": [s.model_dump(exclude={"id"}) for s in stories]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
