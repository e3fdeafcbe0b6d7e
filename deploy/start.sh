#!/usr/bin/env bash
# One command for several app processes behind HAProxy (sticky sessions, websockets), sharing
# the store: sets up the venv, installs Debian's HAProxy if missing, then runs deploy/cluster.py.
#   bash deploy/start.sh                     # 2 processes on http://127.0.0.1:8501, SQLite store
#   PACTE_HLM_DB_URL=postgresql://u:p@host/base bash deploy/start.sh --apps 4 --bind 0.0.0.0
#   bash deploy/start.sh --local-postgres    # trial with a throwaway PostgreSQL (needs it installed)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
if ! command -v haproxy >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q haproxy
fi
exec .venv/bin/python deploy/cluster.py "$@"
