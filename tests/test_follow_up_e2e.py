"""A follow-up asked and answered on real parts (issue 17, items 1 and 7): after the answer's feedback
the follow-up is heard on the virtual speakers, the reply is spoken into the virtual microphone with
Space, judged and saved with the attempt; the second follow-up is skipped with N."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.settings import Settings
from app.followups.rules import Ask, FollowUp
from app.practice.follow_up import Reply, Step
from app.practice.session import Phase
from bench.wer import word_error_rate
from tests.audio_utils import MonitorRecording, RecordedClock, espeak, feed, heard_as_sent
from tests.conftest import ARTIFACTS
from tests.gui_utils import open_window, press, replay_newest
from tests.test_practice_e2e import _short_answer
from ui.main_window import MainWindow

# Written for this test: a plain spoken reply that gives what each kind of follow-up asks for.
REPLY: dict[Ask, str] = {
    "task": "My job was to keep the client happy and to deliver the model on time.",
    "own_part": "I wrote the evaluation script myself and I presented the results to the client.",
    "outcome": "In the end the client renewed the contract for two more years.",
    "number": "The error rate fell from twelve percent to four percent in one month.",
    "lesson": "Next time I would talk to the client much earlier.",
    "customer": "The customer was a retail client, and I asked their analysts what they needed.",
    "data": "I looked at the error logs and the weekly metrics dashboard.",
    "evidence": "I tested it on one week of data and checked it with the client.",
    "learning": "I learned the new library by reading the documentation and taking a short course.",
}


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    with open_window(
        qtbot,
        Settings(think_seconds=0, target_seconds=90, follow_ups=2),
        active=True,
        load=True,
        size=(1200, 860),
    ) as win:
        yield win


def test_a_follow_up_is_asked_answered_aloud_judged_and_saved(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, screenshot_dir: Path
) -> None:
    services = window.services
    assert services is not None and window.feedback_view is not None
    practice, runner = services.practice, services.practice.follow_up
    answer = espeak(_short_answer("q08"), tmp_path / "answer.wav", wpm=170)

    window.practise("q08")
    qtbot.waitUntil(lambda: practice.phase is Phase.READY, timeout=30_000)
    press(window, "space")
    qtbot.waitUntil(lambda: practice.phase is Phase.RECORDING, timeout=5000)
    RecordedClock(practice.elapsed).wait_until(qtbot, 0.5)
    player = feed(answer)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=90_000)
    with MonitorRecording(tmp_path / "heard.wav") as heard:
        with qtbot.waitSignal(runner.asked, timeout=60_000) as asked:
            press(window, "space")
        position, count, follow_up = asked.args
        assert isinstance(follow_up, FollowUp) and (position, count) == (1, 2)
        qtbot.waitUntil(lambda: runner.step is Step.READY, timeout=30_000)  # read to the end
        heard.wait_more(qtbot, 0.3)
    wav = services.speaker.path_for(follow_up.text)
    problem = heard_as_sent(wav, tmp_path / "heard.wav", ARTIFACTS / "audio")
    assert problem is None, f"the follow-up was not heard whole: {problem}"
    panel = window.feedback_view.follow_up
    assert panel.isVisible() and follow_up.text in panel.asked.text()

    said = REPLY[follow_up.rule.asks_for]
    reply_wav = espeak(said, tmp_path / "reply.wav", wpm=160)
    levels: list[float] = []
    runner.level.connect(lambda rms, _peak: levels.append(rms))
    press(window, "space")
    qtbot.waitUntil(lambda: runner.step is Step.RECORDING, timeout=5000)
    RecordedClock(runner.elapsed).wait_until(qtbot, 0.5)
    player = feed(reply_wav)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=60_000)
    window.grab().save(str(screenshot_dir / "follow-up-answering.png"))
    with qtbot.waitSignal(runner.replied, timeout=60_000) as replied:
        press(window, "space")
    reply = replied.args[0]
    assert levels and max(levels) > -40 and panel.level.maximum() == 60  # the meter heard the reply
    assert isinstance(reply, Reply) and reply.position == 1 and reply.save_error is None
    assert word_error_rate(said, reply.text) <= 0.35, reply.text
    assert reply.verdict.gave, (reply.text, reply.verdict.message)
    assert reply.verdict.message in panel.replies.text()

    # The second follow-up is asked next; N skips it and the panel says that was the last.
    qtbot.waitUntil(lambda: runner.position == 2 and runner.step in (Step.ASKING, Step.READY), timeout=30_000)
    window.grab().save(str(screenshot_dir / "follow-up-answered.png"))
    press(window, "n")
    qtbot.waitUntil(lambda: runner.step is Step.DONE, timeout=5000)

    # Saved with the attempt, its recording kept beside the answer's.
    store = services.store
    [attempt] = store.attempts(question_id="q08")
    [saved] = store.follow_ups(attempt.id)
    assert (saved.rule, saved.asked, saved.gave) == (follow_up.rule.id, follow_up.text, True)
    assert saved.text == reply.text and saved.audio_path is not None
    assert (store.data_dir / saved.audio_path).is_file()

    # Replay in History shows the follow-up and the reply as they were judged.
    replay_newest(qtbot, window)
    qtbot.waitUntil(window.replay_view.follow_ups.isVisible, timeout=10_000)
    shown = window.replay_view.follow_ups.text()
    assert follow_up.text in shown and reply.verdict.message in shown
