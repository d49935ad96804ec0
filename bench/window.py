"""The real window's times: launch to practice ready, the live transcript's lag behind speech, and Stop
to the feedback on screen, for a 2-minute answer spoken into the virtual microphone.

The app is started as `main.py` starts it (ui.application.run, in a process of its own); a driver in that
process presses Record and Stop on the practice screen as a person would, and notes when the live
transcript's text changes and when the feedback screen first paints. When each word was spoken comes
from the clip transcribed whole, beforehand, so the two transcriptions do not share the CPU.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.common import ROOT, Figures, compiled_as_installed

if TYPE_CHECKING:
    from ui.main_window import MainWindow

CLIP = ROOT / "tests" / "data" / "audio" / "window_answer.flac"  # 118 s, a natural voice (Piper)
QUESTION = "q08"
LEAD_S = 0.5  # recording time before the person starts speaking
STOP_AFTER_S = 0.3  # from the end of the speech to Stop


def _norm(text: str) -> list[str]:
    return [w for w in ("".join(c for c in t.lower() if c.isalnum() or c == "'") for t in text.split()) if w]


def spoken_words(clip: Path) -> list[tuple[str, float]]:
    """Each word of the clip and when it ended (seconds from the clip's start)."""
    from app.speech.audio import decode_audio
    from app.speech.transcribe import WhisperTranscriber

    engine = WhisperTranscriber()
    transcript = engine.transcribe(decode_audio(clip))
    return [(n, w.end) for w in transcript.words for n in _norm(w.text)]


def lags(spoken: list[tuple[str, float]], shown: list[tuple[float, str]]) -> list[float]:
    """For each spoken word: when the screen first showed it (and everything before it) minus when it
    was said. Matched in order, by runs of at least two words, so a provisional guess that is later
    corrected still counts from when the place was first filled; only against the words said by then,
    so a phrase said twice ("the dashboards") is not taken for its later saying."""
    ref = [w for w, _ in spoken]
    appeared: list[float | None] = [None] * len(ref)
    reached = 0
    for t, text in shown:
        said = [w for w, end in spoken if end <= t]
        blocks = SequenceMatcher(None, said, _norm(text), autojunk=False).get_matching_blocks()
        covered = max((a + n for a, _, n in blocks if n >= 2), default=0)
        for i in range(reached, covered):
            appeared[i] = t
        reached = max(reached, covered)
    return [a - end for a, (_, end) in zip(appeared, spoken, strict=True) if a is not None]


def bench_window() -> Figures:
    """One practice in the real window; see the module docstring."""
    if (
        subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True).stdout.find(
            "mic_feed"
        )
        < 0
    ):
        return {"window_error": "needs the virtual microphone (scripts/headless.sh)"}
    spoken = spoken_words(CLIP)
    load_before = os.getloadavg()[0]
    reference = CLIP.with_suffix(".txt").read_text(encoding="utf-8")
    compiled_as_installed()
    with tempfile.TemporaryDirectory(prefix="star-coach-window-") as home:
        env = {**os.environ, "STAR_COACH_HOME": home, "STAR_COACH_STARTUP_PROBE": "1"}
        # A first launch trains the labeller and checks the model's hash: a day's later launches, which
        # the figure is about (as in bench.startup), find both in the data folder.
        subprocess.run([sys.executable, str(ROOT / "main.py")], env=env, capture_output=True, timeout=120)
        code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.window import drive; drive()"
        marks: dict[str, float] = {}
        result: dict[str, Any] = {}
        start = time.perf_counter()
        with subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.strip() in ("window-shown", "practice-ready"):
                    marks[line.strip()] = time.perf_counter() - start
                elif line.startswith("WINDOW-RESULT "):
                    result = json.loads(line.removeprefix("WINDOW-RESULT "))
                elif line.startswith("practice-failed"):
                    return {"window_error": line.strip()}
            proc.wait(timeout=60)
    if not result:
        return {"window_error": "the app exited before the answer's feedback was shown"}
    if raw := os.environ.get("STAR_COACH_BENCH_RAW"):  # what the screen showed, when: for a closer look
        Path(raw).write_text(json.dumps({"spoken": spoken, **result}), encoding="utf-8")
    from bench.wer import word_error_rate

    lag = lags(spoken, [(t, text) for t, text in result["shown"]])
    return {
        "window_practice_ready_s": round(marks.get("practice-ready", -1.0), 3),
        "window_shown_s": round(marks.get("window-shown", -1.0), 3),
        "live_lag_s_median": round(statistics.median(lag), 2) if lag else None,
        "live_lag_s_p90": round(statistics.quantiles(lag, n=10)[-1], 2) if len(lag) > 10 else None,
        "live_lag_s_max": round(max(lag), 2) if lag else None,
        "live_words_shown": f"{len(lag)}/{len(spoken)}",
        "live_screen_updates": len(result["shown"]),
        "feedback_after_stop_s": round(result["feedback_painted"] - result["stop"], 3),
        # Where the time after Stop goes: the recording closed, the last stretch transcribed, the
        # analysis done (and the save begun), the feedback handed to the screen.
        **{
            f"after_stop_{part}_s": round(result[part] - result["stop"], 3)
            for part in ("recorded", "analysing", "done")
            if part in result
        },
        "feedback_after_stop_s_session": round(result["session_stop_to_feedback"], 3),
        "stop_to_transcript_s_window": round(result["stop_to_transcript"], 3),
        "wer_window_answer": round(word_error_rate(reference, result["final_text"]), 3),
        "cpu_share_while_speaking": round(result["cpu_s"] / result["speaking_s"] / (os.cpu_count() or 1), 3),
        "window_recorder_warnings": len(result["warnings"]),
        # Python's collector on the GUI thread (app/core/collector.py): how often, its longest pause.
        "collector_runs": result["collector"]["collections"],
        "collector_longest_ms": round(1000 * result["collector"]["longest_s"], 1),
        "collector_total_ms": round(1000 * result["collector"]["total_s"], 1),
        "collector_handed_to_qt": result["collector"]["handed_to_qt"],
        # Other programs' load (1-minute average, before and after): the times above depend on it.
        "window_load_avg": f"{load_before:.1f}-{os.getloadavg()[0]:.1f}",
    }


