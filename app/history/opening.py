"""Opening the history: creating or upgrading its tables, opening a healthy one that cannot be written
for reading only, and salvaging a damaged one into a new file (app.history.salvage) after keeping a
copy of it once.

It makes the history object with the function it is handed (`Store` itself, app.history.store), so
that the store can open itself through this module without the two importing each other.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from app.core import paths
from app.history import files, salvage
from app.history.records import StoreError
from app.history.schema import DB_NAME, MIGRATIONS, SCHEMA_VERSION


class Opened(Protocol):
    """What opening reads and sets of the history it makes (app.history.store.Store)."""

    _conn: sqlite3.Connection
    path: Path
    read_only: bool
    recovery_messages: list[str]

    @property
    def version(self) -> int: ...
    def _tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...
    def recover_interrupted(self) -> list[str]: ...
    def close(self) -> None: ...


S = TypeVar("S", bound=Opened)
Make = Callable[[sqlite3.Connection, Path], S]


def open_history(make: Make[S], path: Path | None = None) -> S:
    """Open the history; a damaged one raises StoreError naming the copy kept of it (see `recover`)."""
    path = path or paths.data_dir() / DB_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = files.check(path)
        if problem:
            files.refuse_unrepairable(path, problem)
            copy = files.keep_copy(path)
            raise StoreError(
                f"Your practice history {path} cannot be opened: {problem}. A copy was kept as "
                f"{copy}. Start a new history to continue practising.",
                copy=copy,
            )
    return connect(make, path)


def connect(make: Make[S], path: Path) -> S:
    """Open a checked history: read-write, or read-only when it cannot be written."""
    why = files.unwritable(path)
    if why is not None:
        return _connect_read_only(make, path, why)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
    except sqlite3.Error as e:
        raise StoreError(f"Your practice history {path} cannot be opened ({e}).") from None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        store = make(conn, path)
        _migrate(store)
        store.recovery_messages = store.recover_interrupted()
    except sqlite3.Error as e:
        conn.close()
        if files.is_disk_full(e):
            raise StoreError(f"The disk is full: your practice history {path} cannot be opened.") from None
        raise StoreError(f"Your practice history {path} cannot be opened ({e}).") from None
    except BaseException:
        conn.close()
        raise
    return store


def _connect_read_only(make: Make[S], path: Path, why: str) -> S:
    """A healthy history that cannot be written is still shown; saving into it says it failed."""
    if not path.exists():
        raise StoreError(f"Your practice history {path} cannot be written: {why}.")
    try:
        conn = salvage.connect_readonly(path)
    except sqlite3.Error as e:
        raise StoreError(f"Your practice history {path} cannot be written ({why}) or read ({e}).") from None
    store = make(conn, path)
    store.read_only = True
    try:
        version = store.version
    except sqlite3.Error as e:
        conn.close()
        raise StoreError(f"Your practice history {path} cannot be read ({e}).") from None
    if version != SCHEMA_VERSION:
        conn.close()
        newer = "a newer" if version > SCHEMA_VERSION else "an older"
        raise StoreError(
            f"Your practice history {path} was written by {newer} STAR Coach and cannot be "
            f"written ({why}), so it cannot be brought up to date to be read."
        )
    store.recovery_messages = [
        f"Your practice history {path} cannot be written ({why}), so it was opened for reading "
        "only: new answers will not be saved to it."
    ]
    return store


def recover_history(make: Make[S], path: Path | None = None) -> S:
    """Open the history, as the app and the command line do. A damaged one is salvaged: what can
    still be read goes into a new history, the damaged file is kept once, and the first message
    says how many attempts came back and where the damaged file is."""
    path = path or paths.data_dir() / DB_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = files.check(path)
        if problem:
            return _salvage(make, path, problem)
    return connect(make, path)


def _salvage(make: Make[S], path: Path, problem: str) -> S:
    """Build the new history beside the damaged one, then put it in its place in one rename; the
    damaged WAL goes first, so SQLite never applies it to the new file."""
    files.refuse_unrepairable(path, problem)
    try:
        copy = files.keep_copy(path)
        seen = path.stat()
    except OSError as e:
        raise StoreError(
            f"Your practice history {path} is damaged ({problem}), and no copy of it could be kept "
            f"({e.strerror}), so it was left as it is. Free some space and start STAR Coach again."
        ) from None
    fresh = path.with_name(f".{path.name}.salvage-{uuid.uuid4().hex[:8]}")
    try:
        new = connect(make, fresh)
        try:
            result = salvage.salvage_into(copy, new._conn)
            new._conn.execute("PRAGMA journal_mode = DELETE")  # all of it in the one file
        finally:
            new.close()
        now = path.stat()
        if (now.st_ino, now.st_size, now.st_mtime_ns) == (seen.st_ino, seen.st_size, seen.st_mtime_ns):
            for companion in files.companions(path)[1:]:
                companion.unlink(missing_ok=True)
            os.replace(fresh, path)
        else:  # another STAR Coach replaced it meanwhile: open theirs
            return connect(make, path)
    except (OSError, sqlite3.Error) as e:
        raise StoreError(
            f"Your practice history {path} is damaged ({problem}) and could not be repaired ({e}). "
            f"A copy was kept as {copy}.",
            copy=copy,
        ) from None
    finally:
        for leftover in files.companions(fresh):
            leftover.unlink(missing_ok=True)
    store = connect(make, path)
    store.recovery_messages.insert(0, salvage.message(path, problem, copy, result))
    return store


def _migrate(store: Opened) -> None:
    current = store.version
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"Your practice history {store.path} was written by a newer STAR Coach "
            f"(schema {current}, this one knows {SCHEMA_VERSION}). Update STAR Coach to open it."
        )
    if current == 0:
        tables = [
            r[0]
            for r in store._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        if tables:  # never write our tables into another program's database
            raise StoreError(
                f"{store.path} is not a STAR Coach history: it holds another program's tables "
                f"({', '.join(sorted(tables)[:3])}). It was left as it is; move it elsewhere and "
                "STAR Coach starts a new history there."
            )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with store._tx() as c:
            for statement in MIGRATIONS[version - 1]:
                c.execute(statement)
            c.execute(f"PRAGMA user_version = {version}")
