"""One typed settings object with defaults, stored as JSON in the data folder.

A damaged settings file must not stop the app: it is kept aside and the defaults are used. A value
of the wrong type or outside its range (a file edited by hand) costs only that value: it is logged and
its default used, since a target length of -60 s with the hard stop on would end every answer at once.
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

# The values each number may take, the same that the Settings dialog offers (its spin boxes and
# slider are bounded by these), so that the dialog cannot produce a value that loading would refuse.
RANGES: dict[str, tuple[int, int]] = {
    "speech_rate_wpm": (80, 300),  # slower or faster than this is no help for practising
    "think_seconds": (0, 60),
    "target_seconds": (30, 300),
}


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
            # Unknown keys (a newer version's) are ignored; bad values fall back to their defaults.
            if key not in known:
                continue
            default = getattr(defaults, key)
            if type(value) is not type(default):
                problem = f"is not {type(default).__name__}"
            elif key in RANGES and not RANGES[key][0] <= value <= RANGES[key][1]:
                problem = "is outside {}-{}".format(*RANGES[key])
            else:
                values[key] = value
                continue
            log.warning(
                "settings %s: %s=%.80r %s; the default %r is used", path, key, value, problem, default
            )
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        atomic_write_text(path or self.path(), json.dumps(asdict(self), indent=2) + "\n")
