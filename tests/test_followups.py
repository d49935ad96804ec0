"""Follow-up questions (issue 17, item 1): each rule in the table fires on what it names and on
nothing else, and a reply is judged on whether it gave what was asked. The answers and replies here
were written for these tests."""

from __future__ import annotations

import pytest

from app.analysis import sentences as sent
from app.analysis.analyze import Analysis, analyze, relabel
from app.analysis.types import Label
from app.bank.questions import Bank, Question, builtin_bank_path, load_bank
from app.followups.judge import Verdict, judge_reply
from app.followups.rules import RULES, Ask, choose


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_path())


def _told(bank: Bank, question: Question | None, parts: list[tuple[Label, str]]) -> Analysis:
    """An answer labelled by hand, as the person would correct it: the rules see exactly these sections."""
    a = analyze(sent.from_text("\n".join(t for _, t in parts), lines=True), bank, question)
    for i, (section, _) in enumerate(parts):
        a = relabel(a, i, section, question)
    return a


def _no_principles(bank: Bank) -> Question:
    return bank.by_id("q01").model_copy(update={"principles": ()})


COMPLETE: list[tuple[Label, str]] = [
    ("situation", "Last winter I ran the returns desk at a garden centre."),
    ("task", "My manager asked me to cut the queue at the desk before the spring rush."),
    ("action", "I timed every return for a week and I found that refunds waited on a signature."),
    ("action", "I wrote a one-page rule so the desk could refund small items without a manager."),
    ("result", "The average wait fell from twenty minutes to six."),
    ("reflection", "I learned to time a problem before guessing at it."),
]


def _without(section: Label) -> list[tuple[Label, str]]:
    return [(s, t) for s, t in COMPLETE if s != section]


GAP_CASES: dict[str, list[tuple[Label, str]]] = {
    "outcome": _without("result"),
    "responsibility": _without("task"),
    "lesson": _without("reflection"),
    "measure": [
        *_without("result")[:4],
        ("result", "After that the desk was a lot calmer and people stopped complaining."),
        COMPLETE[-1],
    ],
    "own_part": [
        COMPLETE[0],
        COMPLETE[1],
        ("action", "We timed every return for a week and we found that refunds waited on a signature."),
        ("action", "We wrote a rule so we could refund small items and we trained the weekend staff."),
        *COMPLETE[4:],
    ],
}


def test_a_complete_answer_is_asked_about_what_it_said(bank: Bank) -> None:
    """Issue 25: a complete answer with no gap gets a follow-up on its own action or result, said back."""
    chosen = choose(_told(bank, _no_principles(bank), COMPLETE), _no_principles(bank), 2)
    assert [f.rule.id.startswith("dig_") for f in chosen] == [True]
    said = chosen[0].said
    assert said and said.lower().rstrip(".") in " ".join(t for _, t in COMPLETE).lower()
    assert chosen[0].text.startswith("You said ") and chosen[0].text.endswith("?")


@pytest.mark.parametrize("rule_id", sorted(GAP_CASES))
def test_each_gap_rule_asks_about_its_gap(bank: Bank, rule_id: str) -> None:
    question = _no_principles(bank)
    chosen = choose(_told(bank, question, GAP_CASES[rule_id]), question, 2)
    assert [f.rule.id for f in chosen] == [rule_id]
    assert chosen[0].reason.startswith("Asked because the answer had")


@pytest.mark.parametrize("rule", [r for r in RULES if r.principle], ids=lambda r: r.id)
def test_each_principle_rule_digs_into_a_complete_answer(bank: Bank, rule: object) -> None:
    from app.followups.rules import Rule

    assert isinstance(rule, Rule) and rule.principle
    question = bank.by_id("q01").model_copy(update={"principles": (rule.principle,)})
    chosen = choose(_told(bank, question, COMPLETE), question, 3)
    assert chosen[0].rule.id.startswith("dig_")  # first, the one on what was said
    if chosen[0].rule.asks_for == rule.asks_for:  # never two asking for the same thing
        assert len(chosen) == 1
        return
    assert [f.rule.id for f in chosen][1:] == [rule.id]
    assert rule.principle in chosen[1].reason


def test_the_table_covers_all_16_principles_and_each_gap_rule_names_feedback_rules() -> None:
    from app.analysis.feedback import PRIORITY
    from app.analysis.lexicons import PRINCIPLE_LEXICON

    assert {r.principle for r in RULES if r.principle} == set(PRINCIPLE_LEXICON)
    for r in RULES:
        assert bool(r.principle) != bool(r.feedback_rules), r.id
        assert r.feedback_rules <= set(PRIORITY), r.id  # the feedback's own rule names
        assert r.wording.endswith(("?", ".")), r.id


