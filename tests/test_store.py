"""The practice history: saved answers survive crashes, full disks, damaged files and moved folders."""

from __future__ import annotations

import csv
import ctypes
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.bank.questions import Bank, builtin_bank_path, load_bank
from app.core import paths
from app.history import DB_NAME, SCHEMA_VERSION, AttemptRecord, Store, StoreError
from app.practice.result import PracticeResult
from app.speech.capture_worker import RecordingResult
from app.speech.transcript import Transcript
from bench.sample_history import generate_attempts
from tests.conftest import ROOT

ANSWER = """Last year I led a team of five engineers at a small payments company.
Our checkout service was timing out for about ten percent of customers during sales.
My task was to find the cause and fix it before the holiday peak.
I um started by adding tracing to every call the checkout made.
I found that one database query ran without an index and locked the orders table.
I wrote the fix, tested it under load, and rolled it out behind a flag.
As a result, timeouts fell from ten percent to under half a percent, and sales grew 12 percent.
What I learned is to measure before guessing."""

_BANK: list[Bank] = []


def bank() -> Bank:
    if not _BANK:
        _BANK.append(load_bank(builtin_bank_path()))
    return _BANK[0]


def write_wav(path: Path, seconds: float = 0.5) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(bytes(range(256)) * int(16_000 * 2 * seconds / 256))
    return path


def make_result(wav: Path, qid: str = "q08") -> PracticeResult:
    question = bank().by_id(qid)
    sentences = sent.from_text(ANSWER, lines=True)
    analysis = analyze(sentences, bank(), question, engine="whisper")
    words = tuple(w for s in sentences for w in s.words)
    transcript = Transcript(words, ANSWER.replace("\n", " "), "whisper", "tiny.en", words[-1].end)
    recording = RecordingResult(wav, 0.5, 0.4, -12.0, 0.0, False)
    return PracticeResult(question, recording, transcript, analysis, 1.2)


def db_path() -> Path:
    return paths.data_dir() / "history.sqlite3"


def test_save_and_load_round_trip_and_move_the_data_folder(tmp_path: Path, star_home: Path) -> None:
    wav = write_wav(tmp_path / "take.wav")
    original = wav.read_bytes()
    result = make_result(wav)
    assert result.analysis is not None
    with Store.open() as store:
        assert store.version == SCHEMA_VERSION
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        attempt_id = store.save_attempt(result.for_history(), keep_audio=True)
        rec = store.attempt(attempt_id)
    assert not wav.exists()
    assert rec.summary.audio_path is not None and rec.summary.audio_path.startswith("recordings/")
    assert rec.audio is not None and rec.audio.parent == paths.recordings_dir()
    assert rec.audio.read_bytes() == original
    assert rec.summary.audio_bytes == len(original)
    assert rec.transcript.words == Transcript.from_json(result.transcript.to_json()).words
    assert rec.analysis == json.loads(json.dumps(result.analysis.to_json()))
    assert rec.summary.question_text == result.question.question
    assert rec.summary.missing == tuple(result.analysis.missing)
    assert rec.summary.target_s == 120

    moved = tmp_path / "elsewhere" / "data"
    shutil.move(str(star_home / "data"), str(moved))
    with Store.open(moved / "history.sqlite3") as store:
        rec2 = store.attempt(attempt_id)
        assert rec2.audio == moved / rec.summary.audio_path
        assert rec2.audio.read_bytes() == original
        assert store.recovery_messages == []


def test_recording_already_in_recordings_stays_and_keep_audio_false_stores_none(tmp_path: Path) -> None:
    inside = write_wav(paths.recordings_dir() / "q08-20250101-120000.wav")
    outside = write_wav(tmp_path / "take.wav")
    with Store.open() as store:
        a = store.save_attempt(make_result(inside).for_history(), keep_audio=True)
        b = store.save_attempt(make_result(outside).for_history(), keep_audio=False)
        assert store.attempt(a).audio == inside and inside.exists()
        rec = store.attempt(b)
        assert rec.audio is None and rec.summary.audio_path is None and rec.summary.audio_bytes == 0
        assert [p.name for p in paths.recordings_dir().iterdir()] == [inside.name]
        assert [s.id for s in store.attempts()] == [b, a]  # same second: newest id first
        assert store.recover_interrupted() == []


