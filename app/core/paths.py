"""Where STAR Coach keeps the user's files: one place, overridable so tests never touch real data."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "star-coach"
# What ships inside the package (the question bank, the trained labeller, its training answers, the
# icon): found beside this file in a checkout and in an installed wheel alike.
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def bank_file() -> Path:
    """The built-in question bank. The design card keeps it at the top of a checkout,
    `resources/questions.json`; a wheel carries it as `app/bank_data/questions.json` (pyproject.toml
    maps the folder there), so an installed app finds it beside its code."""
    installed = RESOURCES.parent / "bank_data" / "questions.json"
    return installed if installed.exists() else RESOURCES.parent.parent / "resources" / "questions.json"


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def _user_dir(sub: str, platform_dir: str) -> Path:
    """A per-user folder (created); `STAR_COACH_HOME` replaces them all (tests, portable installs)."""
    home = os.environ.get("STAR_COACH_HOME")
    path = Path(home) / sub if home else Path(getattr(_dirs(), platform_dir))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _user_dir("data", "user_data_dir")


def recordings_dir() -> Path:
    path = data_dir() / "recordings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Things that can be made again (the trained STAR labeller): safe to delete."""
    return _user_dir("cache", "user_cache_dir")


def log_dir() -> Path:
    return _user_dir("logs", "user_log_dir")


def user_bank_path() -> Path | None:
    """The bank the user chose (`STAR_COACH_BANK`) or imported into the data folder, if any."""
    env = os.environ.get("STAR_COACH_BANK")
    if env:
        return Path(env)
    imported = data_dir() / "questions.json"
    return imported if imported.exists() else None
