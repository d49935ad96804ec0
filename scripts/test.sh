#!/usr/bin/env bash
# Installs what the tests need and is missing, starts a virtual screen and a PulseAudio server with
# a virtual microphone, runs lint, type checks and the whole test suite, then stops both servers.
# Arguments go to pytest (e.g. scripts/test.sh -k bank).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
setup_test
source scripts/headless.sh
trap stop_headless EXIT
start_headless
echo "[test] display $DISPLAY, PulseAudio at $XDG_RUNTIME_DIR/pulse/native" >&2

# Tests that need the screen or the microphone fail rather than skip when this is set.
export STAR_COACH_REQUIRE_DEVICES=1
# A hidden model download must fail at once, not hang.
export HF_HUB_OFFLINE=1

PY=.venv/bin/python
echo "[test] ruff check" >&2;        $PY -m ruff check .
echo "[test] ruff format --check" >&2; $PY -m ruff format --check .
echo "[test] mypy (app, ui, bench)" >&2; $PY -m mypy
# The end-to-end files (the whole app, speaking and listening for minutes) each run in a process of
# their own again. After the collector's fix (app/core/collector.py) the whole suite in one process
# passed 4 runs, then segfaulted in 2 of the next 2 (2026-12-07, fresh clones at 23f527e): both in
# test_loop_e2e, in Qt's event loop, as the first question was read aloud, with no Python thread in
# the collector; those files alone, and the real app over 3 x 150 + 40 soak rounds, never crashed.
# This keeps CI from failing on that crash; it does not fix it (open until it has a native stack).
E2E=(tests/test_practice_e2e.py tests/test_follow_up_e2e.py tests/test_loop_e2e.py)
if [ $# -eq 0 ]; then
    echo "[test] pytest, then each end-to-end file in its own process" >&2
    $PY -m pytest $(printf -- '--ignore=%s ' "${E2E[@]}")
    for f in "${E2E[@]}"; do $PY -m pytest "$f"; done
else
    echo "[test] pytest" >&2
    $PY -m pytest "$@"
fi
