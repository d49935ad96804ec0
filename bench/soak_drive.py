"""The soak's app process: the real main window, built as ui/application.py builds it, practised round
after round through keys from the X server, as a person would, the answers spoken into the virtual
microphone. Writes one JSON line per round to a progress file that bench/soak.py reads, so a crash or
a freeze of this process still leaves every round before it on record.

Keys go through xdotool, not QTest: QTest's keyClick handles the event while holding Python's lock,
which once hung the test suite when Space stopped the question's player (tests/test_practice_e2e.py).
"""

from __future__ import annotations

import faulthandler
import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import IO, Any, cast

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.bank.questions import load_bank_or_builtin
from app.core import paths
from app.core.jobs import run_task
from app.core.settings import Settings
from app.practice.follow_up import Reply, Step
from app.practice.result import PracticeResult
from app.practice.session import Phase
from app.speech.transcript import Transcript
from bench.common import ROOT
from ui.application import make_app
from ui.main_window import MainWindow

CLIPS = ROOT / "tests" / "data" / "audio" / "soak"
STEP_TIMEOUT_S = 120.0  # a step whose signal does not come within this is a hang
QUESTIONS = ("q01", "q02", "q03", "q05", "q08", "q11", "q14", "q20")


class Hang(Exception):
    """A step's signal did not come in STEP_TIMEOUT_S."""


def rss_mb() -> float:
    """Resident memory of this process, as the kernel counts it (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def wait_until(condition: Callable[[], bool], step: str, timeout_s: float = STEP_TIMEOUT_S) -> None:
    """Runs the event loop until `condition` holds, checked every 10 ms; the state it reads is set by
    the app's own signals. Raises Hang after `timeout_s`."""
    if condition():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise Hang(step)


class Driver:
    def __init__(self, window: MainWindow, progress: IO[str]) -> None:
        services = window.services
        assert services is not None and window.feedback_view is not None and window.practice_view is not None
        self.window, self.services, self.progress = window, services, progress
        self.practice = services.practice
        self.runner = services.practice.follow_up
        self.answers = sorted(CLIPS.glob("answer-*.wav"))
        self.replies = sorted(CLIPS.glob("reply-*.wav"))
        self.recorded = 0.0  # seconds of audio the recorder has written (its `elapsed` signal)
        self.t0 = 0.0  # wall time of the recording's sample 0, from the `elapsed` signal
        self.live: list[float] = []  # lag of each word as it appeared in the live transcript
        self.words_live = 0
        self.result: PracticeResult | None = None
        self.reply: Reply | None = None
        self.feedback_shown = 0.0
        self.player_started = False
        self.played_to = 0.0
        self.practice.elapsed.connect(self._elapsed)
        self.runner.elapsed.connect(self._elapsed)
        self.practice.partial.connect(self._partial)
        self.practice.finished.connect(self._finished)
        self.runner.replied.connect(self._replied)
        window.pages.currentChanged.connect(self._page)
        services.player.started.connect(self._started)
        services.player.position.connect(self._position)

    # ----------------------------------------------------------------- what the app says

    def _elapsed(self, seconds: float) -> None:
        now = time.perf_counter()
        self.t0 = min(self.t0, now - seconds) if self.recorded else now - seconds
        self.recorded = seconds

    def _partial(self, transcript: Transcript) -> None:
        now = time.perf_counter()
        if self.practice.phase not in (Phase.RECORDING, Phase.FINISHING):
            return
        for word in transcript.words[self.words_live :]:
            self.live.append(now - (self.t0 + word.end))
        self.words_live = max(self.words_live, len(transcript.words))

    def _finished(self, result: PracticeResult) -> None:
        self.result = result

    def _replied(self, reply: Reply) -> None:
        self.reply = reply

    def _page(self, _index: int) -> None:
        if self.window.pages.currentWidget() is self.window.feedback_view and not self.feedback_shown:
            self.feedback_shown = time.perf_counter()

    def _started(self) -> None:
        self.player_started = True

    def _position(self, seconds: float) -> None:
        self.played_to = seconds

    # ----------------------------------------------------------------- a person's actions

    def press(self, keysym: str) -> float:
        """A key from the X server; returns when it was sent (the app handles it in its own loop)."""
        subprocess.run(["xdotool", "key", "--window", str(int(self.window.winId())), keysym], check=True)
        return time.perf_counter()

    def speak(self, clip: Path, step: str) -> None:
        """Plays `clip` into the virtual microphone after half a second of silence, and stops 0.4 s
        (of recorded audio) after it has been heard to the end."""
        start = self.recorded
        wait_until(lambda: self.recorded >= start + 0.5, f"{step}: recording")
        voice = subprocess.Popen(["paplay", "--device=mic_feed", str(clip)])
        try:
            wait_until(lambda: voice.poll() is not None, f"{step}: speaking")
        finally:
            if voice.poll() is None:
                voice.kill()
                voice.wait()
        after = self.recorded
        wait_until(lambda: self.recorded >= after + 0.4, f"{step}: after speaking")

    def round(self, n: int) -> dict[str, Any]:
        window, practice, runner = self.window, self.practice, self.runner
        out: dict[str, Any] = {"round": n}
        started = time.perf_counter()
        # Back to the list (the feedback screen's Alt+Left), a question clicked, Ctrl+Enter.
        if window.pages.currentIndex() != 0:
            self.press("alt+Left")
            wait_until(lambda: window.pages.currentIndex() == 0, "back to the questions")
        qid = QUESTIONS[n % len(QUESTIONS)]
        view = window.questions.view
        model = view.model()
        row = next(r for r in range(model.rowCount()) if window.questions.visible_ids()[r] == qid)
        view.setCurrentIndex(model.index(row, 0))
        out["question"] = qid
        self.result, self.reply, self.feedback_shown = None, None, 0.0
        self.press("ctrl+Return")
        wait_until(lambda: practice.phase is Phase.ASKING, "ask")
        wait_until(lambda: practice.phase is Phase.READY, "question read aloud")
        out["ask_s"] = round(time.perf_counter() - started, 2)
        # The answer.
        self.recorded, self.live, self.words_live = 0.0, [], 0
        self.press("space")
        wait_until(lambda: practice.phase is Phase.RECORDING, "record")
        self.speak(self.answers[n % len(self.answers)], "answer")
        if n == 10:
            out["rss_mb_recording"] = rss_mb()
        shown_live = self.words_live
        stop = self.press("space")
        wait_until(lambda: self.result is not None and bool(self.feedback_shown), "feedback shown")
        result = self.result
        assert result is not None and result.analysis is not None
        out["feedback_after_stop_s"] = round(self.feedback_shown - stop, 3)
        out["feedback_after_stop_s_app"] = round(result.stop_to_feedback_s, 3)
        out["words"] = len(result.transcript.words)
        out["words_live_before_stop"] = shown_live
        out["live_lag_s"] = round(median(self.live), 2) if self.live else None
        out["saved"] = result.attempt_id is not None and result.save_error is None
        # The follow-up, read aloud after the second listen, answered with a short reply.
        if result.follow_ups:  # asked after the second listen, read aloud to the end
            wait_until(lambda: runner.step is Step.READY, "follow-up asked and read aloud")
            out["follow_up_asked_s"] = round(time.perf_counter() - self.feedback_shown, 2)
            replying = time.perf_counter()
            self.recorded = 0.0
            self.press("space")
            wait_until(lambda: runner.step is Step.RECORDING, "follow-up record")
            self.speak(self.replies[n % len(self.replies)], "reply")
            self.press("space")
            wait_until(lambda: self.reply is not None, "reply judged")
            assert self.reply is not None
            out["reply_gave"] = self.reply.verdict.gave
            out["reply_s"] = round(time.perf_counter() - replying, 2)
            wait_until(lambda: runner.step in (Step.DONE, Step.IDLE), "follow-ups done")
        out["follow_up"] = bool(result.follow_ups)
        # Replay: P plays the recording; a second after sound starts, P pauses it.
        self.player_started, self.played_to = False, 0.0
        self.press("p")
        wait_until(lambda: self.player_started and self.played_to >= 1.0, "replay")
        self.press("p")
        wait_until(lambda: not self.services.player.is_playing(), "replay paused")
        out["round_s"] = round(time.perf_counter() - started, 2)
        out["rss_mb"] = rss_mb()
        return out

    def recover(self) -> None:
        """After a hang: drop what is under way and go back to the list, so the next round can start."""
        self.runner.stop()
        self.practice.abandon()
        self.services.player.stop()
        self.window.show_questions()


