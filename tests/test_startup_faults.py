"""Never a dead, silent window: whatever is wrong at start, the window says what and what to do, and
what can still work does (before, each of these left Practise, History and Statistics greyed out, the
reason in the log only, and Settings answering "Settings open once practice is ready" for ever)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.bank.questions import LoadedBank, load_bank_or_builtin
from app.core import paths
from app.history import Store
from app.services import Services
from ui.main_window import MainWindow

MakeWindow = Callable[[], MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[MakeWindow]:
    made: list[Services] = []

    def make() -> MainWindow:
        loaded: LoadedBank = load_bank_or_builtin(None)
        services = Services.create(loaded.bank)  # reads the settings file, as the app does
        made.append(services)
        window = MainWindow(loaded, services=services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for services in made:
        services.shutdown()


def _settings(**values: object) -> None:
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    (paths.data_dir() / "settings.json").write_text(json.dumps(values), encoding="utf-8")


def _banner(window: MainWindow) -> str:
    assert window.banner is not None and window.banner.isVisible(), "nothing was said in the window"
    return window.banner.label.text()


def _practice_works(window: MainWindow) -> None:
    assert window.commands.practise.isEnabled() and window.commands.surprise.isEnabled()
    assert window.commands.history.isEnabled() and window.commands.stats.isEnabled()


def test_an_unknown_engine_in_the_settings_falls_back_to_whisper_and_says_so(make_window: MakeWindow) -> None:
    _settings(engine="vosk")
    window = make_window()
    said = _banner(window)
    assert "Unknown speech engine 'vosk'" in said and "uses Whisper tiny.en instead" in said, said
    _practice_works(window)
    assert window.services is not None and window.services.practice.engine_name == "whisper"


def test_a_voice_that_is_gone_falls_back_to_the_default_and_says_so(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Checked once the speech engine has listed its voices, not by waiting for that list at start-up
    (which held the window up to 10 s)."""
    _settings(voice_id="gmw/en-gone-away")
    window = make_window()
    assert window.services is not None
    window.services.check_voice(window.show_banner)  # as start-up does, with the background loading
    qtbot.waitUntil(lambda: window.banner is not None and "gone-away" in window.banner.label.text())
    said = _banner(window)
    assert "'gmw/en-gone-away'" in said and "not installed any more" in said, said
    _practice_works(window)
    assert window.services is not None and window.services.settings.voice_id == ""


def test_a_history_from_a_newer_version_leaves_practice_working(make_window: MakeWindow) -> None:
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(paths.data_dir() / "history.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    window = make_window()
    said = _banner(window)
    assert "history cannot be opened" in said and "newer STAR Coach" in said, said
    assert "this session only" in said
    _practice_works(window)
    services = window.services
    assert services is not None and not services.history_saved
    # the newer file is left as it was, for the newer version
    conn = sqlite3.connect(paths.data_dir() / "history.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_a_history_that_cannot_be_written_leaves_practice_working(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk or a read-only folder at start: opening the history fails with the system's error."""

    def full(*_a: object, **_k: object) -> Store:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "recover", full)
    window = make_window()
    said = _banner(window)
    assert "history cannot be opened: database or disk is full" in said, said
    _practice_works(window)


def test_when_practice_cannot_start_at_all_the_window_says_why(qtbot: QtBot) -> None:
    window = MainWindow(load_bank_or_builtin(None))
    qtbot.addWidget(window)
    window.show()
    window.practice_unavailable("the speech engine could not start (no audio system)")
    assert "Practice is unavailable: the speech engine could not start" in _banner(window)
    window.open_settings()
    assert "Settings need practice to start" in _banner(window)
    assert not window.commands.practise.isEnabled()


def test_recordings_go_to_a_temporary_folder_when_the_data_folder_cannot_take_them(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setattr(paths, "recordings_dir", lambda: blocked / "recordings")
    window = make_window()
    said = _banner(window)
    assert "Recordings cannot be written to" in said and "for this session" in said, said
    services = window.services
    assert services is not None and services.practice.recordings_dir.is_dir()
    _practice_works(window)


def test_a_database_of_another_program_is_left_alone_and_practice_works(make_window: MakeWindow) -> None:
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(paths.data_dir() / "history.sqlite3")
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    window = make_window()
    said = _banner(window)
    assert "is not a STAR Coach history" in said and "recipes" in said, said
    _practice_works(window)
    conn = sqlite3.connect(paths.data_dir() / "history.sqlite3")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert tables == {"recipes"}  # nothing of ours was written into it


def test_without_espeak_the_practice_screen_says_why_the_question_is_not_read(
    make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notice was shown and hidden again at once when the practice screen opened."""
    from app.speech.tts import Speaker

    reason = "the espeak-ng speech engine is not installed. Install it with: sudo apt-get install espeak-ng"
    monkeypatch.setattr(Speaker, "available", lambda _self, timeout=10.0: False)
    monkeypatch.setattr(Speaker, "reason", lambda _self, timeout=10.0: reason)
    monkeypatch.setattr(Speaker, "known_unavailable", lambda _self: reason)
    window = make_window()
    window.practise("q08")
    view = window.practice_view
    assert view is not None and view.message.isVisible()
    assert view.message.text() == f"The question cannot be read aloud: {reason}"
