"""One STAR Coach per data folder, and a polite end on SIGTERM.

Two windows on one history once saved an attempt without its recording; a second launch now brings the
first window forward and ends. SIGTERM (a logout, `kill`) ended the app without its shutdown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT


def _log(home: Path) -> str:
    logs = list((home / "logs").glob("*.log"))
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)


def _wait_for_log(home: Path, text: str, proc: subprocess.Popen[str]) -> None:
    """Until the app writes `text` to its log (state, not a set time); fails if the app died."""
    deadline = time.monotonic() + 60
    while text not in _log(home):
        assert proc.poll() is None, f"the app exited with {proc.returncode}"
        assert time.monotonic() < deadline, f"the log never said {text!r}:\n{_log(home)}"
        time.sleep(0.05)


def test_a_second_launch_brings_the_first_forward_and_sigterm_quits_cleanly(star_home: Path) -> None:
    env = {**os.environ, "STAR_COACH_HOME": str(star_home)}
    first = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env, text=True, stderr=subprocess.PIPE
    )
    try:
        _wait_for_log(star_home, "listening for a second launch", first)
        second = subprocess.run(
            [sys.executable, str(ROOT / "main.py")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert "already running: its window was brought forward" in second.stderr
        _wait_for_log(star_home, "brought forward by a second launch", first)
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, err  # an orderly exit, not death by the signal (-15)
    assert "Traceback" not in err
    # and the lock went with it: the next launch is a first one again
    assert not (star_home / "data" / "star-coach.lock").exists()