def _open(app: QApplication) -> MainWindow:
    """As ui/application.py's run(): the window first, the history opened on a worker, then the
    services attached and the models loaded in the background."""
    from app.services import OpenedHistory, Services, open_history
    from ui.application import startup_notices

    loaded = load_bank_or_builtin(paths.user_bank_path())
    window = MainWindow(loaded, notices=startup_notices())
    window.resize(1200, 860)
    window.show()
    ready: list[str] = []

    def attach(opened: object) -> None:
        services = Services.create(loaded.bank, opened=cast(OpenedHistory, opened))
        window.attach_services(services)
        services.practice.error.connect(
            lambda m: print(f"[soak] app error: {m}", file=sys.stderr, flush=True)
        )
        services.start_background_loading(lambda: ready.append("ready"))

    run_task(open_history, attach, lambda m: ready.append(f"failed: {m}"))
    wait_until(lambda: bool(ready), "practice ready", 300)
    if ready[0] != "ready":
        raise RuntimeError(f"practice could not start: {ready[0]}")
    window.activateWindow()
    wait_until(window.isActiveWindow, "window active")  # keys reach only the active window
    return window


def drive(rounds: int, progress_path: Path) -> None:
    """Entry point of the app process (bench/soak.py starts it)."""
    faulthandler.enable(all_threads=True)
    # Answers at once, one follow-up each: a round is ~15 s of practice.
    Settings(think_seconds=0, follow_ups=1, target_seconds=90).save()
    app = make_app([sys.argv[0]])  # as the app makes it: names, and the collector on this thread
    with progress_path.open("a", encoding="utf-8") as progress:

        def write(record: dict[str, Any]) -> None:
            progress.write(json.dumps(record) + "\n")
            progress.flush()

        window = _open(app)
        write(
            {
                "event": "ready",
                "rss_mb": rss_mb(),
                "pid": os.getpid(),
                "collector_on_gui_thread": not gc.isenabled(),
            }
        )
        driver = Driver(window, progress)
        for n in range(1, rounds + 1):
            try:
                write(driver.round(n))
            except Hang as e:
                print(f"[soak] round {n}: no signal for {e} within {STEP_TIMEOUT_S:.0f} s", file=sys.stderr)
                faulthandler.dump_traceback(all_threads=True)
                write({"round": n, "hang": str(e), "rss_mb": rss_mb()})
                driver.recover()
        window.close()
    app.processEvents()
