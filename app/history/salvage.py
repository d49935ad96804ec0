"""What can still be read from a damaged history goes into a new one, so a few bad bytes cost a few
answers, not all of them.

Python's sqlite3 has no `.recover`, and the `sqlite3` program may not be installed, so the salvage
works on a copy: the fixed fields of its 100-byte header are put back (a history whose first 16 bytes
were overwritten is otherwise intact), then each table is read row by row through its rowid b-tree.
A damaged leaf page costs the rows on it: the reader skips past it by seeking further along (doubling,
then halving back to the first readable rowid). A damaged overflow page costs the one row it belongs
to. A row whose text does not parse is left out rather than shown half-garbled.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.history.schema import SQLITE_HEADER
from app.speech.transcript import Transcript

_DAMAGE = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_NO_SHM = (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY)  # e.g. SQLITE_READONLY_DIRECTORY
_MAX_ROWID = 2**63 - 1
_PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)


@dataclass(frozen=True)
class Salvaged:
    recovered: int  # attempts written to the new history
    total: int | None  # attempts the damaged history held, when one of its counts could still be read


def is_damage(e: sqlite3.Error) -> bool:
    """Damaged bytes, as opposed to a file SQLite may not open (permissions, a read-only folder, a
    lock): only damage justifies keeping a copy and starting a new history."""
    code = getattr(e, "sqlite_errorcode", None)
    return code is None or code & 0xFF in _DAMAGE


def _has_pending_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5, check_same_thread=False)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection (autocommit, usable from any thread). In a folder that cannot be written
    SQLite cannot create the `-shm` file a WAL database needs, so a database with no pending `-wal` is
    then opened as immutable."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = _connect(uri)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the open is lazy: read once
        return conn
    except sqlite3.OperationalError as e:
        conn.close()
        if e.sqlite_errorcode & 0xFF not in _NO_SHM or _has_pending_wal(path):
            raise
    except BaseException:
        conn.close()
        raise
    return _connect(f"{uri}&immutable=1")


def _repair_header(head: bytearray, wal: bool) -> None:
    """Put back the header fields every SQLite file has; the page size, when unreadable, is a guess."""
    head[:16] = SQLITE_HEADER
    if _page_size(head) not in _PAGE_SIZES:
        _set_page_size(head, 4096)
    if head[18] not in (1, 2) or head[19] not in (1, 2):
        head[18:20] = b"\x02\x02" if wal else b"\x01\x01"
    head[21:24] = b"\x40\x20\x20"  # payload fractions: fixed by the file format


def _page_size(head: bytes | bytearray) -> int:
    size = int.from_bytes(head[16:18], "big")
    return 65536 if size == 1 else size


def _set_page_size(head: bytearray, size: int) -> None:
    head[16:18] = (1 if size == 65536 else size).to_bytes(2, "big")


def _first_after(conn: sqlite3.Connection, table: str, after: int) -> int | None:
    """The first rowid above `after`, None past the last; raises when the way there is damaged."""
    row = conn.execute(
        f"SELECT rowid FROM {table} NOT INDEXED WHERE rowid > ? ORDER BY rowid LIMIT 1", (after,)
    ).fetchone()
    return None if row is None else int(row[0])


def _readable(conn: sqlite3.Connection, table: str, after: int) -> bool:
    try:
        _first_after(conn, table, after)
    except sqlite3.DatabaseError:
        return False
    return True


def _skip_damage(conn: sqlite3.Connection, table: str, bad: int) -> int | None:
    """The smallest `after` >= `bad` from which seeking works again, or None if none does: doubling
    the jump finds a readable point, halving back finds the first one, so no readable row is skipped."""
    step = 1
    while True:
        probe = bad + step
        if probe >= _MAX_ROWID:
            return None
        if _readable(conn, table, probe):
            break
        bad, step = probe, step * 2
    good = probe
    while good - bad > 1:
        mid = (bad + good) // 2
        if _readable(conn, table, mid):
            good = mid
        else:
            bad = mid
    return good


def _exists(conn: sqlite3.Connection, table: str, rowid: int) -> bool:
    try:
        return (
            conn.execute(f"SELECT 1 FROM {table} NOT INDEXED WHERE rowid = ?", (rowid,)).fetchone()
            is not None
        )
    except sqlite3.DatabaseError:
        return False


def _rowids(conn: sqlite3.Connection, table: str) -> Iterator[int]:
    """Every rowid that can be reached, in order, stepping over damaged pages. The app's tables have
    positive rowids only (SQLite gives them from 1), so the walk starts at 0."""
    after: int | None = 0
    while after is not None:
        try:
            rowid = _first_after(conn, table, after)
        except sqlite3.DatabaseError:
            after = _skip_damage(conn, table, after)
            # seeking past the last key of a damaged leaf fails, so the first key of the next one is
            # reached only directly
            if after is not None and _exists(conn, table, after):
                yield after
            continue
        if rowid is None:
            return
        yield rowid
        after = rowid


def _rows(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Each row that can be read whole; one with a damaged overflow page or broken text is left out."""
    sql = f"SELECT {', '.join(columns)} FROM {table} NOT INDEXED WHERE rowid = ?"
    for rowid in _rowids(conn, table):
        try:
            row = conn.execute(sql, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            yield tuple(row)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _count(conn: sqlite3.Connection, table: str) -> int | None:
    """How many rows the table held: from the table or any of its indexes, whichever can be read."""
    try:
        indexes = [str(r[1]) for r in conn.execute(f"PRAGMA index_list({table})")]
    except sqlite3.DatabaseError:
        indexes = []
    counts: list[int] = []
    for how in ["NOT INDEXED", *(f'INDEXED BY "{i}"' for i in indexes)]:
        with contextlib.suppress(sqlite3.DatabaseError):
            counts.append(int(conn.execute(f"SELECT COUNT(*) FROM {table} {how}").fetchone()[0]))
    return max(counts) if counts else None


def _whole(row: dict[str, Any]) -> bool:
    """The row parses as the app will read it: a garbled overflow page can still read as text."""
    try:
        Transcript.from_json(json.loads(row["transcript"]))
        if row.get("analysis") is not None:
            json.loads(row["analysis"])
        if not isinstance(json.loads(row.get("missing", "[]")), list):
            return False
        return isinstance(json.loads(row.get("section_seconds", "{}")), dict)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def _open_copy(damaged: Path, work: Path) -> sqlite3.Connection | None:
    """A read-only connection to a header-repaired copy of `damaged` in `work`, or None if no page
    size makes its schema readable."""
    target = work / "salvage.sqlite3"
    shutil.copyfile(damaged, target)
    wal = damaged.with_name(damaged.name + "-wal")
    has_wal = wal.is_file() and wal.stat().st_size > 0
    if has_wal:
        shutil.copyfile(wal, work / "salvage.sqlite3-wal")
    with target.open("r+b") as f:
        head = bytearray(f.read(100))
    if len(head) < 100:
        return None
    _repair_header(head, has_wal)
    first = _page_size(head)
    for size in [first, *(s for s in _PAGE_SIZES if s != first)]:
        _set_page_size(head, size)
        with target.open("r+b") as f:
            f.write(head)
        conn = sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)
        if _columns(conn, "attempts"):
            return conn
        conn.close()
    return None


