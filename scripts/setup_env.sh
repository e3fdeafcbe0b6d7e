#!/usr/bin/env bash
# Create .venv (Python 3.11) and install the pinned requirements; with --dev, also the test tools,
# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser of its own), Debian's PostgreSQL server (the tests start a throwaway cluster
# of their own: no system cluster is created or started) and HAProxy (the several-process
# deployment, deploy/). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1; then PY=$cand; break; fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.11 introuvable : installez python3.11 (apt-get install python3.11 python3.11-venv)." >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi

req=requirements.txt
[ "${1:-}" = "--dev" ] && req=requirements-dev.txt
stamp=".venv/.installed-$(basename "$req")-$(cat requirements*.txt | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  touch "$stamp"
fi

if [ "${1:-}" = "--dev" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  apt_install() {
    [ -n "${apt_updated:-}" ] || { $SUDO apt-get update -q; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@"
  }
  [ -x /usr/bin/chromium ] || apt_install chromium
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    # no system cluster: the tests initdb their own, under a temporary folder, on a free port
    apt_install postgresql-common
    $SUDO sed -i 's/^#* *create_main_cluster *=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
    apt_install postgresql
  fi
  command -v haproxy >/dev/null 2>&1 || apt_install haproxy
fi
