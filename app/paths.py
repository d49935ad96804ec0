"""Where STAR Coach keeps the user's files: one place, overridable so tests never touch real data."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "star-coach"


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Per-user data folder; `STAR_COACH_HOME` replaces it (tests, portable installs)."""
    home = os.environ.get("STAR_COACH_HOME")
    path = Path(home) / "data" if home else Path(_dirs().user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def recordings_dir() -> Path:
    path = data_dir() / "recordings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Things that can be made again (the trained STAR labeller): safe to delete."""
    home = os.environ.get("STAR_COACH_HOME")
    path = Path(home) / "cache" if home else Path(_dirs().user_cache_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    home = os.environ.get("STAR_COACH_HOME")
    path = Path(home) / "logs" if home else Path(_dirs().user_log_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_bank_path() -> Path | None:
    """The bank the user chose (`STAR_COACH_BANK`) or imported into the data folder, if any."""
    env = os.environ.get("STAR_COACH_BANK")
    if env:
        return Path(env)
    imported = data_dir() / "questions.json"
    return imported if imported.exists() else None
