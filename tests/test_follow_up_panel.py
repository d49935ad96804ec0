"""The follow-up panel as the person sees it: the verdict on each reply is a sentence, and a reply that
answered "why?" with how it turned out is not praised as the reason; while the reply is spoken, the
words heard are shown provisionally, then replaced by the reply's own transcript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from app.analysis import sentences as sent
from app.analysis.labeller_files import default_labeller
from app.bank.questions import Bank
from app.core.settings import Settings
from app.followups.judge import judge_reply
from app.followups.rules import BY_ID, FollowUp
from app.practice.follow_up import FollowUpRunner, Reply, Step
from app.speech.answer import AnswerSession
from app.speech.transcript import Transcript, Word
from tests.audio_utils import SilentEngine
from ui.practice.follow_up_panel import FollowUpPanel
from ui.practice.practice_view import PROVISIONAL_COLOUR


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[FollowUpPanel, FollowUpRunner]]:
    answer = AnswerSession(SilentEngine())
    runner = FollowUpRunner(answer, None, Settings(), tmp_path / "recordings")
    shown = FollowUpPanel()
    qtbot.addWidget(shown)
    shown.attach(runner, shown)
    shown.show()
    yield shown, runner
    runner.close()
    answer.shutdown()


# The walk-through's follow-up: asked why, on the answer's own action.
WHY = FollowUp(BY_ID["dig_why"], "Asked about what you said.", "I retrained it with two years of history")
# Spoken replies to it, as a person says them, and whether each gave a reason.
REPLIES = [
    ("uh, yeah so the result was we cut it down to like two days", False),
    ("I, I don't really remember honestly", False),
    ("It was about 40% fewer complaints from around 500 a week to 300.", False),  # the walk-through's
    ("um, because the older data had both holiday peaks in it, and one year only had the one", True),
]


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def _is_a_sentence(text: str) -> bool:
    """Words, not a figure: at least four words of letters, and more letters than digits."""
    words = re.findall(r"[A-Za-z\u2019']+", text)
    return len(words) >= 4 and sum(c.isalpha() for c in text) > 3 * sum(c.isdigit() for c in text)


def test_each_verdict_shown_is_a_sentence_and_a_result_is_not_taken_for_the_reason(
    qtbot: QtBot, panel: tuple[FollowUpPanel, FollowUpRunner], bank: Bank
) -> None:
    shown, runner = panel
    labeller = default_labeller(bank)
    runner.asked.emit(1, 1, WHY)
    for position, (said, gives_reason) in enumerate(REPLIES, 1):
        verdict = judge_reply(WHY.rule.asks_for, sent.from_text(said), WHY.text, labeller)
        runner.replied.emit(Reply(position, WHY, said, 4.0, verdict))
        row = _plain(shown.replies.text()).splitlines()[-1]
        # What the panel says of this reply: between "(0:04): " and "You said:".
        told = row.split("(0:04): ", 1)[1].split(" You said:", 1)[0]
        assert told == verdict.message and _is_a_sentence(told), row
        assert verdict.gave is gives_reason, (said, verdict.message)
        if verdict.gave:  # the reason quoted is a clause of words the person said
            assert verdict.evidence in said and _is_a_sentence(verdict.evidence), verdict.evidence
    walk_through = _plain(shown.replies.text()).splitlines()[2]
    assert "how it turned out, not why you chose it" in walk_through
    assert "You gave why" not in walk_through


def _timed(text: str, start: float) -> Transcript:
    words = tuple(Word(w, start + i * 0.4, start + i * 0.4 + 0.3) for i, w in enumerate(text.split()))
    return Transcript(words, text, "whisper", "tiny.en", start + len(words) * 0.4)


def _ends_provisional(label_html: str) -> bool:
    doc = QTextDocument()
    doc.setHtml(label_html)
    cursor = QTextCursor(doc)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    fmt = cursor.charFormat()
    return fmt.fontItalic() and fmt.foreground().color().name() == PROVISIONAL_COLOUR


def test_the_reply_heard_is_shown_provisionally_then_replaced_by_its_transcript(
    qtbot: QtBot, panel: tuple[FollowUpPanel, FollowUpRunner]
) -> None:
    shown, runner = panel
    runner.asked.emit(1, 1, WHY)
    runner.stepChanged.emit(Step.RECORDING)
    assert shown.heard.isVisible() and _plain(shown.heard.text()) == ""

    # Words heard a moment ago, not yet transcribed for good: lighter and in italics.
    runner.provisional.emit(_timed("because the older data", 0.0))
    assert _plain(shown.heard.text()).strip() == "because the older data"
    assert _ends_provisional(shown.heard.text())

    # The stretch's own transcript arrives: it replaces them, and more is heard after it.
    runner.partial.emit(_timed("Because the older data had both holiday peaks.", 0.0))
    runner.provisional.emit(_timed("and one year", 3.0))
    assert _plain(shown.heard.text()) == "Because the older data had both holiday peaks. and one year"
    assert _ends_provisional(shown.heard.text())

    # Stop: the last stretch is transcribed and nothing provisional is left.
    runner.stepChanged.emit(Step.JUDGING)
    runner.partial.emit(_timed("Because the older data had both holiday peaks, and one year had one.", 0.0))
    runner.provisional.emit(_timed("", 6.0))
    text = _plain(shown.heard.text())
    assert text == "Because the older data had both holiday peaks, and one year had one."
    assert not _ends_provisional(shown.heard.text())
