"""One typed settings object with defaults (pydantic), stored as JSON in the data folder.

A damaged settings file must not stop the app: it is kept aside and the defaults are used. A value
of the wrong type or outside its range (a file edited by hand) costs only that value: it is logged and
its default used, since a target length of -60 s with the hard stop on would end every answer at once.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core import paths
from app.core.files import atomic_write_text

log = logging.getLogger(__name__)

# The values each number may take, the same that the Settings dialog offers (its spin boxes and
# slider are bounded by these), so that the dialog cannot produce a value that loading would refuse.
RANGES: dict[str, tuple[int, int]] = {
    "speech_rate_wpm": (80, 300),  # slower or faster than this is no help for practising
    "think_seconds": (0, 60),
    "target_seconds": (30, 300),
    "follow_ups": (0, 2),  # follow-up questions after an answer; 0 turns them off
}


def _within(name: str) -> Any:
    low, high = RANGES[name]
    return Field(ge=low, le=high)


class Settings(BaseModel):
    """Validated by pydantic, strictly: a "true" string or a 1.5 is not taken for a bool or an int."""

    model_config = ConfigDict(strict=True, extra="ignore")

    input_device_id: str = ""  # "" = the system's default microphone
    input_device_name: str = ""
    voice_id: str = ""  # "" = the speech engine's default voice
    speech_rate_wpm: Annotated[int, _within("speech_rate_wpm")] = 175
    engine: str = "whisper"  # or "sphinx"
    model: str = ""  # "" = STAR_COACH_MODEL, then the bundled tiny.en
    think_seconds: Annotated[int, _within("think_seconds")] = 0
    target_seconds: Annotated[int, _within("target_seconds")] = 120
    hard_stop: bool = False
    keep_recordings: bool = True
    follow_ups: Annotated[int, _within("follow_ups")] = 1
    # While rehearsing a written story, show it as a prompt card (off: hidden, as in the interview).
    prompt_card: bool = False
    # Names, products and jargon the transcriber should listen for (comma-separated), with the words of
    # the person's stories (app.speech.vocabulary).
    vocabulary: str = ""

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
        values: dict[str, Any] = {}
        # Unknown keys (a newer version's) are ignored; a bad value costs only itself: its default is used.
        for key, value in data.items():
            if key not in cls.model_fields:
                continue
            try:
                cls.model_validate({key: value})
            except ValidationError as e:
                problem = e.errors()[0]["msg"]
                default = cls.model_fields[key].default
                log.warning(
                    "settings %s: %s=%.80r (%s); the default %r is used", path, key, value, problem, default
                )
                continue
            values[key] = value
        return cls.model_validate(values)

    def save(self, path: Path | None = None) -> None:
        atomic_write_text(path or self.path(), json.dumps(self.model_dump(), indent=2) + "\n")


def read_settings() -> tuple[Settings, list[str]]:
    """The saved settings, or the defaults and what the person must hear about it."""
    try:
        return Settings.load(), []
    except OSError as e:
        return Settings(), [f"Your settings could not be read ({e.strerror}); the defaults are used."]
