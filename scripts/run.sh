#!/usr/bin/env bash
# Installs what STAR Coach needs and is missing, then starts it (arguments go to main.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
setup_app
exec .venv/bin/python main.py "$@"
