"""The mock loop's plan and report (issue 17, item 2), without the screens: questions cover different
principles, the report names the three things to work on first and a story told twice; the command
line prints and exports a saved report."""

from __future__ import annotations

import json
from pathlib import Path

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.bank.questions import builtin_bank_path, load_bank
from app.history import Store
from app.practice.loop_report import LoopAnswer, build_report, draw_questions, report_html, report_lines
from tests.test_cli import _run
from tests.test_store import db_path

BANK = load_bank(builtin_bank_path())


def test_the_questions_drawn_cover_more_principles_than_chance() -> None:
    for seed in range(20):
        drawn = draw_questions(BANK.questions, 4, seed)
        assert len({q.id for q in drawn}) == 4
        covered = set().union(*(q.principles for q in drawn))
        assert len(covered) >= 7, (seed, [q.id for q in drawn])


def _answer(qid: str, text: str, story: str | None) -> LoopAnswer:
    q = BANK.by_id(qid)
    return LoopAnswer(
        q,
        analyze(sent.from_text(text), BANK, q),
        None,
        (("How did you measure it?", True, "You gave a number."),),
        story,
    )


WE = (
    "We had a backlog of returns at the depot. We sorted them by supplier and we rang each one. "
    "We cleared it in a week and things were better."
)


def test_the_report_puts_what_most_answers_got_first_and_warns_of_a_story_told_twice(
    tmp_path: Path, star_home: Path
) -> None:
    answers = [
        _answer("q09", WE, "Returns week"),
        _answer("q17", WE, "Returns week"),
        LoopAnswer(BANK.by_id("q08"), None, None),
    ]
    report = build_report(answers, 45, 1234.0, "2026-11-30T10:00:00+00:00")
    assert report["repeated_stories"] == ["Returns week"]
    assert [a["answered"] for a in report["answers"]] == [True, True, False]
    assert len(report["work_on"]) == 3 and report["work_on"][0].startswith(
        "In 2 of your answers, for example: "
    )
    assert report["answers"][0]["follow_ups"] == [
        {"asked": "How did you measure it?", "gave": True, "verdict": "You gave a number."}
    ]
    html = report_html(report)
    assert "One story for several questions" in html and "Returns week" in html
    assert "Mock loop of 3 questions, 20:34 of 45 min" in report_lines(report)[0]
    # Principles are listed with a separator no name holds ("Are Right, A Lot" has a comma).
    assert "Principles: Bias for Action · Deliver Results" in html
    shown = dict(report, principles_shown=["Are Right, A Lot", "Dive Deep"])
    assert "Principles shown: Are Right, A Lot · Dive Deep" in "\n".join(report_lines(shown))

    with Store.open(db_path()) as store:
        loop_id = store.save_loop(report)
    env = {"STAR_COACH_HOME": str(star_home)}
    out = _run("loop-report", str(loop_id), "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(report))
    page = tmp_path / "loop.html"
    assert _run("loop-report", str(loop_id), "--html", str(page), env=env).returncode == 0
    assert "Work on first" in page.read_text(encoding="utf-8")
    assert "Work on first:" in _run("loop-report", str(loop_id), env=env).stdout
    missing = _run("loop-report", "99", env=env)
    assert missing.returncode == 1 and "no mock loop 99" in missing.stderr
