"""Shared fixtures: a private data folder per test, and a real screen and microphone or a clear failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from app.bank.questions import Bank
    from app.speech.transcribe import WhisperTranscriber

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_49d43bc81198066a.txt"
SEED_EARLY = SHARED / "seeds" / "001_dfc52590d3b347cb.txt"
ARTIFACTS = ROOT / "test-artifacts"

REQUIRE_DEVICES = os.environ.get("STAR_COACH_REQUIRE_DEVICES") == "1" or bool(os.environ.get("CI"))

if not os.environ.get("DISPLAY"):
    if REQUIRE_DEVICES:
        raise pytest.UsageError(
            "No DISPLAY: run the suite with scripts/test.sh, which starts Xvfb and PulseAudio."
        )
    # Outside the test command, widget tests still run, offscreen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def collect_on_gui_thread(qapp: object) -> Iterator[None]:
    """Python's collector as the app runs it (app/core/collector.py): on the GUI thread only, Qt
    objects handed to Qt. After each test, the collection that is due, at a point where no test runs."""
    from app.core import collector

    collector.collect_on_gui_thread()
    yield
    collector.collect_due()


@pytest.fixture(autouse=True)
def star_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data folder and no user bank unless it sets one."""
    home = tmp_path / "home"
    monkeypatch.setenv("STAR_COACH_HOME", str(home))
    monkeypatch.delenv("STAR_COACH_BANK", raising=False)
    yield home


@pytest.fixture(scope="session")
def whisper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WhisperTranscriber]:
    """The default engine as the app transcribes answers, loaded once for the whole run (its hash
    marker goes to a private data folder, never the real one)."""
    from app.speech.models import MODEL_ENV
    from app.speech.transcribe import WhisperTranscriber

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STAR_COACH_HOME", str(tmp_path_factory.mktemp("whisper-home")))
        mp.delenv(MODEL_ENV, raising=False)
        engine = WhisperTranscriber()
        engine.load()
    yield engine


@pytest.fixture
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The built-in question bank (read once; test modules that need another define their own)."""
    from app.bank.questions import builtin_bank_path, load_bank

    return load_bank(builtin_bank_path())
