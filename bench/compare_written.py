"""How well "Compared with what you wrote" finds what a telling left out (app.stories.written), on
written stories and spoken tellings whose writers marked each unit the telling leaves out
(tests/data/compare_dev.json: development, the bounds were chosen on it; compare_test.json: blind)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench.common import Figures


def _overlaps(written: str, a: str, b: str) -> bool:
    i, j = written.find(a), written.find(b)
    return i >= 0 and j >= 0 and i < j + len(b) and j < i + len(a)


def compare_figures(data: Mapping[str, Any], said_at_least: float | None = None) -> dict[str, float | int]:
    """Per marked unit: a unit left out is found when a quote shown as left out overlaps it; a unit
    told is wrongly shown when one does. `said_at_least` overrides the shipped bound (development)."""
    from app.analysis import sentences as sent
    from app.analysis.analyze import analyze
    from app.bank.questions import builtin_bank_path, load_bank
    from app.stories import written as w

    bank = load_bank(builtin_bank_path())
    saved = w.SAID_AT_LEAST
    if said_at_least is not None:
        w.SAID_AT_LEAST = said_at_least
    found = left = wrong = told = added_found = added_n = numbers_not_said = 0
    try:
        for story in data["stories"]:
            written = w.read_written(story["written"], bank)
            for telling in story["tellings"]:
                spoken = analyze(sent.from_text(telling["text"]), bank, None, engine="text")
                comparison = w.compare(written, spoken)
                assert comparison is not None, "the meaning model must load"
                shown = [u.text for u in comparison.left_out]
                numbers = [u.text for u in comparison.numbers_left_out]
                said = w.numbers_in(telling["text"])
                for unit in story["units"]:
                    hit = any(_overlaps(story["written"], unit["text"], q) for q in shown)
                    number_hit = any(_overlaps(story["written"], unit["text"], q) for q in numbers)
                    if unit["id"] in telling["left_out"]:
                        left += 1
                        found += hit or number_hit
                    else:
                        told += 1
                        # "The number" shown for a unit told without its number is right, whatever the
                        # unit's mark: it is wrong only when the telling did say that number.
                        wrong += hit or (number_hit and w.numbers_in(unit["text"]) <= said)
                        numbers_not_said += number_hit and not w.numbers_in(unit["text"]) <= said
                for quote in telling.get("added", []):
                    added_n += 1
                    added_found += any(quote in a or a in quote for a in comparison.added)
    finally:
        w.SAID_AT_LEAST = saved
    return {
        "left_out_n": left,
        "left_out_found": round(found / left, 3) if left else 0.0,
        "told_n": told,
        "told_shown_left_out": round(wrong / told, 3) if told else 0.0,
        "told_number_not_said": numbers_not_said,  # told, but without its number: shown as such
        "added_n": added_n,
        "added_found": round(added_found / added_n, 3) if added_n else 0.0,
    }


def bench_compare_written() -> Figures:
    import json

    from bench.common import ROOT

    out: Figures = {}
    for name, key in (("compare_dev", "compare_dev"), ("compare_test", "compare")):
        path = ROOT / "tests" / "data" / f"{name}.json"
        if path.exists():
            for k, v in compare_figures(json.loads(path.read_text(encoding="utf-8"))).items():
                out[f"{key}_{k}"] = v
    return out
