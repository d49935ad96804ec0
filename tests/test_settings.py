"""Settings survive a restart; a damaged file costs the user nothing but the damaged values."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.core.settings import RANGES, Settings


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


def test_out_of_range_numbers_fall_back_to_their_defaults_with_a_warning(
    star_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A target length of -60 s with the hard stop on ended every answer as soon as it began."""
    Settings.path().write_text(
        json.dumps(
            {
                "target_seconds": -60,
                "hard_stop": True,
                "think_seconds": 86_400,
                "speech_rate_wpm": 0,
                "voice_id": "gmw/en",
                "keep_recordings": False,
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="app.core.settings"):
        s = Settings.load()
    assert (s.target_seconds, s.think_seconds, s.speech_rate_wpm) == (120, 0, 175)
    assert s.hard_stop and s.voice_id == "gmw/en" and not s.keep_recordings  # the rest of the file is kept
    for said in (
        "target_seconds=-60 (Input should be greater than or equal to 30); the default 120 is used",
        "think_seconds=86400 (Input should be less than or equal to 60); the default 0 is used",
        "speech_rate_wpm=0 (Input should be greater than or equal to 80); the default 175 is used",
    ):
        assert said in caplog.text


def test_every_number_has_a_range_whose_ends_are_kept(star_home: Path) -> None:
    defaults = Settings()
    numbers = {name for name in Settings.model_fields if type(getattr(defaults, name)) is int}
    assert numbers == set(RANGES)
    for key, (low, high) in RANGES.items():
        assert low <= getattr(defaults, key) <= high, key
    for end in (0, 1):
        values = {key: ends[end] for key, ends in RANGES.items()}
        Settings.path().write_text(json.dumps(values), encoding="utf-8")
        assert Settings.load() == Settings(**values)
