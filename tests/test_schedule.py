"""What to practise today (issue 17, item 5): each answer's grade follows its feedback, the person's
own grade wins, and FSRS's due dates for a constructed history are the ones a person would expect."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.bank.questions import Bank, builtin_bank_path, load_bank
from app.history import Store
from app.schedule.due import Review, due_date, due_today, end_of_day, plans
from app.schedule.grades import grade_of
from tests.test_cli import _run
from tests.test_followups import COMPLETE, GAP_CASES, _no_principles, _told
from tests.test_store import db_path, make_result, write_wav

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_path())


def test_a_grade_follows_what_the_feedback_said(bank: Bank) -> None:
    q = _no_principles(bank)
    unfinished = _told(bank, q, COMPLETE[:4])  # it stops after the actions: no result, no lesson
    assert unfinished.missing and grade_of(unfinished) == 1  # Again
    inner = _told(bank, q, GAP_CASES["outcome"])  # no result between actions and lesson: unclear
    assert not inner.missing and grade_of(inner) == 2  # Hard, as the screen is unsure
    measured = _told(bank, q, GAP_CASES["measure"])  # complete, a result without a number
    assert grade_of(measured) in (2, 3) and not measured.missing
    late_task = [COMPLETE[0], COMPLETE[2], COMPLETE[1], *COMPLETE[3:]]
    assert grade_of(_told(bank, q, late_task)) == 2  # told out of order: Hard
    # Complete, but 30 s: far too short. Length is a point to practise, not a weak story (issue 25).
    assert grade_of(_told(bank, q, COMPLETE)) == 3
    # The same story told at a length that needs no advice is Easy; with one thing to change, Good.
    from app.analysis import sentences as sent
    from app.analysis.analyze import analyze, every_rule, relabel
    from app.analysis.types import Label

    def at_length(parts: list[tuple[Label, str]]) -> int:
        told = analyze(sent.from_text("\n".join(t for _, t in parts), lines=True, wpm=50), bank, q)
        for i, (section, _) in enumerate(parts):
            told = relabel(told, i, section, q)
        assert told.timing.total_seconds > 60 and not told.missing and not told.unclear
        return grade_of(told) if len(every_rule(told)) <= 1 else -1

    assert at_length(COMPLETE) == 4
    assert at_length(GAP_CASES["measure"]) == 3  # only: the result has no number


def _at(days: float) -> datetime:
    return NOW + timedelta(days=days)


def test_a_weak_answer_is_due_the_next_day_never_the_same_one_and_a_good_one_days_later() -> None:
    again = due_date([Review(_at(0), 1)])
    hard = due_date([Review(_at(0), 2)])
    good = due_date([Review(_at(0), 3)])
    easy = due_date([Review(_at(0), 4)])
    assert again >= end_of_day(_at(0)) and hard >= end_of_day(_at(0))  # a two-minute story is no flash card
    assert again - _at(0) <= timedelta(days=2)
    assert timedelta(days=1) <= good - _at(0) <= timedelta(days=7)
    assert easy > good
    # Told well twice, days apart: the next time is further off than after the first.
    twice = due_date([Review(_at(0), 3), Review(good, 3)])
    assert twice - good > good - _at(0)
    # The same history gives the same dates: no random fuzz.
    assert due_date([Review(_at(0), 3), Review(good, 3)]) == twice


def test_due_today_lists_the_most_overdue_first_and_leaves_out_what_is_fresh() -> None:
    reviews = {
        "q01": [Review(_at(-20), 3)],  # good, long ago
        "q02": [Review(_at(-1), 1)],  # weak yesterday
        "q03": [Review(_at(-0.01), 4)],  # easy a quarter of an hour ago
        "q04": [Review(_at(-3), 3), Review(_at(-0.02), 3)],  # good twice, the last just now
    }
    titles = {k: f"Question {k}" for k in reviews}
    due = due_today(reviews, titles, NOW)
    assert [p.key for p in due] == ["q01", "q02"]
    assert due[1].reason(NOW).startswith("Again last time")
    assert "Good last time" in due[0].reason(NOW)
    assert all(p.due < end_of_day(NOW) for p in due)
    assert [p.key for p in plans(reviews, titles)][-2:] in (["q04", "q03"], ["q03", "q04"])


def test_the_persons_grade_wins_and_auto_brings_the_apps_back(tmp_path: Path, star_home: Path) -> None:
    # Two days ago: an "Again" is due the next day, so it is due now.
    an_hour_ago = datetime.now(UTC) - timedelta(days=2)
    with Store.open(db_path()) as store:
        new = make_result(write_wav(tmp_path / "a.wav")).for_history()
        attempt = store.save_attempt(new, False, started_at=an_hour_ago)
        [app_grade] = [r.grade for r in store.reviews()["q08"]]
        store.set_grade(attempt, 1)
        assert [r.grade for r in store.reviews()["q08"]] == [1]
        store.set_grade(attempt, None)
        assert [r.grade for r in store.reviews()["q08"]] == [app_grade]

    out = _run("grade", str(attempt), "again", env={"STAR_COACH_HOME": str(star_home)})
    assert out.returncode == 0, out.stderr
    due = _run("due", "--json", env={"STAR_COACH_HOME": str(star_home)})
    assert due.returncode == 0, due.stderr
    data = json.loads(due.stdout)
    assert [d["id"] for d in data["due"]] == ["q08"] and data["due"][0]["last_grade"] == "Again"
    assert len(data["never_practised"]) == 35
    bad = _run("grade", "999", "good", env={"STAR_COACH_HOME": str(star_home)})
    assert bad.returncode == 1 and "no saved attempt 999" in bad.stderr


def test_a_story_told_weakly_is_due_with_a_question_to_tell_it_for(
    tmp_path: Path, star_home: Path, bank: Bank
) -> None:
    from app.schedule.today import today
    from app.stories.bank import make_story

    with Store.open(db_path()) as store:
        story = store.save_story(make_story("Rota rescue", "", ("Frugality", "Ownership")))
        attempt = store.save_attempt(
            make_result(write_wav(tmp_path / "a.wav"), "q09").for_history(),
            False,
            started_at=NOW - timedelta(days=3),
        )
        store.set_grade(attempt, 1)
        store.link_story(attempt, story, chosen_by="person")
        plans = today(store, bank, NOW).plans
    titles = [p.title for p in plans]
    assert any(t.startswith("Story: Rota rescue (for ") for t in titles), titles
    story_plan = next(p for p in plans if p.title.startswith("Story:"))
    assert "Ownership" in bank.by_id(story_plan.key).principles
