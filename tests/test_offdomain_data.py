"""The off-domain answer set (tests/data/offdomain_answers.json) is well formed and as varied as promised.

Every feature is counted from the labels and the text, never from the free-text notes; the notes are then
checked against what the labels say, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "offdomain_answers.json"
BANK = ROOT / "resources" / "questions.json"

LABELS = ("other", "situation", "task", "action", "result", "reflection")
STAR_ORDER = {"situation": 0, "task": 1, "action": 2, "result": 3, "reflection": 4}

# A result is "quantified" when one of its sentences carries a number, a percentage or money.
# "one" is left out on purpose: "no one", "the one who", "one lady" are not measurements.
NUMBER = re.compile(
    r"\d|%|£|\$|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundred|thousand|million|percent|grand)\b",
    re.IGNORECASE,
)
WE = re.compile(r"\b(we|we'd|we've|we're|we'll|us|our|ours)\b", re.IGNORECASE)
I_ = re.compile(r"\b(i|i'd|i've|i'm|i'll|me|my|mine)\b", re.IGNORECASE)
FILLER = re.compile(r"\b(um|uh|you know|like|basically|i mean|honestly)\b", re.IGNORECASE)

STRUCTURAL = {"preamble", "aside-at-end", "out-of-order", "quantified", "unquantified", "we-heavy"} | {
    f"missing:{label}" for label in STAR_ORDER
}


def _load() -> list[dict[str, Any]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert set(data) == {"answers"}
    answers: list[dict[str, Any]] = data["answers"]
    return answers


ANSWERS = _load()


def _labels(answer: dict[str, Any]) -> list[str]:
    return [s["section"] for s in answer["sentences"]]


def _text(answer: dict[str, Any]) -> str:
    return " ".join(s["text"] for s in answer["sentences"])


def _words(answer: dict[str, Any]) -> int:
    return len(_text(answer).split())


def _is_out_of_order(labels: list[str]) -> bool:
    """A story sentence whose STAR position is before that of an earlier story sentence."""
    highest = -1
    for label in labels:
        if label == "other":
            continue
        if STAR_ORDER[label] < highest:
            return True
        highest = max(highest, STAR_ORDER[label])
    return False


def _features(answer: dict[str, Any]) -> set[str]:
    labels = _labels(answer)
    found = {f"missing:{label}" for label in STAR_ORDER if label not in labels}
    if labels[0] == "other":
        found.add("preamble")
    if labels[-1] == "other":
        found.add("aside-at-end")
    if _is_out_of_order(labels):
        found.add("out-of-order")
    results = [s["text"] for s in answer["sentences"] if s["section"] == "result"]
    if results:
        found.add("quantified" if any(NUMBER.search(t) for t in results) else "unquantified")
    text = _text(answer)
    if len(WE.findall(text)) >= 2 * len(I_.findall(text)):
        found.add("we-heavy")
    return found


def _noted(answer: dict[str, Any]) -> set[str]:
    """Feature tags from the notes: 'out-of-order:situation (why)' counts as 'out-of-order'."""
    tags = set()
    for part in answer["notes"].split(";"):
        tag = part.strip().split(" ")[0]
        tags.add("out-of-order" if tag.startswith("out-of-order") else tag)
    return tags & STRUCTURAL


def _count(feature: str) -> int:
    return sum(feature in _features(a) for a in ANSWERS)


def test_enough_answers_with_unique_ids() -> None:
    assert len(ANSWERS) >= 16
    ids = [a["id"] for a in ANSWERS]
    assert len(set(ids)) == len(ids), "duplicate answer id"


def test_answer_fields() -> None:
    for a in ANSWERS:
        assert set(a) == {"id", "speaker", "question_id", "notes", "sentences"}, a.get("id")
        for key in ("id", "speaker", "question_id", "notes"):
            assert isinstance(a[key], str), (a["id"], key)
            assert a[key].strip(), (a["id"], key)
        assert isinstance(a["sentences"], list), a["id"]
        assert a["sentences"], a["id"]


def test_speakers_have_varied_jobs() -> None:
    jobs = {a["speaker"].strip().lower() for a in ANSWERS}
    assert len(jobs) >= 12, sorted(jobs)


def test_question_ids_exist_in_builtin_bank() -> None:
    bank = json.loads(BANK.read_text(encoding="utf-8"))
    known = {q["id"] for q in bank["questions"]}
    unknown = {a["id"]: a["question_id"] for a in ANSWERS if a["question_id"] not in known}
    assert not unknown


def test_every_sentence_has_text_and_a_known_label() -> None:
    for a in ANSWERS:
        for i, s in enumerate(a["sentences"]):
            assert set(s) == {"text", "section"}, (a["id"], i)
            assert s["section"] in LABELS, (a["id"], i, s["section"])
            assert isinstance(s["text"], str), (a["id"], i)
            assert s["text"].strip() == s["text"], (a["id"], i)
            assert s["text"], (a["id"], i)


def test_every_answer_tells_a_story() -> None:
    for a in ANSWERS:
        labels = _labels(a)
        assert "action" in labels, a["id"]
        assert "situation" in labels, a["id"]


@pytest.mark.parametrize("answer", ANSWERS, ids=[a["id"] for a in ANSWERS])
def test_answer_is_one_to_two_and_a_half_minutes_of_speech(answer: dict[str, Any]) -> None:
    assert 120 <= _words(answer) <= 420, _words(answer)


def test_answers_sound_spoken() -> None:
    with_fillers = sum(bool(FILLER.search(_text(a))) for a in ANSWERS)
    assert with_fillers >= len(ANSWERS) // 2
    with_contractions = sum("'" in _text(a) for a in ANSWERS)
    assert with_contractions == len(ANSWERS)


def test_feature_minimums() -> None:
    assert _count("preamble") >= 5
    assert sum(any(f.startswith("missing:") for f in _features(a)) for a in ANSWERS) >= 4
    assert _count("out-of-order") >= 3
    assert _count("aside-at-end") >= 3
    assert _count("quantified") >= 2
    assert _count("unquantified") >= 2
    assert _count("we-heavy") >= 2


def test_every_label_is_used() -> None:
    used = Counter(s["section"] for a in ANSWERS for s in a["sentences"])
    assert set(used) == set(LABELS), used


@pytest.mark.parametrize("answer", ANSWERS, ids=[a["id"] for a in ANSWERS])
def test_notes_agree_with_labels(answer: dict[str, Any]) -> None:
    assert _noted(answer) == _features(answer)