def drive() -> None:
    """The app's own process: `ui.application.run`, with a driver once practice is ready."""
    from ui.application import run

    sys.exit(run([], driver=_start))


def _start(window: MainWindow) -> None:
    _driver_class()(window)  # the window, its parent, keeps it


def _driver_class() -> type:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from app.practice.session import Phase

    class Driver(QObject):
        """Presses Record once the question has been read, speaks the clip, presses Stop after it."""

        def __init__(self, window: MainWindow) -> None:
            super().__init__(window)
            assert window.services is not None and window.practice_view is not None
            assert window.feedback_view is not None
            self.window, self.view = window, window.practice_view
            self.practice = window.services.practice
            self.out: dict[str, Any] = {"shown": [], "warnings": []}
            self.t0 = 0.0  # the clip starts playing
            self.player: subprocess.Popen[bytes] | None = None
            self.poll = QTimer(self)
            self.poll.timeout.connect(self._poll)
            self.view.live.textChanged.connect(self._text)
            self.practice.phaseChanged.connect(self._phase)
            self.practice.elapsed.connect(self._elapsed)
            self.practice.warning.connect(self.out["warnings"].append)
            self.practice.finished.connect(self._finished)
            self.practice.answer.finished.connect(self._transcribed)
            self.practice.answer.recorder.finished.connect(lambda _r: self._mark("recorded"))
            window.feedback_view.installEventFilter(self)
            window.practise(QUESTION)

        def _mark(self, what: str) -> None:
            if "stop" in self.out:
                self.out.setdefault(what, time.perf_counter() - self.t0)

        def _phase(self, phase: Phase) -> None:
            if phase in (Phase.ANALYSING, Phase.DONE):
                self._mark(phase.name.lower())
            if phase in (Phase.THINKING, Phase.READY) and "record" not in self.out:
                self.out["record"] = time.perf_counter()
                self.view.record.click()

        def _elapsed(self, seconds: float) -> None:
            if self.player is None and self.practice.phase is Phase.RECORDING and seconds >= LEAD_S:
                self.player = subprocess.Popen(["paplay", "--device=mic_feed", str(CLIP)])
                self.t0 = time.perf_counter()
                self.cpu0 = time.process_time()
                self.poll.start(50)

        def _poll(self) -> None:
            if self.player is not None and self.player.poll() is not None:
                self.poll.stop()
                QTimer.singleShot(int(STOP_AFTER_S * 1000), self._stop)

        def _stop(self) -> None:
            self.out["cpu_s"] = time.process_time() - self.cpu0
            self.out["speaking_s"] = time.perf_counter() - self.t0
            self.out["stop"] = time.perf_counter() - self.t0
            self.view.record.click()

        def _text(self) -> None:
            if self.t0:
                self.out["shown"].append((time.perf_counter() - self.t0, self.view.live.toPlainText()))

        def _transcribed(self, result: object) -> None:
            self.out["stop_to_transcript"] = getattr(result, "stop_to_transcript_s", -1.0)

        def _finished(self, result: object) -> None:
            self.out["session_stop_to_feedback"] = getattr(result, "stop_to_feedback_s", -1.0)
            self.out["final_text"] = getattr(getattr(result, "transcript", None), "text", "")

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and "stop" in self.out
                and "feedback_painted" not in self.out
            ):
                self.out["feedback_painted"] = time.perf_counter() - self.t0
                QTimer.singleShot(0, self._report)
            return False

        def _report(self) -> None:
            self.out["shown"] = [(round(t, 3), text) for t, text in self.out["shown"]]
            self.out.setdefault("final_text", "")
            self.out.setdefault("session_stop_to_feedback", -1.0)
            from dataclasses import asdict

            from app.core import collector

            self.out["collector"] = asdict(collector.stats)
            print("WINDOW-RESULT " + json.dumps(self.out), flush=True)
            self.window.close()

    return Driver