V1_SCHEMA = """
CREATE TABLE questions (id TEXT PRIMARY KEY, text TEXT NOT NULL DEFAULT '');
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL REFERENCES questions(id),
    started_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('saving', 'complete')),
    engine TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',
    duration_s REAL NOT NULL DEFAULT 0, total_s REAL NOT NULL DEFAULT 0,
    wpm REAL, fillers_per_min REAL,
    long_pauses INTEGER NOT NULL DEFAULT 0, i_count INTEGER NOT NULL DEFAULT 0,
    we_count INTEGER NOT NULL DEFAULT 0, quantified INTEGER NOT NULL DEFAULT 0,
    missing TEXT NOT NULL DEFAULT '[]', section_seconds TEXT NOT NULL DEFAULT '{}',
    audio_path TEXT, audio_bytes INTEGER NOT NULL DEFAULT 0, audio_source TEXT,
    transcript TEXT NOT NULL, analysis TEXT
);
INSERT INTO questions VALUES ('q08', 'An old question');
INSERT INTO attempts (question_id, started_at, status, total_s, wpm, missing, section_seconds,
    transcript, analysis)
VALUES ('q08', '2025-01-02T10:00:00+00:00', 'complete', 95.5, 140, '["reflection"]', '{"action": 60}',
    '{"engine": "whisper", "model": "tiny.en", "text": "hello there",
      "words": [{"text": "hello", "start": 0.0, "end": 0.4}, {"text": "there", "start": 0.5, "end": 0.9}]}',
    '{"metrics": {"timing": {"target_seconds": 90}}, "feedback": []}');
PRAGMA user_version = 1;
"""


def test_migration_from_a_v1_database_keeps_data() -> None:
    path = db_path()
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.close()
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION == 10
        [summary] = store.attempts()
        assert summary.origin == "practice"  # v3: every earlier attempt came from a practice
        assert summary.question_text == "An old question"
        assert summary.target_s == 90  # backfilled by the v2 migration
        assert summary.missing == ("reflection",)
        assert [w.text for w in store.attempt(summary.id).transcript.words] == ["hello", "there"]
        indexes = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"attempts_question_started", "attempts_complete"} <= indexes
    with Store.open(path) as store:  # opening again migrates nothing
        assert store.version == 10 and len(store.attempts()) == 1


def test_a_newer_schema_is_refused() -> None:
    conn = sqlite3.connect(db_path())
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer STAR Coach"):
        Store.open()


KILLED_SAVE = """
import sys, threading
sys.path.insert(0, {root!r})
from pathlib import Path
from app.history import Store
from tests.test_store import make_result
store = Store.open()
result = make_result(Path({wav!r}))
def stage(name):
    if name == {stage!r}:
        print("PAUSED", flush=True)
        threading.Event().wait()  # until the test kills this process
store.on_stage = stage
store.save_attempt(result.for_history(), keep_audio=True)
print("NOT KILLED", flush=True)
"""


@pytest.mark.parametrize("stage", ["inserted", "moved"])
def test_a_process_killed_while_saving_loses_nothing(tmp_path: Path, stage: str) -> None:
    wav = write_wav(tmp_path / "take.wav")
    original = wav.read_bytes()
    code = KILLED_SAVE.format(root=str(ROOT), wav=str(wav), stage=stage)
    with subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "PAUSED"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    with Store.open() as store:
        assert len(store.recovery_messages) == 1
        assert "now saved" in store.recovery_messages[0]
        [summary] = store.attempts()
        rec = store.attempt(summary.id)
        assert rec.audio is not None and rec.audio.read_bytes() == original
        assert not wav.exists()
        assert (
            store._conn.execute("SELECT COUNT(*) FROM attempts WHERE status != 'complete'").fetchone()[0] == 0
        )
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open() as store:
        assert store.recovery_messages == []


def test_orphan_recordings_are_found_kept_and_deleted_with_everything() -> None:
    """A recording no attempt refers to is kept for app.practice.recovery, not announced at every start; an
    answer still being recorded is not an orphan; "Delete everything" deletes orphans too."""
    orphan = write_wav(paths.recordings_dir() / "q01-20250101-090000.wav")
    write_wav(paths.recordings_dir() / "q02-20250101-090500.recording.wav")
    with Store.open() as store:
        assert store.recovery_messages == []
        assert store.orphan_recordings() == [orphan]
        store.delete_all()
        assert store.orphan_recordings() == [] and not orphan.exists()


