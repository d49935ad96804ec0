"""The replay view on a real answer: espeak-ng speaks four STAR sentences, the real Whisper model times
them, and a real QtPlayer plays them on the virtual speakers while the transcript follows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from app.analysis import sentences as sent
from app.analysis.analyze import Analysis, analyze
from app.bank.questions import builtin_bank_path, load_bank
from app.speech.audio import decode_audio
from app.speech.models import MODEL_ENV
from app.speech.playback import QtPlayer
from app.speech.transcribe import WhisperTranscriber
from tests.audio_utils import MonitorRecording, espeak, load_mono16k, sound_span, wav_seconds
from ui.history.replay_view import LEAD_S, CompareView, ReplayView
from ui.practice.feedback_parts import SidePanel

ANSWER = (
    "Last spring our team was about to miss the deadline for a customer report. "
    "My task was to get the report delivered within one week. "
    "I split the work into daily goals and met the analysts every morning to remove blockers. "
    "We delivered two days early, and the customer renewed a contract worth fifty thousand dollars."
)
RAMBLING = (
    "Um, so basically there was, like, a project that was kind of late. "
    "And, um, I was like, basically supposed to fix it, you know. "
    "So I actually talked to, um, everyone, like, a lot, and basically we worked on it for a long time. "
    "And it was, um, kind of fine in the end, I guess, actually."
)


@dataclass(frozen=True)
class Clip:
    path: Path
    seconds: float
    analysis: Analysis


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    folder = tmp_path_factory.mktemp("replay")
    path = espeak(ANSWER, folder / "answer.wav", wpm=165)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STAR_COACH_HOME", str(folder / "home"))
        mp.delenv(MODEL_ENV, raising=False)
        engine = WhisperTranscriber()
        engine.load()
        transcript = engine.transcribe(decode_audio(path))
    bank = load_bank(builtin_bank_path())
    analysis = analyze(sent.from_transcript(transcript), bank, bank.by_id("q08"), engine="whisper")
    assert len(analysis.sentences) == 4, [s.text for s in analysis.sentences]
    return Clip(path, wav_seconds(path), analysis)


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[QtPlayer]:
    p = QtPlayer()
    yield p
    p.stop()


@pytest.fixture
def view(qtbot: QtBot, player: QtPlayer, clip: Clip) -> ReplayView:
    v = ReplayView(player)
    qtbot.addWidget(v)
    v.resize(1100, 620)
    v.show_attempt("Disagreeing with your manager — 12 May, 10:42", clip.analysis, clip.path)
    v.show()
    qtbot.waitExposed(v)
    v.activateWindow()
    # Shortcuts (P, arrows) reach only the active window: once a P press was lost in a full CI run.
    qtbot.waitUntil(v.isActiveWindow, timeout=5000)
    return v


def _expected(clip: Clip, seconds: float) -> int | None:
    """The sentence being heard at `seconds`, or None within 0.3 s of a boundary (either is right)."""
    starts = [s.start - LEAD_S for s in clip.analysis.sentences]
    if any(abs(seconds - b) < 0.3 for b in starts[1:]):
        return None
    return max(0, sum(1 for b in starts if b <= seconds) - 1)


def test_highlight_follows_playback(
    qtbot: QtBot, view: ReplayView, player: QtPlayer, clip: Clip, screenshot_dir: Path
) -> None:
    seen: list[tuple[float, int | None]] = []
    player.position.connect(lambda s: seen.append((s, view.current_sentence())))  # after the view's slot
    assert view.current_sentence() is None
    with qtbot.waitSignal(player.started, timeout=5000):
        qtbot.keyClick(view.windowHandle(), Qt.Key.Key_P)
    assert view.play_button.text() == "Pause (P)"
    qtbot.waitUntil(lambda: view.current_sentence() == 0, timeout=3000)
    third = clip.analysis.sentences[2].start
    qtbot.waitUntil(
        lambda: view.current_sentence() == 2 and player.current_position() > third + 1.2, timeout=15_000
    )
    assert view.transcript.extraSelections(), "the current sentence is drawn"
    view.grab().save(str(screenshot_dir / "replay.png"))
    with qtbot.waitSignal(player.finished, timeout=20_000):
        pass
    assert view.current_sentence() is None and view.play_button.text() == "Play (P)"
    playing = [(s, i) for s, i in seen if s < clip.seconds - 0.05]
    assert {i for _, i in playing} == {0, 1, 2, 3}, seen
    assert playing[0][1] == 0
    wrong = [(round(s, 2), i, _expected(clip, s)) for s, i in playing if _expected(clip, s) not in (None, i)]
    assert not wrong, (wrong, [round(s.start, 2) for s in clip.analysis.sentences])


def test_clicking_a_sentence_plays_from_there(
    qtbot: QtBot, view: ReplayView, player: QtPlayer, clip: Clip
) -> None:
    target = clip.analysis.sentences[2].start
    at = view.transcript.sentence_rect(2).center()
    with qtbot.waitSignal(player.started, timeout=5000):
        qtbot.mouseClick(view.transcript.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: player.current_position() > 1.0, timeout=3000)  # the seek has been done
    assert player.current_position() == pytest.approx(target, abs=0.5)
    assert view.current_sentence() == 2
    # Clicking again while playing seeks without restarting; the keys step by 5 s.
    qtbot.mouseClick(
        view.transcript.viewport(), Qt.MouseButton.LeftButton, pos=view.transcript.sentence_rect(0).center()
    )
    qtbot.waitUntil(lambda: player.current_position() < target - 1.0, timeout=3000)
    assert player.is_playing()
    before = player.current_position()
    qtbot.keyClick(view.windowHandle(), Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: player.current_position() >= before + 4.5, timeout=3000)
    qtbot.keyClick(view.windowHandle(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=3000)
    assert view.play_button.text() == "Play (P)"


def test_speed_1_5_sounds_for_two_thirds_of_the_time(
    qtbot: QtBot, view: ReplayView, player: QtPlayer, clip: Clip, tmp_path: Path
) -> None:
    assert [view.speed.itemText(i) for i in range(view.speed.count())] == ["0.75×", "1×", "1.25×", "1.5×"]
    view.speed.setCurrentIndex(3)
    with MonitorRecording(tmp_path / "speakers.wav") as monitor:
        with qtbot.waitSignal(player.started, timeout=5000):
            view.play_button.click()
        assert player.speed() == pytest.approx(1.5)
        with qtbot.waitSignal(player.finished, timeout=20_000):
            pass
        monitor.wait_more(qtbot, 0.4)
    ratio = sound_span(load_mono16k(monitor.path)) / sound_span(load_mono16k(clip.path))
    print(f"\nreplay at 1.5x: sounded for {ratio:.3f} of the answer's length (1/1.5 = 0.667)")
    assert ratio == pytest.approx(1 / 1.5, abs=0.08)


def test_without_a_recording_the_text_still_shows(qtbot: QtBot, view: ReplayView, clip: Clip) -> None:
    view.show_attempt("An attempt without audio", clip.analysis, None)
    assert view.no_audio.isVisible() and view.no_audio.text() == "No recording kept for this attempt."
    for w in (view.play_button, view.back_button, view.forward_button, view.slider, view.speed):
        assert not w.isEnabled()
    assert clip.analysis.sentences[1].text in view.transcript.toPlainText()
    assert view.points.count() >= 1 and view.figures.rowCount() >= 5
    qtbot.keyClick(view.windowHandle(), Qt.Key.Key_P)
    assert view.current_sentence() is None and not view.player.is_playing()
    view.show_attempt("Missing file", clip.analysis, clip.path.with_name("gone.wav"))
    assert not view.play_button.isEnabled() and view.no_audio.isVisible()


def test_missing_sections_are_named_once(view: ReplayView, clip: Clip) -> None:
    assert clip.analysis.missing or clip.analysis.unclear  # the answer has no reflection
    shown = [w.text() for w in view.findChildren(QLabel) if w.isVisible()]
    assert sum("missing" in t.lower() for t in shown) == 1, shown


def test_no_figure_is_cut_off(qtbot: QtBot, clip: Clip) -> None:
    """Long points and values (a quote, several principles) wrap and stay whole in a column as small as
    the feedback screen's at 1100 x 720: the column scrolls instead."""
    panel = SidePanel("Delivery", "hint")
    panel.show_analysis(clip.analysis)
    points, figures = panel.points, panel.figures
    qtbot.addWidget(panel)
    panel.resize(420, 360)
    panel.show()
    qtbot.waitExposed(panel)
    labels = points.findChildren(QLabel)
    assert len(labels) == len(clip.analysis.points) >= 2
    for row in range(figures.rowCount()):
        item = figures.itemAt(row, QFormLayout.ItemRole.FieldRole)
        labels.append(item.widget() if item else None)
    for label in labels:
        assert isinstance(label, QLabel)
        assert label.height() >= label.heightForWidth(label.width()), label.text()


