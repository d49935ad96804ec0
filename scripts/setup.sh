#!/usr/bin/env bash
# Installs what STAR Coach needs and is missing: Debian packages (as root, else with sudo, else it
# prints the apt line to run and stops) and a virtual environment in .venv pinned by constraints.txt.
# Sourced by run.sh and test.sh; `setup.sh --test` also installs what the tests need.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${STAR_COACH_VENV:-$ROOT/.venv}

# What the PySide6 wheels, QtMultimedia (libpulse0) and pyttsx3 (libespeak-ng1) load at run time.
APP_DEBS=(libgl1 libegl1 libfontconfig1 fonts-dejavu-core libdbus-1-3 libglib2.0-0 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libpulse0 libespeak-ng1)
# What the tests add: a virtual screen, a PulseAudio server with a virtual microphone, speech to feed it,
# key presses sent through the X server, and strace to prove a practice opens no network connection.
TEST_DEBS=(xvfb xauth pulseaudio pulseaudio-utils espeak-ng sox xdotool strace)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

missing_debs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

ensure_debs() {
  command -v dpkg-query >/dev/null || { log "not a Debian-like system: install the equivalents of: $*"; return 0; }
  local need
  mapfile -t need < <(missing_debs "$@")
  [ ${#need[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${need[*]}"
  local apt=(apt-get install -y -q --no-install-recommends "${need[@]}")
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  elif command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/dev/null
  else
    log "these Debian packages are missing and I cannot install them without root. Run:"
    echo "  sudo apt-get install -y ${need[*]}"
    exit 1
  fi
}

find_python() {
  local py
  for py in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
    [ -n "$py" ] && command -v "$py" >/dev/null || continue
    if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  log "Python 3.11 or newer is needed (Debian 12: sudo apt-get install -y python3 python3-venv)"
  exit 1
}

ensure_venv() {
  local extras=$1 py stamp want have
  py=$(find_python)
  if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
    ensure_debs python3-venv
  fi
  [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$py" -m venv "$VENV"; }
  # Re-install only when the declared dependencies or the pins changed.
  stamp=$VENV/.star-coach-installed
  want="$extras $(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -c1-16)"
  have=$(cat "$stamp" 2>/dev/null || true)
  # The test extras include everything the app needs: run.sh after test.sh installs nothing.
  if [ "$have" != "$want" ] && [ "$have" != "[dev]${want#"$extras"}" ]; then
    log "installing Python packages into $VENV (the first time downloads about 300 MB)"
    local pip_log=$VENV/pip-install.log
    if ! { "$VENV/bin/python" -m pip install -q --upgrade pip &&
      "$VENV/bin/python" -m pip install -q -c "$ROOT/constraints.txt" -e "$ROOT$extras"; } >"$pip_log" 2>&1; then
      cat "$pip_log" >&2
      log "installing Python packages failed (full log above, also in $pip_log)"
      exit 1
    fi
    echo "$want" > "$stamp"
  fi
}

# The app's modules byte-compiled, as pip does on install: where PYTHONDONTWRITEBYTECODE is set, a launch
# from the checkout compiled them all from source every time (~0.15 s of start-up). Up-to-date files are skipped.
compile_app() { "$VENV/bin/python" -m compileall -q "$ROOT/app" "$ROOT/ui" "$ROOT/main.py" >/dev/null || true; }

setup_app() { ensure_debs "${APP_DEBS[@]}"; ensure_venv ""; compile_app; }
setup_test() { ensure_debs "${APP_DEBS[@]}" "${TEST_DEBS[@]}"; ensure_venv "[dev]"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    --test) setup_test ;;
    "") setup_app ;;
    *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
  esac
fi