def salvage_into(damaged: Path, target: sqlite3.Connection) -> Salvaged:
    """Copy every readable question and attempt of the database file `damaged` (left untouched) into
    the empty history `target`, in one transaction; attempts keep their ids, so their recordings match."""
    with tempfile.TemporaryDirectory(prefix="star-coach-salvage-") as work:
        source = _open_copy(damaged, Path(work))
        if source is None:
            return Salvaged(0, None)
        try:
            return _copy_rows(source, target)
        finally:
            source.close()


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection) -> Salvaged:
    wanted = [str(r[1]) for r in target.execute("PRAGMA table_info(attempts)")]
    have = set(_columns(source, "attempts"))
    columns = [c for c in wanted if c in have]
    q_columns = [c for c in ("id", "text") if c in _columns(source, "questions")]
    total = _count(source, "attempts")
    try:
        sequence = int(
            source.execute("SELECT seq FROM sqlite_sequence WHERE name = 'attempts'").fetchone()[0]
        )
    except (sqlite3.DatabaseError, TypeError):
        sequence = 0
    insert = f"INSERT INTO attempts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    recovered = 0
    target.execute("BEGIN IMMEDIATE")
    try:
        if q_columns == ["id", "text"]:
            for qid, text in _rows(source, "questions", q_columns):
                target.execute(
                    "INSERT INTO questions (id, text) VALUES (?, ?) ON CONFLICT(id) DO NOTHING", (qid, text)
                )
        for values in _rows(source, "attempts", columns):
            row = dict(zip(columns, values, strict=True))
            if not _whole(row):
                continue
            try:
                target.execute(
                    "INSERT INTO questions (id) VALUES (?) ON CONFLICT(id) DO NOTHING", (row["question_id"],)
                )
                target.execute(insert, values)
            except sqlite3.IntegrityError:
                continue
            recovered += 1
        if "target_s" not in have:  # written before schema v2: what its migration would have filled in
            target.execute(
                "UPDATE attempts SET target_s = json_extract(analysis, '$.metrics.timing.target_seconds') "
                "WHERE target_s IS NULL AND json_valid(analysis)"
            )
        # ids of lost attempts are not given to new ones
        if not target.execute(
            "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'attempts'", (sequence,)
        ).rowcount:
            target.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('attempts', ?)", (sequence,))
        target.execute("COMMIT")
    except BaseException:
        if target.in_transaction:
            target.execute("ROLLBACK")
        raise
    return Salvaged(recovered, total if total is None else max(total, recovered))


def message(path: Path, problem: str, copy: Path, result: Salvaged) -> str:
    """What the person is told: what happened, how many attempts came back, where the damaged file is."""
    kept = f"The damaged file is kept as {copy}."
    n, total = result.recovered, result.total
    if n == 0:
        return (
            f"Your practice history {path} could not be read ({problem}): none of your attempts could "
            f"be recovered from it, so a new, empty history was started. {kept}"
        )
    lost = ""
    if n == total == 1:
        came_back = "Your one attempt was"
    elif n == total:
        came_back = f"All {n} of your attempts were"
    elif total is None:
        came_back, lost = (
            f"{n} of your attempts {'was' if n == 1 else 'were'}",
            " Any others could not be read.",
        )
    else:
        came_back, lost = f"{n} of your {total} attempts were", f" {total - n} could not be read."
    return (
        f"Your practice history {path} could not be opened as it was: {problem}. {came_back} "
        f"recovered into a new history.{lost} {kept}"
    )