def test_compare_marks_the_better_attempt(qtbot: QtBot, clip: Clip, screenshot_dir: Path) -> None:
    bank = load_bank(builtin_bank_path())
    q = bank.by_id("q08")
    tight = analyze(clip.analysis.sentences, bank, q, engine="whisper", target_seconds=10)
    rambling = analyze(sent.from_text(RAMBLING), bank, q, target_seconds=10)
    assert rambling.timing.total_seconds > tight.timing.total_seconds > 10
    assert rambling.delivery.filler_count > tight.delivery.filler_count
    cmp = CompareView()
    qtbot.addWidget(cmp)
    cmp.resize(1100, 720)
    question = "Tell me about a time when you disagreed with your manager."
    cmp.show_pair(f"12 May 10:42 — {question}", tight, f"13 May 09:15 — {question}", rambling)
    cmp.show()
    qtbot.waitExposed(cmp)
    for side, a in (("a", tight), ("b", rambling)):
        t = a.timing.total_seconds
        assert f"{int(t // 60)}:{int(t % 60):02d}" in cmp.cell("length", side)
    assert cmp.better["length"] == "a" and cmp.cell("length", "a").startswith("✓")
    assert cmp.better["fillers"] == "a" and not cmp.cell("fillers", "b").startswith("✓")
    # Issue 15: both bars carried the same cut-off title; now "A · date", "B · date", the question once.
    assert [b.label for b in cmp.timeline.bars] == ["A · 12 May 10:42", "B · 13 May 09:15"]
    assert cmp.heading.text().count(question) == 1
    a_text, b_text = (v.toPlainText() for v in cmp.transcripts)
    assert "A · 12 May 10:42" in a_text and tight.sentences[0].text in a_text
    assert "B · 13 May 09:15" in b_text and rambling.sentences[0].text in b_text
    assert "What changed from A to B" in cmp.changes.text()
    cmp.grab().save(str(screenshot_dir / "compare.png"))
    # Both within the target: neither length is better.
    cmp.show_pair("A", clip.analysis, "B", analyze(sent.from_text(RAMBLING), bank, q))
    assert cmp.better["length"] is None


def test_a_label_corrected_on_replay_is_shown_at_once(qtbot: QtBot, view: ReplayView, clip: Clip) -> None:
    """Right-click menu's twin on the keyboard: Tab to a sentence, press O; the view asks for it and
    shows the corrected analysis with the focus still on that sentence."""
    from app.analysis.analyze import relabel
    from ui.practice.relabel import focus_sentence, focused_sentence

    def apply(i: int, section: str) -> None:
        assert view.analysis is not None
        view.show_corrected(relabel(view.analysis, i, section, None), i)  # type: ignore[arg-type]

    view.relabelled.connect(apply)
    view.transcript.setFocus()
    focus_sentence(view.transcript, 1)
    with qtbot.waitSignal(view.relabelled) as sig:
        qtbot.keyClick(view.transcript, Qt.Key.Key_O)
    assert sig.args == [1, "other"]
    assert view.analysis is not None and view.analysis.sentences[1].section == "other"
    assert "1 label(s) set by you" in view.title.text()
    assert focused_sentence(view.transcript) == 1
