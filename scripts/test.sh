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
# One process for the whole suite, end-to-end files included, as one evening's practice is one
# process (they ran apart until the collector's fix, app/core/collector.py).
echo "[test] pytest" >&2
$PY -m pytest "$@"
