"""What a person may hand the app by mistake or from elsewhere: a program named like an MP3, a guide
with HTML in it or a megabyte on one line, numbers out of range. Each is refused with a clear
message or shown as the text it is: never a crash, a stalled window or a question in bold."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.bank.markdown import import_markdown
from app.bank.questions import Bank, load_bank_or_builtin
from app.core import paths
from app.core.settings import RANGES, Settings
from app.history import Store
from app.practice.session import PracticeSession
from app.speech.audio import SAMPLE_RATE, Samples, decode_audio
from app.speech.capture import AudioInputs
from app.speech.transcript import SpeechError, Transcript
from app.speech.wavfile import StreamingWavWriter
from bench.sample_history import generate_attempts
from tests.conftest import ROOT, SEED, SHARED
from ui.main_window import MainWindow
from ui.practice.practice_view import PracticeView
from ui.practice.star_timeline import Bar, StarTimeline
from ui.settings.settings_dialog import SettingsDialog
from ui.stats.stats_view import StatsView

PROGRAM = Path(shutil.which("ls") or sys.executable)  # any executable: what FFmpeg took for MPEG audio


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, check=False, cwd=ROOT
    )


# --- 1. a file that is not audio -----------------------------------------------------------------


def test_cli_transcribe_refuses_a_program_named_like_an_mp3(tmp_path: Path) -> None:
    """It ended in a segmentation fault inside PyAV (exit -11), every time."""
    fake = tmp_path / "x.mp3"
    shutil.copyfile(PROGRAM, fake)
    out = _python(str(ROOT / "main.py"), "transcribe", str(fake), "--json")
    assert out.returncode == 1, f"exit {out.returncode} (negative: killed by a signal)\n{out.stderr[-3000:]}"
    assert out.stdout == ""
    assert out.stderr.startswith(f"error: {fake}: not an audio file that can be read")
    assert "Traceback" not in out.stderr


DECODE = """
import sys
from pathlib import Path
from app.speech.audio import decode_audio
from app.speech.transcript import SpeechError
try:
    print("decoded", len(decode_audio(Path(sys.argv[1]))))
except SpeechError as e:
    print("refused", e)
"""


@pytest.mark.parametrize(
    "header",
    [b"ID3\x04\x00\x00\x00\x00\x00\x00", b"\xff\xfb\x90\x64"],
    ids=["behind-an-id3-tag", "behind-an-mpeg-frame-header"],
)
def test_a_program_behind_an_audio_header_does_not_crash(tmp_path: Path, header: bytes) -> None:
    """Past the first bytes the decoder itself must hold: FFmpeg decodes such a file as MPEG audio
    whose channel count changes between frames, which faster-whisper's decoding fed to PyAV's
    AudioFifo unchecked (a segfault). Refused or decoded as noise, the process lives."""
    fake = tmp_path / "x.mp3"
    fake.write_bytes(header + PROGRAM.read_bytes())
    out = _python("-c", DECODE, str(fake))
    assert out.returncode == 0, f"exit {out.returncode} (negative: killed by a signal)\n{out.stderr[-3000:]}"
    assert out.stdout.startswith(("decoded ", f"refused {fake}: not an audio file that can be read")), (
        out.stdout
    )


def test_empty_and_unreadable_files_are_refused_plainly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(SpeechError, match=r"not an audio file that can be read \(the file is empty\)"):
        decode_audio(empty)
    folder = tmp_path / "folder.wav"
    folder.mkdir()
    with pytest.raises(SpeechError, match="not an audio file that can be read"):
        decode_audio(folder)


def _tone(path: Path, container: str, codec: str, rate: int) -> None:
    """One second of 440 Hz at -10 dBFS, encoded by FFmpeg (through PyAV) as a person's file would be."""
    pcm = (0.3 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 32767).astype(np.int16)
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        cc = stream.codec_context
        src = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        src.sample_rate = rate
        resampler = av.AudioResampler(format=cc.format, layout=cc.layout, rate=rate, frame_size=cc.frame_size)
        for frame in [*resampler.resample(src), *resampler.resample(None)]:
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


FORMATS = [
    ("wav", "wav", "pcm_s16le", 44100),
    ("flac", "flac", "flac", 16000),
    ("mp3", "mp3", "libmp3lame", 44100),  # starts with an ID3 tag
    ("opus", "ogg", "libopus", 48000),
    ("m4a", "ipod", "aac", 44100),
    ("mp4", "mp4", "aac", 44100),
    ("mov", "mov", "aac", 44100),
    ("webm", "webm", "libopus", 48000),
    ("aac", "adts", "aac", 44100),
    ("mp2", "mp2", "mp2", 16000),
    ("aiff", "aiff", "pcm_s16be", 16000),
    ("au", "au", "pcm_s16be", 16000),
    ("caf", "caf", "alac", 16000),
    ("wv", "wv", "wavpack", 16000),
    ("ac3", "ac3", "ac3", 48000),
]