def test_a_corrupt_database_is_copied_named_and_recoverable(tmp_path: Path) -> None:
    path = db_path()
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as info:
        Store.open()
    copy = info.value.copy
    assert copy is not None and copy.exists()
    assert copy.name.startswith("history.corrupt-") and copy.name.endswith(".sqlite3")
    assert str(copy) in str(info.value)
    assert copy.read_bytes() == garbage
    assert path.read_bytes() == garbage  # the original is untouched until recover()
    with pytest.raises(StoreError) as again:  # the same damaged bytes are kept once
        Store.open()
    assert again.value.copy == copy and _kept_copies() == [copy]
    store = Store.recover()
    try:
        assert store.attempts() == []
        assert "none of your attempts" in store.recovery_messages[0]
        attempt_id = store.save_attempt(
            make_result(write_wav(tmp_path / "t.wav")).for_history(), keep_audio=True
        )
        assert store.attempt(attempt_id).audio is not None
    finally:
        store.close()
    assert copy.read_bytes() == garbage
    assert _kept_copies() == [copy]


def test_damaged_pages_of_a_real_database_are_detected() -> None:
    path = db_path()
    with Store.open() as store:
        generate_attempts(store, 200, ["q01", "q02"], seed=3)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)  # keep the header page, wreck the rest
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="cannot be opened") as info:
        Store.open()
    assert info.value.copy is not None and info.value.copy.read_bytes() == bytes(data)


def _kept_copies() -> list[Path]:
    return sorted(paths.data_dir().glob("history.corrupt-*"))


def _history_of_200() -> dict[int, AttemptRecord]:
    """200 generated attempts, all in the database file itself (no WAL), as each one reads."""
    with Store.open() as store:
        generate_attempts(store, 200, ["q01", "q02"], seed=3)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {s.id: store.attempt(s.id) for s in store.attempts()}


def _overwrite(start: int, data: bytes) -> bytes:
    damaged = bytearray(db_path().read_bytes())
    damaged[start : start + len(data)] = data
    db_path().write_bytes(bytes(damaged))
    return bytes(damaged)


def test_a_history_whose_header_was_overwritten_comes_back_whole(tmp_path: Path) -> None:
    """Only the 16-byte "SQLite format 3" was lost: every attempt is still there to be read."""
    before = _history_of_200()
    damaged = _overwrite(0, b"\0" * 16)
    with Store.recover() as store:
        assert {s.id: store.attempt(s.id) for s in store.attempts()} == before
        [copy] = _kept_copies()
        assert copy.read_bytes() == damaged
        assert store.recovery_messages == [
            f"Your practice history {db_path()} could not be opened as it was: it does not start as a "
            "SQLite database does. All 200 of your attempts were recovered into a new history. "
            f"The damaged file is kept as {copy}."
        ]
        new_id = store.save_attempt(make_result(write_wav(tmp_path / "t.wav")).for_history(), keep_audio=True)
        assert new_id > max(before)
    with Store.recover() as store:  # the next start opens the new history: nothing to say, no copy
        assert store.recovery_messages == [] and store.count_attempts() == 201
    assert _kept_copies() == [copy]


