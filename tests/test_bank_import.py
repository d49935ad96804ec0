"""The built-in bank against the seed guide it is made from."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from app.bank.markdown import ImportProblem, import_markdown
from app.bank.questions import builtin_bank_path, load_bank
from tests.conftest import SEED, SEED_EARLY

STRUCTURE = [
    (re.compile(r"^#{1,6}\s*Question\s+\d+\s*:\s*", re.M), ""),
    (re.compile(r"^\s*\d+\.\s*[A-Za-z ]+:\s*", re.M), ""),
    (re.compile(r"^\s*Example:\s*", re.M), ""),
    (re.compile(r"^## .*$", re.M), ""),
]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bank_json() -> dict:  # type: ignore[type-arg]
    return json.loads(builtin_bank_path().read_text(encoding="utf-8"))


def _bank_texts(data: dict) -> list[str]:  # type: ignore[type-arg]
    texts = [data["preface"]]
    for q in data["questions"]:
        texts += [q["question"], q["introduction"], q["summary"]]
        for s in q["sections"]:
            texts += [s["guidance"], s["example"]]
    return texts


def test_bank_has_all_36_questions_and_180_example_sections(bank_json: dict) -> None:  # type: ignore[type-arg]
    questions = bank_json["questions"]
    assert [q["number"] for q in questions] == list(range(1, 37))
    assert len({q["id"] for q in questions}) == 36
    sections = [s for q in questions for s in q["sections"]]
    assert len(sections) == 180
    assert all(s["example"].strip() and s["guidance"].strip() for s in sections)
    # Every question has a Situation, Task, Action and Result; 34 close with a reflection.
    for q in questions:
        kinds = {s["section"] for s in q["sections"]}
        assert {"situation", "task", "action", "result"} <= kinds, q["id"]
    assert sum(any(s["section"] == "reflection" for s in q["sections"]) for q in questions) == 35


def test_seed_headings_kept_and_mapped(bank_json: dict) -> None:  # type: ignore[type-arg]
    by_id = {q["id"]: q for q in bank_json["questions"]}
    q2 = [(s["heading"], s["section"]) for s in by_id["q02"]["sections"]]
    assert q2[-1] == ("Growth", "reflection")
    q6 = [(s["heading"], s["section"]) for s in by_id["q06"]["sections"]]
    assert q6 == [
        ("Situation", "situation"),
        ("Task", "task"),
        ("Action", "action"),
        ("Recovery", "action"),
        ("Result", "result"),
        ("Reflection", "reflection"),
    ]


def test_no_text_lost_or_duplicated(seed_text: str, bank_json: dict) -> None:  # type: ignore[type-arg]
    body = seed_text
    for rx, repl in STRUCTURE:
        body = rx.sub(repl, body)
    seed_words = Counter(re.findall(r"\w+", body))
    bank_words = Counter(re.findall(r"\w+", " ".join(_bank_texts(bank_json))))
    assert seed_words - bank_words == Counter(), "words of the seed missing from the bank"
    assert bank_words - seed_words == Counter(), "words in the bank that the seed does not have"


def test_quotes_and_apostrophes_intact(seed_text: str, bank_json: dict) -> None:  # type: ignore[type-arg]
    text = " ".join(_bank_texts(bank_json))
    for ch in "’‘“”'":
        assert text.count(ch) == seed_text.count(ch), ch
    # Straight double quotes: only the pair around each example and each quoted question go.
    quoted_questions = sum(q["question"] != q["question"].strip('"') for q in bank_json["questions"])
    assert quoted_questions == 0
    assert text.count('"') == seed_text.count('"') - 2 * 180 - 2 * 30
    q36 = " ".join(s["example"] for s in bank_json["questions"][35]["sections"])
    assert "the 'cold start' problem" in q36
    assert "I’ve continued to apply" in q36


def test_committed_bank_is_what_the_importer_makes(seed_text: str) -> None:
    made = import_markdown(seed_text, source=SEED.name)
    assert made == load_bank(builtin_bank_path()), (
        "run: python main.py import-guide … --out resources/questions.json"
    )


def test_principles_named_by_the_guide(bank_json: dict) -> None:  # type: ignore[type-arg]
    by_id = {q["id"]: q for q in bank_json["questions"]}
    assert by_id["q02"]["principles"] == [
        "Learn and Be Curious",
        "Bias for Action",
        "Earn Trust",
        "Deliver Results",
    ]
    assert "Have Backbone; Disagree and Commit" in by_id["q08"]["principles"]
    assert by_id["q10"]["principles"] == []  # the guide names none there


def test_earlier_copy_imports_the_same_first_questions() -> None:
    early = import_markdown(SEED_EARLY.read_text(encoding="utf-8"))
    full = load_bank(builtin_bank_path())
    assert len(early.questions) == 8
    assert [q.sections for q in early.questions] == [q.sections for q in full.questions[:8]]


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("no questions here", "no '### Question N"),
        ("### Question 1: Why?\nIntro\n1. Situation:\nGuide\n", "has no 'Example:'"),
        ('### Question 1: Why?\n1. Feelings:\nGuide\nExample:\n"x"\n', "unknown section heading 'Feelings'"),
        ("### Question 1: Why?\n1. Situation:\nGuide\nExample:\n\n", "example of section 'Situation'"),
        ("### Question 1: Why?\nJust an introduction.\n", "no numbered sections"),
    ],
)
def test_import_rejects_malformed_guides(markdown: str, message: str) -> None:
    with pytest.raises(ImportProblem, match=re.escape(message)):
        import_markdown(markdown, source="mine.md")


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (
            "### Question 1: " + "Why? " * 250 + '\n1. Situation:\nGuide\nExample:\n"x"\n',
            "mine.md, question 1 (line 1): field 'question' is too long (1,249 characters; at most 1,000)",
        ),
        (
            "### Question 1: Why?\n1. Situation:\n" + "x" * 1_000_000 + '\nExample:\n"x"\n',
            "mine.md, question 1 (line 1): section 'Situation' (line 2), field 'guidance' is too long "
            "(1,000,000 characters; at most 10,000)",
        ),
        (
            '### Question 1: Why?\n1. Situation:\nGuide\nExample:\n""\n',
            "mine.md, question 1 (line 1): section 'Situation' (line 2), field 'example' is empty",
        ),
    ],
    ids=["long-question", "megabyte-guidance", "empty-quotes"],
)
def test_import_names_the_question_section_and_field_that_cannot_be_kept(markdown: str, message: str) -> None:
    """A 1 MB line was imported, and the window then took over a minute to appear; an example of two
    quotes ended in a pydantic traceback."""
    with pytest.raises(ImportProblem) as err:
        import_markdown(markdown, source="mine.md")
    assert str(err.value) == message
