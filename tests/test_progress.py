"""A retry says what changed since the last attempt at the same question (issue 15)."""

from __future__ import annotations

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.analysis.progress import since_last
from app.bank.questions import builtin_bank_path, load_bank

# Written for this test: a first try with no lesson and no figure, then a retry that adds both.
FIRST = "\n".join(
    [
        "I ran the front desk at a small dental practice.",
        "Patients kept missing appointments and the dentists lost hours every week.",
        "My job was to cut the no-shows.",
        "I started calling every patient the day before and I set up text reminders.",
        "No-shows went down a lot.",
    ]
)
RETRY = "\n".join(
    [
        "I ran the front desk at a small dental practice.",
        "Patients kept missing appointments and the dentists lost hours every week.",
        "My job was to cut the no-shows.",
        "I started calling every patient the day before and I set up text reminders.",
        "I also moved the first-time patients to mornings, when they turned up more.",
        "No-shows fell from twelve percent to four percent in two months.",
        "It taught me that a small habit, done every day, beats a big plan.",
    ]
)


def test_a_retry_names_what_it_fixed_and_the_section_times_before_and_after() -> None:
    bank = load_bank(builtin_bank_path())
    q = bank.by_id("q11")
    first = analyze(sent.from_text(FIRST, lines=True), bank, q)
    retry = analyze(sent.from_text(RETRY, lines=True), bank, q)
    fixed = {p.rule for p in since_last(first, retry).fixed}
    assert {"unquantified_result"} <= fixed
    assert "missing_reflection" in fixed or "unclear_reflection" in fixed
    p = since_last(first, retry)
    assert not {x.rule for x in p.new} & fixed  # never "fixed" and "new" at once
    times = {c.section: (c.before, c.after) for c in p.sections}
    assert times["action"][1] > times["action"][0]  # one more action sentence
    assert p.total_after > p.total_before
    again = since_last(retry, retry)
    assert again.fixed == () and again.new == ()  # the same answer twice: nothing changed


def test_a_point_the_last_try_had_is_never_new() -> None:
    """Issue 27: the same monotone voice twice was "New" on the retry, because the last try's points
    were found again without how it sounded; and the off-topic point, which needs the question."""
    from dataclasses import replace

    from app.analysis.analyze import every_point, with_hesitations
    from app.analysis.feedback import Point
    from app.analysis.sound import Sound

    bank = load_bank(builtin_bank_path())
    q = bank.by_id("q11")
    flat = Sound(monotone=((1.0, 9.0),), pitch_spread=1.0, fade_db=None, quieter_db=None, quieter_at=None)
    first = with_hesitations(analyze(sent.from_text(FIRST, lines=True), bank, q), None, q, flat)
    retry = with_hesitations(analyze(sent.from_text(RETRY, lines=True), bank, q), None, q, flat)
    assert "monotone" in {p.rule for p in retry.points}  # on screen after the retry
    p = since_last(first, retry)
    assert "monotone" in {x.rule for x in p.still}
    assert "monotone" not in {x.rule for x in p.new}
    again = since_last(retry, retry)
    assert again.new == () and again.fixed == ()
    off = Point("off_topic", "This answer may not be about what the question asks.")
    # The screen's points are the first of every point the answer earned: both carry the off-topic one.
    drifted = replace(retry, points=(off, *retry.points[:2]), triggered=(off, *every_point(retry)))
    assert since_last(drifted, drifted).new == ()
    assert [x.rule for x in since_last(drifted, retry).fixed] == ["off_topic"]