@pytest.mark.parametrize(("suffix", "container", "codec", "rate"), FORMATS, ids=[f[0] for f in FORMATS])
def test_audio_files_of_every_common_format_still_decode(
    tmp_path: Path, suffix: str, container: str, codec: str, rate: int
) -> None:
    path = tmp_path / f"tone.{suffix}"
    _tone(path, container, codec, rate)
    samples = decode_audio(path)
    assert len(samples) == pytest.approx(SAMPLE_RATE, rel=0.1)  # codecs pad a few ms
    rms = float(np.sqrt(np.mean(np.square(samples[2000:14000]))))
    assert rms == pytest.approx(0.3 / np.sqrt(2), rel=0.1)


def test_the_apps_recordings_and_the_shared_clips_still_decode(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    pcm = (rng.standard_normal(SAMPLE_RATE * 2) * 3000).astype(np.int16)
    writer = StreamingWavWriter(tmp_path / "answer.wav")
    writer.write(pcm[:SAMPLE_RATE])
    writer.write(pcm[SAMPLE_RATE:])
    own: Samples = decode_audio(writer.close())
    assert np.array_equal(own, pcm.astype(np.float32) / 32768.0)  # 16 kHz mono 16-bit: read as it was written
    assert len(decode_audio(SHARED / "audio" / "jfk.flac")) == 176_000
    assert len(decode_audio(SHARED / "audio" / "gettysburg_speech_only.wav")) == 1_912_000


# --- 2. a guide with HTML in it ------------------------------------------------------------------

HTML = '<b>bold</b> <a href="https://example.com/x">a link</a> <img src="https://example.com/x.png">'
GUIDE = f"""# A guide with {HTML}

### Question 1: Tell me about {HTML} today?
Introduction: {HTML}, and ownership.

1. Situation: Guidance {HTML}.
Example:
"Situation {HTML}."

2. Result:
Guidance too.
Example:
"Result {HTML}."

Summary {HTML}.
"""


@pytest.fixture
def html_bank() -> Bank:
    """The guide's HTML in every field, and in a principle's name (a bank file can name any)."""
    bank = import_markdown(GUIDE, source="html.md")
    data = bank.model_dump(mode="json")
    data["questions"][0]["principles"] = ["Ownership", f"Think {HTML}"]
    return Bank.model_validate(data)


def _install(bank_json: str) -> Path:
    """The bank where `import-guide` puts it, so that the app uses it."""
    path = paths.data_dir() / "questions.json"
    path.write_text(bank_json, encoding="utf-8")
    return path


def _shown(label: QLabel) -> str:
    """What a label shows, as a screen reader reads it: its text, or the rendering of the text when
    Qt takes it for HTML (where '<b>bold</b>' shows as a bold 'bold')."""
    interface = QAccessible.queryAccessibleInterface(label)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def _tooltip_shows(tip: str) -> str:
    """What a tooltip shows: a tooltip is a label that, like QLabel by default, renders what looks like HTML."""
    return _shown(QLabel(tip))


def test_guide_html_is_shown_as_text_when_browsing(qtbot: QtBot, html_bank: Bank) -> None:
    window = MainWindow(load_bank_or_builtin(_install(html_bank.to_json())))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shown = window.detail.toPlainText()
    for text in (
        f"Tell me about {HTML} today?",
        f"Guidance {HTML}.",
        f"Situation {HTML}.",
        f"Summary {HTML}.",
    ):
        assert text in shown
    assert f"Think {HTML}" in shown
    tip = window.questions.view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert _tooltip_shows(tip) == f"Ownership · Think {HTML}"


@pytest.fixture
def session(html_bank: Bank, tmp_path: Path) -> Iterator[PracticeSession]:
    class NoEngine:
        def load(self) -> None: ...

        def transcribe(self, samples: Samples, offset: float = 0.0) -> Transcript:
            raise AssertionError("nothing is transcribed here")

    s = PracticeSession(html_bank, NoEngine(), None, Settings(), tmp_path / "recordings")
    yield s
    s.shutdown()


def test_guide_html_is_shown_as_text_when_practising(qtbot: QtBot, session: PracticeSession) -> None:
    view = PracticeView(session)
    qtbot.addWidget(view)
    session.question = session.bank.questions[0]
    view.begin()
    view.show()
    qtbot.waitExposed(view)
    assert _shown(view.question) == f"Tell me about {HTML} today?"


def test_guide_html_is_shown_as_text_in_statistics_and_comparisons(qtbot: QtBot, html_bank: Bank) -> None:
    question = html_bank.questions[0]
    store = Store.open()
    try:
        generate_attempts(store, 3, [question.id], seed=1, bank=html_bank)
        view = StatsView(store, html_bank)
        qtbot.addWidget(view)
        view.refresh()
        view.show()
        qtbot.waitExposed(view)
        assert _tooltip_shows(view.combo.itemData(1, Qt.ItemDataRole.ToolTipRole)) == question.question
        assert _tooltip_shows(view.table.item(0, 0).toolTip()) == question.question
        assert _tooltip_shows(view.waited.item(0).toolTip()) == question.question
    finally:
        store.close()
    timeline = StarTimeline()
    qtbot.addWidget(timeline)
    timeline.set_bars([Bar(f"12 Mar 09:30 — {question.question}", [("situation", 20.0)])], 120)
    assert _tooltip_shows(timeline.toolTip()) == f"12 Mar 09:30 — {question.question}: Situation 20 s"


# --- 3. a megabyte on one line -------------------------------------------------------------------


def _seed_with_line(line: str, after: str) -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    at = next(i for i, text in enumerate(lines) if text.startswith(after))
    return "\n".join([*lines[: at + 1], line, *lines[at + 1 :]])


def test_import_guide_refuses_a_megabyte_line_naming_question_section_and_field(tmp_path: Path) -> None:
    """It imported; then the window took over a minute to appear (Qt lays out a line with no space
    in it in time that grows with the square of its length)."""
    guide = tmp_path / "guide.md"
    guide.write_text(
        _seed_with_line("x" * 1_000_000, "Start by briefly setting the context."), encoding="utf-8"
    )
    out = _python(str(ROOT / "main.py"), "import-guide", str(guide), "--out", str(tmp_path / "bank.json"))
    assert out.returncode == 1, out.stderr[-3000:]
    assert re.fullmatch(
        r"error: guide\.md, question 1 \(line 8\): section 'Situation' \(line 12\), "
        r"field 'guidance' is too long \(1,000,\d{3} characters; at most 10,000\)\n",
        out.stderr,
    ), out.stderr[-3000:]
    assert not (tmp_path / "bank.json").exists()


def test_a_bank_holding_a_megabyte_question_is_refused_and_the_window_says_why(
    qtbot: QtBot, html_bank: Bank
) -> None:
    data = html_bank.model_dump(mode="json")
    data["questions"][0]["question"] = "x" * 1_000_000 + "?"
    bank_path = _install(json.dumps(data))
    loaded = load_bank_or_builtin(paths.user_bank_path())
    assert loaded.warning == (
        f"Your question bank was not loaded: {bank_path}: question 'q01' (#1), field 'question' is too "
        "long (1,000,001 characters; at most 1,000). Showing the built-in questions instead."
    )
    window = MainWindow(loaded)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.banner is not None and window.banner.isVisible()
    assert "field 'question' is too long" in window.banner.label.text()
    assert len(window.questions.visible_ids()) == 36


# --- 4. numbers out of range ---------------------------------------------------------------------


def test_the_settings_dialog_offers_exactly_the_ranges_loading_accepts(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Typing past an end stops at it, and what OK saves loads back without a warning."""
    dialog = SettingsDialog(Settings(), None, AudioInputs(poll_ms=60_000))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    spins = {
        "think_seconds": dialog.practice.think,
        "target_seconds": dialog.practice.target,
        "speech_rate_wpm": dialog.voice.rate,
        "follow_ups": dialog.practice.follow_ups,
    }
    assert set(spins) == set(RANGES)
    for key, spin in spins.items():
        assert (spin.minimum(), spin.maximum()) == RANGES[key], key
    assert (dialog.voice.rate_slider.minimum(), dialog.voice.rate_slider.maximum()) == RANGES[
        "speech_rate_wpm"
    ]
    for typed in ("-60", "99999"):
        for key, spin in spins.items():
            spin.selectAll()
            qtbot.keyClicks(spin, typed)
            spin.interpretText()
            assert RANGES[key][0] <= spin.value() <= RANGES[key][1], (key, typed, spin.value())
    with qtbot.waitSignal(dialog.accepted):  # the file is written on a worker thread
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with caplog.at_level(logging.WARNING, logger="app.core.settings"):
        saved = Settings.load()
    assert not caplog.records, caplog.text
    assert saved == dialog.result_settings()
