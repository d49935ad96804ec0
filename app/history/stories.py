"""The story bank in the history file: stories, and which story each attempt told (the app's
suggestion until the person confirms or changes it). Deleting a story unlinks its attempts."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from app.history import files
from app.history.follow_ups import FollowUpStoring
from app.history.records import StoreError


class StoryFields(Protocol):
    """What the history keeps of a story (app.stories.bank.Story, validated above, has these)."""

    @property
    def id(self) -> int | None: ...  # None until saved
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def principles(self) -> Sequence[str]: ...
    @property
    def written(self) -> str: ...


@dataclass(frozen=True)
class StoredStory:
    """A story as the history holds it; app.stories.bank.from_history makes the bank's Story of it."""

    id: int
    title: str
    summary: str
    principles: tuple[str, ...]
    written: str


@dataclass(frozen=True)
class StoryUse:
    """One answer that told a story."""

    attempt_id: int
    story_id: int
    question_id: str
    started_at: str  # UTC, ISO 8601
    grade: int
    chosen_by: str  # "app" (suggested) or "person"


class StoryStoring(FollowUpStoring):
    """Stories, a part of `Store` (app.history.store)."""

    if TYPE_CHECKING:

        def _tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def stories(self) -> list[StoredStory]:
        rows = self._conn.execute("SELECT id, title, summary, principles, written FROM stories ORDER BY id")
        return [
            StoredStory(
                id=r["id"],
                title=r["title"],
                summary=r["summary"],
                principles=tuple(json.loads(r["principles"])),
                written=r["written"],
            )
            for r in rows
        ]

    def save_story(self, story: StoryFields) -> int:
        """Insert a new story (id None) or update one; returns its id."""
        values = (story.title, story.summary, json.dumps(list(story.principles)), story.written)
        try:
            with self._tx() as c:
                if story.id is None:
                    cur = c.execute(
                        "INSERT INTO stories (title, summary, principles, written, created_at) VALUES (?, ?, ?, ?, ?)",
                        (*values, datetime.now(UTC).replace(microsecond=0).isoformat()),
                    )
                    assert cur.lastrowid is not None
                    return int(cur.lastrowid)
                if not c.execute(
                    "UPDATE stories SET title = ?, summary = ?, principles = ?, written = ? WHERE id = ?",
                    (*values, story.id),
                ).rowcount:
                    raise StoreError(f"There is no story {story.id}.")
                return story.id
        except (sqlite3.Error, OSError) as e:
            raise files.save_error(e) from None

    def import_stories(self, stories: Sequence[StoryFields]) -> int:
        """Add every story of an imported bank in one transaction: all of them or none."""
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        try:
            with self._tx() as c:
                c.executemany(
                    "INSERT INTO stories (title, summary, principles, written, created_at) VALUES (?, ?, ?, ?, ?)",
                    [(s.title, s.summary, json.dumps(list(s.principles)), s.written, now) for s in stories],
                )
        except (sqlite3.Error, OSError) as e:
            raise files.save_error(e) from None
        return len(stories)

    def delete_story(self, story_id: int) -> None:
        with self._tx() as c:
            if not c.execute("DELETE FROM stories WHERE id = ?", (story_id,)).rowcount:
                raise StoreError(f"There is no story {story_id}.")

    def link_story(self, attempt_id: int, story_id: int | None, chosen_by: str = "person") -> None:
        """Which story an attempt told; None: none of them. The app's suggestion never replaces the
        person's own choice."""
        with self._tx() as c:
            if story_id is None:
                c.execute("DELETE FROM attempt_stories WHERE attempt_id = ?", (attempt_id,))
                return
            old = c.execute(
                "SELECT chosen_by FROM attempt_stories WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()
            if old is not None and old["chosen_by"] == "person" and chosen_by == "app":
                return
            try:
                c.execute(
                    "INSERT OR REPLACE INTO attempt_stories (attempt_id, story_id, chosen_by) VALUES (?, ?, ?)",
                    (attempt_id, story_id, chosen_by),
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"There is no attempt {attempt_id} or no story {story_id}.") from None

    def story_uses(self) -> list[StoryUse]:
        """Every answer linked to a story, oldest first."""
        rows = self._conn.execute(
            "SELECT s.attempt_id, s.story_id, a.question_id, a.started_at, "
            "COALESCE(a.grade_set, a.grade, 3) AS g, s.chosen_by FROM attempt_stories s "
            "JOIN attempts a ON a.id = s.attempt_id WHERE a.status = 'complete' ORDER BY a.started_at, a.id"
        )
        return [StoryUse(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def story_texts(self) -> dict[int, list[str]]:
        """What each story's confirmed answers said: the suggestion learns each story's words from them."""
        out: dict[int, list[str]] = {}
        rows = self._conn.execute(
            "SELECT s.story_id, a.transcript FROM attempt_stories s JOIN attempts a ON a.id = s.attempt_id "
            "WHERE s.chosen_by = 'person' AND a.status = 'complete'"
        )
        for story_id, transcript in rows:
            with contextlib.suppress(ValueError, TypeError, KeyError):
                out.setdefault(story_id, []).append(str(json.loads(transcript).get("text", "")))
        return out

    def recent_pace(self, answers: int = 20) -> float | None:
        """The person's own pace (words a minute), the median of their last `answers` answers: a written
        story's length is estimated at it. None before any answer was timed."""
        rows = self._conn.execute(
            "SELECT wpm FROM attempts WHERE status = 'complete' AND wpm > 0 ORDER BY started_at DESC LIMIT ?",
            (answers,),
        ).fetchall()
        paces = sorted(float(r[0]) for r in rows)
        return paces[len(paces) // 2] if paces else None
