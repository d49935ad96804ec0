"""The test command gives the suite a real screen and a virtual microphone; without them tests fail.

Later audio tests rely on these devices, so their absence is reported here first and plainly.
"""

from __future__ import annotations

import os
import subprocess

from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QMediaDevices
from pytestqt.qtbot import QtBot

from tests.conftest import REQUIRE_DEVICES


def test_screen_is_real_when_devices_are_required(qtbot: QtBot) -> None:
    platform = QGuiApplication.platformName()
    if REQUIRE_DEVICES:
        assert platform == "xcb", f"expected a real X11 screen (Xvfb), got {platform!r}"
    assert QGuiApplication.primaryScreen() is not None


def test_virtual_microphone_and_speakers_present(qtbot: QtBot) -> None:
    if not REQUIRE_DEVICES and not os.environ.get("XDG_RUNTIME_DIR"):
        return  # outside the test command there is no PulseAudio to look at; CI always has one
    inputs = [d.description() for d in QMediaDevices.audioInputs()]
    outputs = [d.description() for d in QMediaDevices.audioOutputs()]
    assert "Virtual_Microphone" in inputs, inputs
    assert "Virtual_Speakers" in outputs, outputs
    assert QMediaDevices.defaultAudioInput().description() == "Virtual_Microphone"
    sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, check=True)
    assert "mic_feed" in sinks.stdout, "tests feed the microphone through the mic_feed sink"
