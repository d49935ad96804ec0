"""The command line as scripts use it: real processes, real output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEED_EARLY


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_questions_json_prints_the_bank() -> None:
    out = _run("questions", "--json")
    assert out.returncode == 0, out.stderr
    bank = json.loads(out.stdout)
    assert len(bank["questions"]) == 36
    q1 = bank["questions"][0]
    assert {"id", "question", "principles", "sections"} <= q1.keys()
    assert q1["sections"][0]["section"] == "situation"


def test_questions_text_listing() -> None:
    out = _run("questions")
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip().endswith("36 questions")
    assert "q08  Tell me about a time when you disagreed with your manager." in out.stdout
    # One separator no principle's name holds: "Are Right, A Lot" has a comma, Backbone a semicolon.
    assert "principles: Customer Obsession · Earn Trust · Have Backbone; Disagree and Commit\n" in out.stdout


def test_malformed_bank_is_an_error_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = _run("questions", "--bank", str(bad))
    assert out.returncode == 1
    assert out.stdout == ""
    assert str(bad) in out.stderr and "not valid JSON" in out.stderr


def test_user_bank_falls_back_with_a_warning(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"questions": []}', encoding="utf-8")
    out = _run("questions", "--json", env={"STAR_COACH_BANK": str(bad)})
    assert out.returncode == 0
    assert len(json.loads(out.stdout)["questions"]) == 36
    assert "was not loaded" in out.stderr and "built-in questions" in out.stderr


def test_import_guide_writes_a_bank_the_app_then_uses(star_home: Path) -> None:
    out = _run("import-guide", str(SEED_EARLY))
    assert out.returncode == 0, out.stderr
    assert "imported 8 questions, 40 sections" in out.stdout
    listing = _run("questions", "--json")
    assert len(json.loads(listing.stdout)["questions"]) == 8


def test_import_guide_error_leaves_nothing_behind(tmp_path: Path, star_home: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("### Question 1: Why?\n1. Situation:\nGuide only\n", encoding="utf-8")
    target = tmp_path / "out.json"
    out = _run("import-guide", str(guide), "--out", str(target))
    assert out.returncode == 1
    assert "has no 'Example:'" in out.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["guide.md"]


def _transcript(tmp_path: Path, words: list[dict[str, object]]) -> Path:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"engine": "whisper", "text": "x", "words": words}), encoding="utf-8")
    return path


def test_analyze_refuses_times_no_recording_has(tmp_path: Path) -> None:
    """Negative times were analysed into "length -30 s"; NaN crashed with a traceback."""
    for start, end in ((-30.0, -29.5), (1.0, 0.5)):
        out = _run("analyze", str(_transcript(tmp_path, [{"text": "I", "start": start, "end": end}])))
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert "times are seconds from 0 on" in out.stderr
    nan = tmp_path / "nan.json"
    nan.write_text('{"words": [{"text": "I", "start": NaN, "end": 1.0}]}', encoding="utf-8")
    out = _run("analyze", str(nan))
    assert out.returncode == 1 and out.stderr.startswith(f"error: {nan}: not a transcript"), out.stderr


def test_analyze_of_nothing_says_so(tmp_path: Path) -> None:
    """An empty transcript was analysed into five "No X heard" points."""
    out = _run("analyze", str(_transcript(tmp_path, [])))
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.strip().endswith("nothing to analyse: it holds no words"), out.stderr


def test_export_to_a_place_that_cannot_be_written_is_a_plain_error(tmp_path: Path) -> None:
    """Export to /proc, or below something that is a file and not a folder, printed a traceback."""
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    for target in ("/proc/star-coach.csv", str(tmp_path / "notes.txt" / "h.json")):
        out = _run("export", target)
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert out.stderr.startswith("error: ") and len(out.stderr.splitlines()) == 1, out.stderr


def test_followups_names_each_follow_up_with_its_rule_and_judges_a_reply(tmp_path: Path) -> None:
    """Written for this test: a "we" story with no task and a result without a number."""
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "So I was a shift lead at a parcel depot. We were behind on orders every night. "
        "We moved people around and we added a late shift. We also changed the picking order. "
        "In the end we caught up and things got much better.\n",
        encoding="utf-8",
    )
    reply = tmp_path / "reply.txt"
    reply.write_text("I wrote the new rota myself and I ran the late shift for a month.\n", encoding="utf-8")
    out = _run("followups", str(answer), "--question", "q09", "--reply", str(reply), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [f["rule"] for f in data["follow_ups"]] == ["own_part", "responsibility"]
    assert data["follow_ups"][0]["asks_for"] == "own_part"
    assert data["reply"]["follow_up"] == "own_part" and data["reply"]["gave"] is True

    text = _run("followups", str(answer), "--question", "q09", "--limit", "1")
    assert text.returncode == 0 and "rule own_part" in text.stdout and "2." not in text.stdout

    unknown = _run("followups", str(answer), "--question", "nope")
    assert unknown.returncode == 1 and "no question with id 'nope'" in unknown.stderr
