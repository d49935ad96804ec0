"""The feedback is worked out once per answer (issue 27, item 2): the follow-ups, the grade, the loop
report, the progress view and the saved record read the points the analysis carries. It ran three
times for each answer (analyze, the follow-up choice, the grade at save)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis import analyze as analyze_module
from app.analysis import feedback as feedback_module
from app.analysis.analyze import every_rule, from_record, to_record
from app.analysis.feedback import RULES, TOPIC
from app.analysis.progress import since_last
from app.followups.rules import choose
from app.history import Store
from app.practice.loop_report import LoopAnswer, build_report
from app.schedule.grades import grade_of
from tests.test_store import make_result, write_wav


def test_one_answer_is_judged_once_through_analysis_follow_ups_grade_report_and_save(
    tmp_path: Path, star_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    judged: list[int] = []
    real = feedback_module._went_well

    def counting(*args: object, **kwargs: object) -> list[str]:
        judged.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feedback_module, "_went_well", counting)  # every call of feedback() runs it once
    result = make_result(write_wav(tmp_path / "take.wav"))  # analyze
    assert judged == [1]
    assert choose(result.analysis, result.question, limit=3)
    grade = grade_of(result.analysis)
    report = build_report(
        [LoopAnswer(result.question, result.analysis, None)], 45, 120.0, "2026-12-07T10:00:00+00:00"
    )
    since_last(result.analysis, result.analysis)
    with Store.open() as store:
        attempt = store.save_attempt(result.for_history(), keep_audio=False)
        [review] = store.reviews()[result.question.id]
        saved = store.attempt(attempt)
    assert judged == [1]
    assert review.grade == grade and report["answers"][0]["grade"]
    # The record keeps every point, so replay, the follow-ups and a later grade read it too.
    assert saved.record is not None
    again = from_record(saved.record)
    assert again is not None and again.triggered == result.analysis.triggered
    assert judged == [1]


def test_the_screen_shows_the_first_three_of_the_points_the_analysis_carries(
    star_home: Path, tmp_path: Path
) -> None:
    analysis = make_result(write_wav(tmp_path / "take.wav")).analysis
    assert analysis.triggered is not None
    assert analysis.points == analysis.triggered[:3]
    topics = [TOPIC[p.rule] for p in analysis.triggered]
    assert len(topics) == len(set(topics))  # one per topic


def test_a_record_saved_before_the_points_were_kept_still_loads_and_grades_the_same(
    star_home: Path, tmp_path: Path
) -> None:
    analysis = make_result(write_wav(tmp_path / "take.wav")).analysis
    record = to_record(analysis)
    del record["analysis"]["triggered"]
    old = from_record(record)
    assert old is not None and old.triggered is None
    assert every_rule(old) == every_rule(analysis)
    assert grade_of(old) == grade_of(analysis)


def test_each_rule_is_one_row_with_its_own_name() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.wording and callable(r.check) for r in RULES)
    assert analyze_module.every_rule is every_rule  # the name the screens' workers call
