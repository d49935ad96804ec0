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
