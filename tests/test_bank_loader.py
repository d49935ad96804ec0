"""A malformed bank is rejected with a message naming file, question and field; the app falls back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.bank.questions import BankError, builtin_bank_path, load_bank, load_bank_or_builtin


def _builtin() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(builtin_bank_path().read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "my-bank.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_bad_json_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"questions": [\n  {"id": "q01",,}\n]}')
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert str(path) in str(err.value)
    assert "not valid JSON (line 2" in str(err.value)


def test_missing_field_names_question_and_field(tmp_path: Path) -> None:
    data = _builtin()
    del data["questions"][4]["question"]
    with pytest.raises(BankError) as err:
        load_bank(_write(tmp_path, data))
    assert "question 'q05' (#5), field 'question' is missing" in str(err.value)


def test_duplicate_id_is_named(tmp_path: Path) -> None:
    data = _builtin()
    data["questions"][9]["id"] = "q03"
    with pytest.raises(BankError, match="duplicate question id 'q03'"):
        load_bank(_write(tmp_path, data))


def test_empty_example_names_question_section_and_field(tmp_path: Path) -> None:
    data = _builtin()
    data["questions"][6]["sections"][2]["example"] = "   "
    with pytest.raises(BankError) as err:
        load_bank(_write(tmp_path, data))
    assert "question 'q07' (#7), field 'sections[2].example' is empty" in str(err.value)


def test_unknown_section_kind_is_named(tmp_path: Path) -> None:
    data = _builtin()
    data["questions"][0]["sections"][0]["section"] = "prologue"
    with pytest.raises(BankError, match=r"question 'q01' \(#1\), field 'sections\[0\].section'"):
        load_bank(_write(tmp_path, data))


def test_missing_file_and_empty_bank(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="file not found"):
        load_bank(tmp_path / "nope.json")
    with pytest.raises(BankError, match="field 'questions' is empty"):
        load_bank(_write(tmp_path, {"questions": []}))


def test_fallback_to_builtin_says_why(tmp_path: Path) -> None:
    data = _builtin()
    data["questions"][1]["id"] = "q01"
    loaded = load_bank_or_builtin(_write(tmp_path, data))
    assert loaded.path == builtin_bank_path()
    assert len(loaded.bank.questions) == 36
    assert loaded.warning is not None
    assert "my-bank.json" in loaded.warning and "duplicate question id 'q01'" in loaded.warning
    assert "built-in questions" in loaded.warning


def test_valid_user_bank_is_used(tmp_path: Path) -> None:
    data = _builtin()
    data["questions"] = data["questions"][:3]
    loaded = load_bank_or_builtin(_write(tmp_path, data))
    assert loaded.warning is None
    assert [q.id for q in loaded.bank.questions] == ["q01", "q02", "q03"]


def _more_sections(data: dict[str, Any]) -> None:
    data["questions"][0]["sections"] = (data["questions"][0]["sections"] * 6)[:21]


def _more_questions(data: dict[str, Any]) -> None:
    data["questions"] = [dict(data["questions"][i % 36], id=f"x{i}") for i in range(1001)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"][2]["sections"][1].update(example="word " * 3000),
            "question 'q03' (#3), field 'sections[1].example' is too long (15,000 characters; at most 10,000)",
        ),
        (
            lambda d: d["questions"][0].update(question="Why? " * 201),
            "question 'q01' (#1), field 'question' is too long (1,005 characters; at most 1,000)",
        ),
        (
            lambda d: d["questions"][4]["sections"][0].update(heading="S" * 201),
            "question 'q05' (#5), field 'sections[0].heading' is too long (201 characters; at most 200)",
        ),
        (
            lambda d: d["questions"][5].update(principles=[f"P{i}" for i in range(51)]),
            "question 'q06' (#6), field 'principles' has too many entries (51; at most 50)",
        ),
        (_more_sections, "question 'q01' (#1), field 'sections' has too many entries (21; at most 20)"),
        (_more_questions, "field 'questions' has too many entries (1001; at most 1,000)"),
        (
            lambda d: d.update(preface="x" * 10_001),
            "field 'preface' is too long (10,001 characters; at most 10,000)",
        ),
    ],
    ids=["example", "question", "heading", "principles", "sections", "questions", "preface"],
)
def test_what_a_bank_may_hold_is_bounded_and_the_excess_named(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    """A 1 MB line in a bank kept the window from appearing for over a minute; now it is refused."""
    data = _builtin()
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert str(err.value) == f"{path}: {message}"


def test_a_bank_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps(_builtin()) + " " * 10_000_000)
    with pytest.raises(
        BankError, match=r"too large \(10,\d{3},\d{3} bytes; a bank may have at most 10,000,000\)"
    ):
        load_bank(path)
