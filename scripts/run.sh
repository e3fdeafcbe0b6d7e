#!/usr/bin/env bash
# One command: set up everything and start the dashboard on http://localhost:8501 with its
# embedded default data. Extra arguments go to Streamlit (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
exec .venv/bin/python run.py --server.port "${PORT:-8501}" "$@"
