"""Opening the history: creating or upgrading its tables, opening a healthy one that cannot be written
for reading only, and salvaging a damaged one into a new file (app.history.salvage) after keeping a
copy of it once."""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from app.core import paths
from app.history import files, salvage
from app.history.records import StoreError
from app.history.schema import DB_NAME, MIGRATIONS, SCHEMA_VERSION
from app.history.store import Store


def open_history(path: Path | None = None) -> Store:
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
    return connect(path)


def connect(path: Path) -> Store:
    """Open a checked history: read-write, or read-only when it cannot be written."""
    why = files.unwritable(path)
    if why is not None:
        return _connect_read_only(path, why)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
    except sqlite3.Error as e:
        raise StoreError(f"Your practice history {path} cannot be opened ({e}).") from None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        store = Store(conn, path)
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


def _connect_read_only(path: Path, why: str) -> Store:
    """A healthy history that cannot be written is still shown; saving into it says it failed."""
    if not path.exists():
        raise StoreError(f"Your practice history {path} cannot be written: {why}.")
    try:
        conn = salvage.connect_readonly(path)
    except sqlite3.Error as e:
        raise StoreError(f"Your practice history {path} cannot be written ({why}) or read ({e}).") from None
    store = Store(conn, path)
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


def recover_history(path: Path | None = None) -> Store:
    """Open the history, as the app and the command line do. A damaged one is salvaged: what can
    still be read goes into a new history, the damaged file is kept once, and the first message
    says how many attempts came back and where the damaged file is."""
    path = path or paths.data_dir() / DB_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = files.check(path)
        if problem:
            return _salvage(path, problem)
    return connect(path)


def _salvage(path: Path, problem: str) -> Store:
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
        new = connect(fresh)
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
            return connect(path)
    except (OSError, sqlite3.Error) as e:
        raise StoreError(
            f"Your practice history {path} is damaged ({problem}) and could not be repaired ({e}). "
            f"A copy was kept as {copy}.",
            copy=copy,
        ) from None
    finally:
        for leftover in files.companions(fresh):
            leftover.unlink(missing_ok=True)
    store = connect(path)
    store.recovery_messages.insert(0, salvage.message(path, problem, copy, result))
    return store


def _migrate(store: Store) -> None:
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
