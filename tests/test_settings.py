"""Settings survive a restart; a damaged file costs the user nothing but the damaged values."""

from __future__ import annotations

import json
from pathlib import Path

from app.settings import Settings


def test_round_trip(star_home: Path) -> None:
    s = Settings.load()
    assert s == Settings()
    s.input_device_id = "alsa_input.usb-Blue_Yeti"
    s.target_seconds = 90
    s.hard_stop = True
    s.save()
    assert Settings.load() == s


def test_damaged_file_is_set_aside_and_defaults_used(star_home: Path) -> None:
    path = Settings.path()
    path.write_text("{ this is not json", encoding="utf-8")
    assert Settings.load() == Settings()
    assert path.with_suffix(".damaged.json").read_text(encoding="utf-8") == "{ this is not json"


def test_wrong_types_and_unknown_keys_fall_back_per_field(star_home: Path) -> None:
    Settings.path().write_text(
        json.dumps({"target_seconds": "two minutes", "think_seconds": 15, "from_the_future": 1}),
        encoding="utf-8",
    )
    s = Settings.load()
    assert s.target_seconds == 120 and s.think_seconds == 15