def test_twenty_pages_overwritten_mid_file_lose_only_the_attempts_on_them() -> None:
    before = _history_of_200()
    pages = db_path().stat().st_size // 4096
    _overwrite((pages // 2 - 10) * 4096, b"\xa5" * 20 * 4096)
    with Store.recover() as store:
        after = {s.id: store.attempt(s.id) for s in store.attempts()}
        [message] = store.recovery_messages
    n = len(after)
    assert 180 <= n < 200  # the 20 pages held the leaf cells or the overflow pages of a few
    assert all(after[i] == before[i] for i in after)  # each one whole, with its id, never garbled
    assert (
        f"{n} of your 200 attempts were recovered into a new history. {200 - n} could not be read." in message
    )
    assert f"The damaged file is kept as {_kept_copies()[0]}." in message


def test_the_command_line_salvages_a_damaged_history_once(tmp_path: Path) -> None:
    """`export` and `history` open the history as the app does: the first run salvages and says so,
    later runs read the new history and keep no more copies."""
    _history_of_200()
    _overwrite(0, b"\0" * 16)
    out = _cli("export", str(tmp_path / "all.json"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("200 attempts ->")
    [copy] = _kept_copies()
    assert out.stderr.startswith("note: ") and "All 200 of your attempts were recovered" in out.stderr
    assert f"The damaged file is kept as {copy}." in out.stderr
    for _ in range(2):
        out = _cli("history")
        assert out.returncode == 0 and out.stderr == "" and out.stdout.rstrip().endswith("200 attempts")
    assert _kept_copies() == [copy]
    assert sorted(p.name for p in paths.data_dir().iterdir()) == sorted([DB_NAME, copy.name])


def test_a_healthy_history_in_a_read_only_folder_is_read_not_set_aside(tmp_path: Path) -> None:
    with Store.open() as store:
        generate_attempts(store, 6, ["q01", "q02"], seed=4)
    folder = paths.data_dir()
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    folder.chmod(0o555)
    try:
        history = _cli("history", obey_permissions=True)
        export = _cli("export", str(tmp_path / "all.json"), obey_permissions=True)
    finally:
        folder.chmod(0o755)
    assert history.returncode == 0, history.stderr
    assert history.stdout.rstrip().endswith("6 attempts")
    assert history.stderr == (
        f"note: Your practice history {folder / DB_NAME} cannot be written (its folder {folder} is "
        "read-only), so it was opened for reading only: new answers will not be saved to it.\n"
    )
    assert export.returncode == 0 and export.stdout.startswith("6 attempts ->"), export.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == files


def _assert_nothing_saved(store: Store, wav: Path, original: bytes) -> None:
    assert store.attempts() == []
    assert store._conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 0
    assert wav.read_bytes() == original  # the recording stays where it was
    assert list(paths.recordings_dir().iterdir()) == []
    assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("stage", ["inserting", "completing"])
def test_a_full_disk_inside_a_transaction_saves_nothing(tmp_path: Path, stage: str) -> None:
    wav = write_wav(tmp_path / "take.wav")
    original = wav.read_bytes()
    with Store.open() as store:

        def full(name: str) -> None:
            if name == stage:
                raise sqlite3.OperationalError("database or disk is full")

        store.on_stage = full
        with pytest.raises(StoreError, match="disk is full"):
            store.save_attempt(make_result(wav).for_history(), keep_audio=True)
        _assert_nothing_saved(store, wav, original)
        store.on_stage = None
        store.save_attempt(make_result(wav).for_history(), keep_audio=True)  # works once there is space
        assert len(store.attempts()) == 1


def test_a_really_full_database_and_a_full_disk_on_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wav = write_wav(tmp_path / "take.wav")
    original = wav.read_bytes()
    with Store.open() as store:
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite itself reports SQLITE_FULL
        with pytest.raises(StoreError, match="disk is full"):
            store.save_attempt(make_result(wav).for_history(), keep_audio=True)
        _assert_nothing_saved(store, wav, original)
        store._conn.execute("PRAGMA max_page_count = 1073741823")

        def no_space(src: Path, dst: Path) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("app.history.files.move", no_space)
        with pytest.raises(StoreError, match="disk is full"):
            store.save_attempt(make_result(wav).for_history(), keep_audio=True)
        _assert_nothing_saved(store, wav, original)


def test_delete_one_and_delete_all_remove_rows_and_audio(tmp_path: Path) -> None:
    with Store.open() as store:
        ids = [
            store.save_attempt(make_result(write_wav(tmp_path / f"{i}.wav")).for_history(), True)
            for i in range(3)
        ]
        audio = [store.attempt(i).audio for i in ids]
        assert all(a is not None and a.exists() for a in audio)
        store.delete_attempt(ids[0])
        assert audio[0] is not None and not audio[0].exists()
        assert {s.id for s in store.attempts()} == set(ids[1:])
        with pytest.raises(StoreError):
            store.attempt(ids[0])
        with pytest.raises(StoreError):
            store.delete_attempt(ids[0])
        assert store.delete_all() == 2
        assert store.attempts() == []
        assert list(paths.recordings_dir().iterdir()) == []
        assert store.overall_stats().attempts == 0


def test_stats_and_queries() -> None:
    with Store.open() as store:
        generate_attempts(store, 300, ["q01", "q02", "q03"], seed=5)
        stats = store.question_stats()
        assert set(stats) == {"q01", "q02", "q03"}
        assert sum(s.attempts for s in stats.values()) == 300
        newest = store.attempts("q02")
        assert newest[0].started_at == stats["q02"].last_at
        assert newest[0].total_s == stats["q02"].last_total_s
        assert newest[0].missing == stats["q02"].last_missing
        assert [s.started_at for s in newest] == sorted((s.started_at for s in newest), reverse=True)
        assert len(store.attempts(limit=50)) == 50
        wpms = [s.wpm for s in newest if s.wpm is not None]
        assert stats["q02"].mean_wpm == pytest.approx(sum(wpms) / len(wpms))
        overall = store.overall_stats()
        assert overall.attempts == 300 and overall.questions == 3
        assert overall.mean_wpm is not None and 100 < overall.mean_wpm < 200


def test_exports(tmp_path: Path) -> None:
    result = make_result(write_wav(tmp_path / "take.wav"))
    assert result.analysis is not None
    with Store.open() as store:
        attempt_id = store.save_attempt(result.for_history(), keep_audio=True)
        generate_attempts(store, 4, ["q01"], seed=2)
        md = store.export_attempt_markdown(attempt_id)
        assert result.question.question in md
        for name in ("Situation", "Action", "Result", "Timeline", "Feedback"):
            assert name in md
        messages = [p.message for p in result.analysis.points]
        assert messages and messages[0] in md
        assert "ten percent of customers" in md

        n = store.export_csv(tmp_path / "h.csv")
        with (tmp_path / "h.csv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert n == len(rows) == 5
        assert {"id", "question_id", "started_at", "wpm", "missing"} <= set(rows[0])
        assert {int(r["id"]) for r in rows} == {s.id for s in store.attempts()}
        mine_row = next(r for r in rows if int(r["id"]) == attempt_id)
        assert "ten percent of customers" in mine_row["transcript"]  # the answer itself, for a spreadsheet
        figures = [
            v for r in rows for k, v in r.items() if k.endswith("_s") or k in ("wpm", "fillers_per_min")
        ]
        assert all(len(v.partition(".")[2]) <= 2 for v in figures if v)  # 104.26, not 104.25999999999999

        assert store.export_json(tmp_path / "h.json") == 5
        data = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
        items = {a["id"]: a for a in data["attempts"]}
        assert set(items) == {s.id for s in store.attempts()}
        mine = items[attempt_id]
        rec = store.attempt(attempt_id)
        assert Transcript.from_json(mine["transcript"]).words == rec.transcript.words
        assert mine["analysis"] == rec.analysis
        assert mine["question_text"] == result.question.question
        assert not list(tmp_path.glob(".*.part"))


def _subject_to_permissions() -> None:
    """Make a child process obey file permissions as a person's would: root keeps its uid but loses
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its bounding set, so not from the programme it runs."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _cli(*args: str, obey_permissions: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_subject_to_permissions if obey_permissions else None,
    )


def test_history_and_export_commands(tmp_path: Path) -> None:
    with Store.open() as store:
        attempt_id = store.save_attempt(
            make_result(write_wav(tmp_path / "take.wav")).for_history(), keep_audio=True
        )
        generate_attempts(store, 6, ["q01", "q02"], seed=4)
    out = _cli("history", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 7 and {"id", "question_id", "wpm", "missing", "total_s"} <= set(rows[0])
    assert [r["started_at"] for r in rows] == sorted((r["started_at"] for r in rows), reverse=True)
    out = _cli("history", "--question", "q08")
    assert out.returncode == 0 and "1 attempts" in out.stdout and "q08" in out.stdout

    assert _cli("export", str(tmp_path / "all.json")).returncode == 0
    assert len(json.loads((tmp_path / "all.json").read_text())["attempts"]) == 7
    assert _cli("export", str(tmp_path / "all.csv")).returncode == 0
    assert len((tmp_path / "all.csv").read_text().splitlines()) == 8
    out = _cli("export", str(tmp_path / "one.md"), "--attempt", str(attempt_id))
    assert out.returncode == 0, out.stderr
    assert "## Feedback" in (tmp_path / "one.md").read_text()

    out = _cli("export", str(tmp_path / "one.md"), "--attempt", "9999")
    assert out.returncode == 1 and "no saved attempt 9999" in out.stderr and "Traceback" not in out.stderr
    db_path().write_bytes(b"not a database at all" * 100)
    for path in paths.data_dir().glob("history.sqlite3-*"):
        path.unlink()
    out = _cli("history")  # as the app does: the damaged file is kept, a new history started
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert out.stderr.startswith("note: ") and "history.corrupt-" in out.stderr
    assert "none of your attempts" in out.stderr and out.stdout.rstrip().endswith("0 attempts")


def test_the_generator_makes_5000_attempts() -> None:
    with Store.open() as store:
        ids = generate_attempts(store, 5000, [q.id for q in bank().questions], seed=7)
        assert len(ids) == 5000 == store.overall_stats().attempts
        rec = store.attempt(ids[-1])
        assert 100 < len(rec.transcript.words) < 600 and rec.analysis is not None
        assert rec.audio is None
