"""The story bank (issue 17, item 3): stories saved, edited, linked to answers and unlinked when
deleted; the JSON file imported whole or not at all; principle coverage; the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.history import Store, StoreError
from app.stories.bank import PRINCIPLES, StoryError, from_history, make_story, parse_file, to_file
from app.stories.coverage import readiness, uncovered
from tests.test_cli import _run
from tests.test_store import db_path, make_result, write_wav


def test_stories_are_saved_linked_and_covered(tmp_path: Path, star_home: Path) -> None:
    with Store.open(db_path()) as store:
        freezer = store.save_story(
            make_story(
                "The night the freezer failed",
                "Moved the vaccines at 2 a.m.",
                ("Ownership", "Bias for Action"),
            )
        )
        slower = store.save_story(
            make_story("Arguing for the slower model", "", ("Have Backbone; Disagree and Commit",))
        )
        attempt = store.save_attempt(make_result(write_wav(tmp_path / "a.wav")).for_history(), False)
        store.link_story(attempt, freezer, chosen_by="app")
        store.link_story(attempt, slower, chosen_by="person")
        store.link_story(attempt, freezer, chosen_by="app")  # the app's guess never overrides the person
        [use] = store.story_uses()
        assert (use.story_id, use.chosen_by, use.question_id) == (slower, "person", "q08")
        assert list(store.story_texts()) == [slower]  # the person's link teaches the suggestion

        stories = from_history(store.stories())  # the history keeps plain records; the bank's Story of them
        rows = {r.principle: r for r in readiness(stories, store.story_uses())}
        assert (
            rows["Ownership"].stories == ("The night the freezer failed",) and rows["Ownership"].attempts == 0
        )
        assert rows["Have Backbone; Disagree and Commit"].attempts == 1
        assert len(uncovered(stories)) == 13

        edited = stories[0].model_copy(update={"title": "The freezer night"})
        store.save_story(edited)
        assert store.stories()[0].title == "The freezer night"
        store.delete_story(slower)  # its answer stays, unlinked
        assert store.story_uses() == [] and len(store.attempts()) == 1
        with pytest.raises(StoreError, match="no story"):
            store.delete_story(slower)


def test_a_story_file_is_checked_whole_before_anything_is_added(star_home: Path) -> None:
    good = make_story("The audit that found nothing", "", ("Dive Deep", "Earn Trust"))
    text = to_file([good])
    assert parse_file(text)[0].principles == ("Earn Trust", "Dive Deep")  # Amazon's order
    bad = json.loads(text)
    bad["stories"].append({"title": "  ", "principles": []})
    with pytest.raises(StoryError, match=r"stories\.1\.title"):
        parse_file(json.dumps(bad))
    with pytest.raises(StoryError, match="not a Leadership Principle: 'Kindness'"):
        make_story("x", "", ("Kindness",))
    with pytest.raises(StoryError, match="not JSON"):
        parse_file("{")
    assert len(PRINCIPLES) == 16


def test_stories_on_the_command_line_import_list_and_export(tmp_path: Path, star_home: Path) -> None:
    bank = tmp_path / "bank.json"
    bank.write_text(
        to_file(
            [make_story("Rota rescue", "Rebuilt the night rota in a weekend.", ("Ownership", "Frugality"))]
        ),
        encoding="utf-8",
    )
    env = {"STAR_COACH_HOME": str(star_home)}
    assert _run("stories", "--import", str(bank), env=env).returncode == 0
    out = _run("stories", "--json", env=env)
    data = json.loads(out.stdout)
    assert [s["title"] for s in data["stories"]] == ["Rota rescue"] and data["stories"][0]["told"] == 0
    assert (
        "Ownership" not in data["principles_without_a_story"]
        and len(data["principles_without_a_story"]) == 14
    )
    text = _run("stories", env=env).stdout
    assert "2 of 16 principles have a story" in text
    back = tmp_path / "back.json"
    assert _run("stories", "--export", str(back), env=env).returncode == 0
    assert parse_file(back.read_text(encoding="utf-8"))[0].title == "Rota rescue"
    broken = tmp_path / "broken.json"
    broken.write_text(
        '{"format": 1, "stories": [{"title": "x", "principles": ["Kindness"]}]}', encoding="utf-8"
    )
    bad = _run("stories", "--import", str(broken), env=env)
    assert bad.returncode == 1 and "not a Leadership Principle" in bad.stderr
    assert len(json.loads(_run("stories", "--json", env=env).stdout)["stories"]) == 1  # nothing added
