#!/usr/bin/env bash
# A virtual screen (Xvfb) and a PulseAudio server with virtual speakers and a virtual microphone,
# private to this run and stopped by PID when it ends. Sourced by test.sh; also usable alone:
#   scripts/headless.sh COMMAND…   runs COMMAND with DISPLAY and PulseAudio set, then stops both.
# Tests "speak" with `paplay --device=mic_feed answer.wav` and hear the app on `speakers.monitor`.
set -euo pipefail

HEADLESS_PIDS=()
HEADLESS_DIR=""

stop_headless() {
  local p
  for p in "${HEADLESS_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${HEADLESS_PIDS[@]}"; do
    for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  HEADLESS_PIDS=()
  [ -n "$HEADLESS_DIR" ] && rm -rf "$HEADLESS_DIR"
  return 0
}

start_headless() {
  HEADLESS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/star-coach-headless.XXXXXX")
  local logs=${HEADLESS_LOGS:-$HEADLESS_DIR}

  # Xvfb picks a free display itself and writes its number to fd 3.
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$HEADLESS_DIR/display" >"$logs/xvfb.log" 2>&1 &
  HEADLESS_PIDS+=("$!")
  for _ in $(seq 100); do [ -s "$HEADLESS_DIR/display" ] && break; sleep 0.05; done
  [ -s "$HEADLESS_DIR/display" ] || { echo "Xvfb did not start: $(cat "$logs/xvfb.log")" >&2; return 1; }
  export DISPLAY=":$(tr -d '\n' < "$HEADLESS_DIR/display")"
  export QT_QPA_PLATFORM=xcb

  # A private PulseAudio: its socket lives in our own XDG_RUNTIME_DIR, so a desktop's server is untouched.
  export XDG_RUNTIME_DIR=$HEADLESS_DIR/xdg
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  cat > "$HEADLESS_DIR/virtual.pa" <<'PA'
load-module module-native-protocol-unix auth-anonymous=1
# Where the app plays; tests record speakers.monitor to prove sound came out.
load-module module-null-sink sink_name=speakers channels=2 rate=48000 norewinds=1 sink_properties=device.description=Virtual_Speakers
# What tests play into is what the app hears: the user talking.
load-module module-null-sink sink_name=mic_feed channels=1 rate=48000 norewinds=1 sink_properties=device.description=Virtual_Mic_Feed
# Qt hides *.monitor sources, so the feed's monitor is exposed as an ordinary microphone.
load-module module-remap-source source_name=virtual_mic master=mic_feed.monitor channels=1 source_properties=device.description=Virtual_Microphone
set-default-sink speakers
set-default-source virtual_mic
PA
  # norewinds=1 above: without it the first ~64 ms of speech were lost in measurements.
  pulseaudio --daemonize=no --exit-idle-time=-1 --disallow-exit --disable-shm=yes -n -F "$HEADLESS_DIR/virtual.pa" \
    --log-target=file:"$logs/pulse.log" --log-level=notice >/dev/null 2>&1 &
  HEADLESS_PIDS+=("$!")
  for _ in $(seq 100); do pactl info >/dev/null 2>&1 && break; sleep 0.05; done
  pactl info >/dev/null 2>&1 || { echo "PulseAudio did not start: $(cat "$logs/pulse.log" 2>/dev/null)" >&2; return 1; }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  [ $# -gt 0 ] || { echo "usage: scripts/headless.sh COMMAND…" >&2; exit 2; }
  trap stop_headless EXIT
  start_headless
  "$@"
fi
