"""A malformed bank is rejected with a message naming file, question and field; the app falls back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.questions import BankError, builtin_bank_path, load_bank, load_bank_or_builtin


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
