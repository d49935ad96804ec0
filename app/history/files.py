"""The history's files on disk: telling damage from other faults, keeping one copy of a damaged
database, moving a recording in one rename, writing an export whole or not at all."""

from __future__ import annotations

import errno
import filecmp
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

from app.history import salvage
from app.history.records import StoreError
from app.history.schema import SQLITE_HEADER


def is_disk_full(e: BaseException) -> bool:
    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(e, sqlite3.OperationalError) and "full" in str(e).lower()


def save_error(e: BaseException) -> StoreError:
    if is_disk_full(e):
        return StoreError(
            "The disk is full, so this answer could not be saved to your history. Free some space "
            "and try again; nothing was half-saved and the recording was left where it was."
        )
    return StoreError(f"This answer could not be saved to your history ({e}). Nothing was half-saved.")


def companions(path: Path) -> list[Path]:
    """The database file and the WAL files SQLite keeps beside it."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def kept_copies(path: Path) -> list[Path]:
    stem = path.name.split(".", 1)[0]
    return sorted(path.parent.glob(f"{stem}.corrupt-*.sqlite3"))


def same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def already_kept(path: Path) -> Path | None:
    """A copy of these very bytes kept earlier, so that each run on the same damaged file does not
    keep another one."""
    wal = companions(path)[1]
    for copy in kept_copies(path):
        copy_wal = companions(copy)[1]
        if same_bytes(path, copy) and (
            not wal.exists() or wal.stat().st_size == 0 or same_bytes(wal, copy_wal)
        ):
            return copy
    return None


def keep_copy(path: Path) -> Path:
    """Copy a damaged database (and its WAL) to `history.corrupt-YYYYmmdd-HHMMSS.sqlite3`, once: the
    copy of the same bytes kept earlier is returned instead of a new one."""
    kept = already_kept(path)
    if kept is not None:
        return kept
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = path.name.split(".", 1)[0]
    copy = path.with_name(f"{stem}.corrupt-{stamp}.sqlite3")
    n = 1
    while copy.exists():
        copy = path.with_name(f"{stem}.corrupt-{stamp}-{n}.sqlite3")
        n += 1
    wal = companions(path)[1]
    if wal.exists() and wal.stat().st_size > 0:  # the -shm is an index SQLite rebuilds from the WAL
        shutil.copy2(wal, companions(copy)[1])
    shutil.copy2(path, copy)
    return copy


def unwritable(path: Path) -> str | None:
    """Why the history at `path` cannot be written (a read-only folder or file), or None."""
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    return None


def refuse_unrepairable(path: Path, problem: str) -> None:
    """A damaged history in a folder that cannot be written is left as it is: no copy can be kept."""
    if not os.access(path.parent, os.W_OK):
        raise StoreError(
            f"Your practice history {path} is damaged ({problem}), and its folder {path.parent} cannot "
            "be written, so it was left as it is. Make the folder writable and start STAR Coach again."
        )


def check(path: Path) -> str | None:
    """Why the file at `path` is damaged, or None; opens it read-only. A file that cannot be read for
    another reason (permissions, a lock, a failing disk) is not damage: StoreError says so, and nothing
    is copied or replaced."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise StoreError(f"Your practice history {path} cannot be read ({e.strerror}).") from None
    if not head:
        return None  # an empty file is an empty database
    if head != SQLITE_HEADER:
        return "it does not start as a SQLite database does"
    try:
        conn = salvage.connect_readonly(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        if not salvage.is_damage(e):
            raise StoreError(f"Your practice history {path} cannot be read ({e}).") from None
        return f"it is damaged ({e})"
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    return f"it is damaged ({'; '.join(problems[:3])})" if problems else None


def move(src: Path, dst: Path) -> None:
    """Rename `src` to `dst`; across file systems, copy to a temporary file beside `dst` first."""
    try:
        os.replace(src, dst)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        part = dst.with_name(f".{dst.name}.part")
        try:
            shutil.copy2(src, part)
            os.replace(part, dst)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        src.unlink()


def atomic_stream(path: Path, write: Callable[[IO[str]], None], newline: str | None = None) -> None:
    """Like app.core.files.atomic_write_text, for output written piece by piece."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise StoreError(f"{path} cannot be written ({e.strerror or e}).") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
