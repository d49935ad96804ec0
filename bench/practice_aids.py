"""How right the practice aids are on answers written for them: the story suggestion (app.stories.match)
and the off-topic check (app.analysis.topic). `*_dev` figures are on the development answers the
bounds were chosen on (tests/data/*_dev.json); the others on answers written blind by other writers
(tests/data/*_test.json), nothing tuned on them. Each figure comes with its n."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bench.common import ROOT, Figures

DATA = ROOT / "tests" / "data"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


def story_figures(data: Mapping[str, Any], learned: bool) -> dict[str, float | int]:
    """Suggestions per answer: right, wrong (another story), unsure; and, for answers about events in
    no story, wrongly given a story. `learned`: one answer per story has been linked by the person
    first (the suggestion then also knows its words); that answer is not scored."""
    from app.stories.bank import Story
    from app.stories.match import suggest

    right = wrong = unsure = new_n = new_wrong = 0
    for cand in sorted({s.get("candidate", "A") for s in data["stories"]}):
        mine = [s for s in data["stories"] if s.get("candidate", "A") == cand]
        ids = {s["id"]: i + 1 for i, s in enumerate(mine)}
        bank = [
            Story(id=ids[s["id"]], title=s["title"], summary=s["summary"], principles=tuple(s["principles"]))
            for s in mine
        ]
        told: dict[int, list[str]] = {}
        for a in (a for a in data["answers"] if a.get("candidate", "A") == cand):
            want = ids[a["story"]] if a["story"] else None
            if learned and want is not None and want not in told:
                told[want] = [a["text"]]
                continue
            got = suggest(a["text"], bank, told).story_id
            if want is None:
                new_n += 1
                new_wrong += got is not None
            elif got == want:
                right += 1
            elif got is None:
                unsure += 1
            else:
                wrong += 1
    n = right + wrong + unsure
    return {
        "n": n,
        "right": round(right / n, 3) if n else 0.0,
        "wrong": round(wrong / n, 3) if n else 0.0,
        "unsure": round(unsure / n, 3) if n else 0.0,
        "new_n": new_n,
        "new_given_a_story": new_wrong,
    }


def topic_figures(data: Mapping[str, Any]) -> dict[str, float | int]:
    from app.analysis import sentences as sent
    from app.analysis.topic import off_topic
    from app.bank.questions import builtin_bank_path, load_bank

    bank = load_bank(builtin_bank_path())
    on = [a for a in data["answers"] if a["on_topic"]]
    off = [a for a in data["answers"] if not a["on_topic"]]

    def flagged(a: Mapping[str, Any]) -> bool:
        said = [s.text for s in sent.from_text(a["text"])]
        return off_topic(bank.by_id(a["question"]).question, said) is not None

    return {
        "on_n": len(on),
        "false_alarms": sum(flagged(a) for a in on),
        "off_n": len(off),
        "flagged": sum(flagged(a) for a in off),
    }


def reply_figures(data: Mapping[str, Any]) -> dict[str, float | int]:
    """The follow-up judge against the writers' labels: agreement, replies passed that should fail,
    and passed replies whose evidence is a whole clause of the reply (4 words or more)."""
    from app.analysis import sentences as sent
    from app.analysis.labeller_files import default_labeller
    from app.bank.questions import builtin_bank_path, load_bank
    from app.followups.judge import judge_reply

    labeller = default_labeller(load_bank(builtin_bank_path()))
    agree = should_fail = passed_wrongly = passed = whole = 0
    replies = data["replies"]
    for r in replies:
        v = judge_reply(r["asks_for"], sent.from_text(r["reply"]), r["followup"], labeller)
        agree += v.gave == r["gave"]
        should_fail += not r["gave"]
        passed_wrongly += v.gave and not r["gave"]
        if v.gave:
            passed += 1
            whole += v.evidence in r["reply"] and len(v.evidence.split()) >= 4
    n = len(replies)
    return {
        "n": n,
        "agree": round(agree / n, 3) if n else 0.0,
        "should_fail_n": should_fail,
        "passed_should_fail": round(passed_wrongly / should_fail, 3) if should_fail else 0.0,
        "passed_n": passed,
        "evidence_whole_clause": round(whole / passed, 3) if passed else 0.0,
    }


def bank_false_alarms() -> tuple[int, int]:
    from app.analysis.stories import answer_sentences
    from app.analysis.topic import concept_of, off_topic
    from app.bank.questions import builtin_bank_path, load_bank

    bank = load_bank(builtin_bank_path())
    checked = [q for q in bank.questions if concept_of(q.question)]
    return sum(off_topic(q.question, [t for t, _ in answer_sentences(q)]) is not None for q in checked), len(
        checked
    )


def bench_practice_aids() -> Figures:
    out: Figures = {}
    # story_dev_old_test was the blind test set until the suggestion by meaning was chosen on it.
    for name, key in (
        ("story_dev", "story_suggest_dev"),
        ("story_dev_old_test", "story_suggest_dev2"),
        ("story_test", "story_suggest"),
    ):
        data = _load(name)
        for learned, suffix in ((False, "first"), (True, "after_one_link")):
            for k, v in story_figures(data, learned).items():
                out[f"{key}_{suffix}_{k}"] = v
    # The follow-up judge: tools/data/replies_train_*.json trained it (development figures are printed
    # by tools/train_reply_judge.py, leave one writer out); tests/data/replies_test.json was written blind.
    for k, v in reply_figures(_load("replies_test")).items():
        out[f"reply_judge_{k}"] = v
    flagged, checked = bank_false_alarms()
    out["off_topic_bank_false_alarms"] = flagged
    out["off_topic_bank_n"] = checked
    # offtopic_dev2 and then offtopic_dev_old_test were each written blind and scored once as the test
    # set; each then became development data. The check by meaning learned from all the dev sets;
    # offtopic_test, new and written blind, is the test figure.
    for name, key in (
        ("offtopic_dev", "off_topic_dev"),
        ("offtopic_dev2", "off_topic_dev2"),
        ("offtopic_dev3", "off_topic_dev3"),
        ("offtopic_dev_old_test", "off_topic_dev4"),
        ("offtopic_test", "off_topic"),
    ):
        for k, v in topic_figures(_load(name)).items():
            out[f"{key}_{k}"] = v
    return out
