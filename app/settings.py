"""One typed settings object with defaults, stored as JSON in the data folder.

A damaged settings file must not stop the app: it is kept aside and the defaults are used.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from app import paths
from app.fileio import atomic_write_text

log = logging.getLogger(__name__)


@dataclass
class Settings:
    input_device_id: str = ""  # "" = the system's default microphone
    input_device_name: str = ""
    voice_id: str = ""  # "" = the speech engine's default voice
    speech_rate_wpm: int = 175
    engine: str = "whisper"  # or "sphinx"
    model: str = ""  # "" = STAR_COACH_MODEL, then the bundled tiny.en
    think_seconds: int = 0
    target_seconds: int = 120
    hard_stop: bool = False
    keep_recordings: bool = True

    @staticmethod
    def path() -> Path:
        return paths.data_dir() / "settings.json"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or cls.path()
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as e:
            aside = path.with_suffix(".damaged.json")
            log.warning("settings file %s unreadable (%s); defaults used, file kept as %s", path, e, aside)
            path.replace(aside)
            return cls()
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        defaults = cls()
        values = {}
        for key, value in data.items():
            # Unknown keys (a newer version's) and values of the wrong type fall back to defaults.
            if key in known and type(value) is type(getattr(defaults, key)):
                values[key] = value
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        atomic_write_text(path or self.path(), json.dumps(asdict(self), indent=2) + "\n")
