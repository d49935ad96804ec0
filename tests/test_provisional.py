"""The live transcript shows words within seconds, provisionally, and the stretch's own transcript
replaces them: what is analysed and saved is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.bank.questions import load_bank_or_builtin
from app.core.settings import Settings
from app.practice.session import PracticeSession
from app.speech.audio import SAMPLE_RATE, decode_audio
from app.speech.provisional import MAX_WINDOW_S, Provisional
from app.speech.streaming import StreamingTranscriber
from app.speech.transcribe import WhisperTranscriber
from app.speech.transcript import Transcript, Word
from ui.practice.practice_view import PROVISIONAL_COLOUR, PracticeView

CLIP = Path(__file__).parent / "data" / "audio" / "window_answer.flac"  # a 2-minute spoken answer
CHUNK = SAMPLE_RATE // 10  # the recorder's chunks are 100 ms


def _words(*timed: tuple[str, float, float]) -> Transcript:
    words = tuple(Word(t, s, e) for t, s, e in timed)
    return Transcript(words, " ".join(w.text for w in words), "whisper", "tiny.en", 10.0)


def test_settled_words_are_not_read_again_and_wait_for_their_stretch() -> None:
    p = Provisional()
    assert p.window(0, SAMPLE_RATE) is None  # too short to look at
    assert p.window(0, 8 * SAMPLE_RATE) == (0, 8 * SAMPLE_RATE)
    assert p.heard(0, 8 * SAMPLE_RATE, _words(("We", 0.5, 0.8), ("shipped", 0.9, 1.4), ("it", 6.0, 6.3)))
    # "We shipped" ended more than SETTLE_S before the end: the next look starts in the pause after it.
    first, _ = p.window(0, 10 * SAMPLE_RATE) or (0, 0)
    assert 1.4 * SAMPLE_RATE < first < 6.0 * SAMPLE_RATE
    p.heard(0, 10 * SAMPLE_RATE, _words(("it", 6.0, 6.3), ("late", 6.4, 6.9)))
    assert [w.text for w in p.words()] == ["We", "shipped", "it", "late"]
    p.closed(0, 7 * SAMPLE_RATE)  # the stretch closed: its words wait for its transcript
    assert p.transcript().text == "We shipped it late"
    # A look the cut overtook: its words replace the older guesses, on each side of the cut.
    assert p.heard(0, 10 * SAMPLE_RATE, _words(("it", 6.0, 6.3), ("later", 6.4, 6.9), ("Then", 7.5, 7.8)))
    assert p.transcript().text == "We shipped it later Then"
    p.transcribed(0)
    assert p.transcript().text == "Then"
    assert not p.heard(0, 10 * SAMPLE_RATE, _words(("stale", 6.0, 6.5)))  # its stretch is transcribed
    p.closed(1, 12 * SAMPLE_RATE)
    p.transcribed(1)
    assert p.transcript().nothing_heard and p.transcript().text == ""


@pytest.fixture
def practice(qtbot: QtBot, whisper: WhisperTranscriber, tmp_path: Path) -> Iterator[PracticeSession]:
    session = PracticeSession(load_bank_or_builtin(None).bank, whisper, None, Settings(), tmp_path)
    yield session
    session.shutdown()


def _feed(session: PracticeSession, samples: np.ndarray) -> None:
    for i in range(0, len(samples), CHUNK):
        session.answer.streaming.feed(samples[i : i + CHUNK])


def _last_format_is_provisional(view: PracticeView) -> bool:
    cursor = view.live.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    fmt = cursor.charFormat()
    return fmt.fontItalic() and fmt.foreground().color().name() == PROVISIONAL_COLOUR


def test_provisional_words_show_while_speaking_then_the_final_text_replaces_them(
    qtbot: QtBot, practice: PracticeSession
) -> None:
    view = PracticeView(practice)
    qtbot.addWidget(view)
    samples = decode_audio(CLIP)
    streaming = practice.answer.streaming
    streaming.begin()
    shown: list[str] = []
    practice.provisional.connect(lambda t: shown.append(t.text))

    # The first 8 s: no stretch has closed (they close after 20 s), yet words are on the screen.
    with qtbot.waitSignal(practice.provisional, timeout=60_000, check_params_cb=lambda t: bool(t.text)):
        _feed(practice, samples[: 8 * SAMPLE_RATE])
    assert view.heard_text == ""
    assert view.provisional_text == shown[-1] and "the one that comes" in shown[-1].lower()
    assert view.live.toPlainText() == shown[-1]
    assert _last_format_is_provisional(view)

    # More speech, then Stop: the stretch's own transcript replaces the provisional words.
    with qtbot.waitSignal(streaming.finished, timeout=120_000) as done:
        _feed(practice, samples[8 * SAMPLE_RATE : 14 * SAMPLE_RATE])
        streaming.finish()
    final = done.args[0]
    assert isinstance(final, Transcript) and "one that comes to mind" in final.text.lower()
    assert shown[-1] == ""  # nothing provisional is left
    assert view.provisional_text == "" and view.live.toPlainText() == final.text
    assert not _last_format_is_provisional(view)


def test_stop_starts_the_last_stretch_at_once_and_speech_after_it_is_kept(
    qtbot: QtBot, whisper: WhisperTranscriber
) -> None:
    """The recorder listens half a second after Stop; the open stretch is transcribed from the press.
    A quiet half second adds nothing; words said in it still reach the transcript."""
    streaming = StreamingTranscriber(whisper)
    samples = decode_audio(CLIP)
    try:
        streaming.begin()
        for i in range(0, 6 * SAMPLE_RATE, CHUNK):
            streaming.feed(samples[i : i + CHUNK])
        with qtbot.waitSignal(streaming.finished, timeout=120_000) as quiet_end:
            streaming.stopping()
            streaming.feed(np.zeros(SAMPLE_RATE // 2, dtype=np.float32))
            streaming.finish()
        first = quiet_end.args[0]
        assert "one that comes to mind" in first.text.lower()

        streaming.begin()
        for i in range(0, 4 * SAMPLE_RATE, CHUNK):
            streaming.feed(samples[i : i + CHUNK])
        with qtbot.waitSignal(streaming.finished, timeout=120_000) as spoken_end:
            streaming.stopping()
            streaming.feed(samples[4 * SAMPLE_RATE : 6 * SAMPLE_RATE])  # still talking after Stop
            streaming.finish()
        second = spoken_end.args[0]
        assert "mind" in second.text.lower(), second.text  # said after Stop
        assert second.words[-1].end > 4.0
    finally:
        streaming.shutdown()


def test_a_look_never_reads_more_than_the_last_seconds() -> None:
    """Stop waits for the look under way: however long the open stretch, a look stays short."""
    p = Provisional()
    first, end = p.window(0, 25 * SAMPLE_RATE) or (0, 0)
    assert end == 25 * SAMPLE_RATE and end - first == MAX_WINDOW_S * SAMPLE_RATE
