"""The test command gives the suite a real screen and a virtual microphone; without them this fails.

Later audio tests rely on these devices, so their absence is reported here first and plainly, on any
machine and however the suite was started.
"""

from __future__ import annotations

import subprocess

from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QMediaDevices
from pytestqt.qtbot import QtBot

RUN_WITH = "run the suite with scripts/test.sh, which starts Xvfb and PulseAudio"


def test_screen_is_a_real_x11_screen(qtbot: QtBot) -> None:
    platform = QGuiApplication.platformName()
    assert platform == "xcb", f"expected a real X11 screen (Xvfb), got {platform!r}: {RUN_WITH}"
    screen = QGuiApplication.primaryScreen()
    assert screen is not None and screen.size().width() >= 1100, "the window tests need 1100 px"


def test_virtual_microphone_and_speakers_present(qtbot: QtBot) -> None:
    inputs = [d.description() for d in QMediaDevices.audioInputs()]
    outputs = [d.description() for d in QMediaDevices.audioOutputs()]
    assert "Virtual_Microphone" in inputs, f"{inputs}: {RUN_WITH}"
    assert "Virtual_Speakers" in outputs, f"{outputs}: {RUN_WITH}"
    assert QMediaDevices.defaultAudioInput().description() == "Virtual_Microphone"
    sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, check=False)
    assert "mic_feed" in sinks.stdout, "tests feed the microphone through the mic_feed sink"
