#!/usr/bin/env bash
# One command: set up everything the tests need (venv, test tools, Debian's Chromium) and run the
# whole suite, browser tests included, offline. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh --dev
exec .venv/bin/python -m pytest "$@"
