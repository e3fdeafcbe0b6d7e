#!/usr/bin/env bash
# One command: set up everything the tests need (venv, test tools, Debian's Chromium, PostgreSQL,
# HAProxy) and run the whole suite, browser tests included, offline. The store tests and one
# browser journey run on both backends: a throwaway PostgreSQL cluster is started here on
# loopback (deploy/local_postgres.py) and stopped at the end. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh --dev

# the tests choose their stores themselves: never the developer's configured one
unset PACTE_HLM_DB PACTE_HLM_DB_URL
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/pacte-pg-XXXXXX")
trap '.venv/bin/python deploy/local_postgres.py stop "$pg_dir" || true' EXIT
if url=$(.venv/bin/python deploy/local_postgres.py start "$pg_dir"); then
  export PACTE_HLM_TEST_PG_URL="$url"
  echo "PostgreSQL de test démarré sur 127.0.0.1 (dossier $pg_dir)."
else
  echo "PostgreSQL n'a pas pu démarrer (message ci-dessus) : les tests PostgreSQL vont échouer." >&2
fi
.venv/bin/python -m pytest "$@"