def test_gaps_come_first_the_limit_holds_and_nothing_is_asked_twice(bank: Bank) -> None:
    question = bank.by_id("q01").model_copy(update={"principles": ("Frugality", "Dive Deep")})
    parts = GAP_CASES["measure"]  # "measure" and Frugality both ask for a number
    two = choose(_told(bank, question, parts), question, 2)
    assert [f.rule.id for f in two] == ["measure", "lp_dive"]
    assert [f.rule.id for f in choose(_told(bank, question, parts), question, 1)] == ["measure"]
    assert choose(_told(bank, question, parts), question, 0) == []


REPLIES: list[tuple[Ask, str, bool]] = [
    ("number", "It went from about forty late orders a week to five.", True),
    ("number", "Honestly it got a lot better after that, everyone noticed.", False),
    ("own_part", "I rewrote the rota myself and I walked each shift lead through it.", True),
    ("own_part", "We all pitched in, we split the work between us and I helped where I could.", False),
    ("own_part", "The whole team sat down and the plan came together over a week.", False),
    ("lesson", "Next time I would ask the drivers before changing the routes.", True),
    ("lesson", "I'd bring the finance team in on day one rather than at the end.", True),
    ("lesson", "The project was delivered and the client paid on time.", False),
    ("task", "My job was to get the invoices out before the end of the quarter.", True),
    ("task", "It was a busy period and everything was happening at once.", False),
    ("outcome", "In the end the client renewed for another two years.", True),
    ("outcome", "I spoke to the supplier and then I spoke to my manager.", False),
    ("data", "I pulled the ticket logs and sorted them by hour of the day.", True),
    ("data", "I just had a feeling that something was off with it.", False),
    ("customer", "The customers were the night nurses, and I asked them what slowed them down.", True),
    ("customer", "I set up the new server and moved the files across.", False),
    ("evidence", "I tested it on one store for a week before rolling it out.", True),
    ("learning", "I had never used SQL, so I worked through a course over two weekends.", True),
    ("learning", "I moved the meeting to Monday and sent the agenda early.", False),
]


def _judged(asks: Ask, reply: str, bank: Bank) -> Verdict:
    """As the app judges a reply: after the follow-up that asked for it, with the STAR labeller."""
    from app.analysis.labeller_files import default_labeller

    asked = next(r.wording for r in RULES if r.asks_for == asks)
    return judge_reply(asks, sent.from_text(reply), asked, default_labeller(bank))


def test_replies_are_judged_on_what_was_asked_with_a_whole_clause_as_evidence(bank: Bank) -> None:
    """The judge is a model by meaning (issue 25): it is measured on blind replies in the benchmark.
    Here, on the project's own examples: at most 3 of 19 judged otherwise than written, at most 1 reply
    passed that should fail, and every pass quotes a whole clause of the reply. Known misses today:
    "I'd bring the finance team in…" is "not sure", "I tested it on one store…" is "not sure", and
    "The project was delivered…" passes as a lesson."""
    wrong, passed_wrongly = [], []
    for asks, reply, gave in REPLIES:
        verdict = _judged(asks, reply, bank)
        if verdict.gave is not gave:
            wrong.append((asks, reply, verdict.message))
            if verdict.gave:
                passed_wrongly.append(reply)
        if verdict.gave:
            assert verdict.evidence in reply and len(verdict.evidence.split()) >= 4, verdict.evidence
    assert len(wrong) <= 3, wrong
    assert len(passed_wrongly) <= 1, passed_wrongly


def test_a_reply_too_short_to_judge_is_said_to_be() -> None:
    verdict = judge_reply("number", sent.from_text("About ten."))
    assert not verdict.gave and "too short" in verdict.message


def test_the_evidence_quoted_is_never_a_negated_phrase(bank: Bank) -> None:
    """The walk-through: "Nobody had asked me to. It was my job…" was praised for "asked me to"."""
    reply = "Nobody had asked me to. It was my job as the senior nurse to make sure she was safe."
    verdict = _judged("task", reply, bank)
    assert verdict.gave and verdict.evidence == "It was my job as the senior nurse to make sure she was safe."
    assert not _judged("task", "It wasn't my job and nobody asked me to do it.", bank).gave
