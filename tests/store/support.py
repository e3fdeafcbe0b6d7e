"""Helpers for the store tests on both backends, also used by the browser journey on both.

PostgreSQL is the throwaway cluster scripts/test.sh starts (``$PACTE_HLM_TEST_PG_URL``); when the
tests run without it (plain ``pytest``), one is started for the session (deploy/local_postgres.py).
When PostgreSQL is missing or does not start, the PostgreSQL tests fail with a French message:
they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import cluster  # noqa: E402, F401  (deploy/cluster.py, for the tests)
import local_postgres  # noqa: E402

PG_ENV = "PACTE_HLM_TEST_PG_URL"


@contextmanager
def pg_cluster() -> Iterator[str]:
    """The admin URL of a running PostgreSQL cluster on loopback (started here if need be)."""
    url = os.environ.get(PG_ENV)
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="pacte-pg-tests-")
    try:
        url = local_postgres.start(folder)
    except local_postgres.PostgresError as err:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"Tests PostgreSQL impossibles : {err}", pytrace=False)
    try:
        yield url
    finally:
        local_postgres.stop(folder)


@contextmanager
def pg_database(admin_url: str) -> Iterator[str]:
    """A new empty database on the cluster, dropped afterwards; yields its URL."""
    from lib.store import backend

    name = "t_" + uuid.uuid4().hex[:16]
    url = local_postgres.create_database(admin_url, name)
    try:
        yield url
    finally:
        backend.dispose_all()
        local_postgres.drop_database(admin_url, name)


# A read-only SQLite store. Root ignores file permissions, so as root the code under test runs in
# a child process without the capabilities that bypass them (setpriv, util-linux).

_NO_OVERRIDE = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


def unprivileged_prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv (util-linux) introuvable : impossible de tester une base en lecture seule en root.")
    return [setpriv, f"--bounding-set={_NO_OVERRIDE}", f"--inh-caps={_NO_OVERRIDE}"]


def make_read_only(folder: Path) -> None:
    """Nobody but root may write ``folder`` or its files any more."""
    for p in folder.rglob("*"):
        p.chmod(0o555 if p.is_dir() else 0o444)
    folder.chmod(0o555)


def restore_permissions(folder: Path) -> None:
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)


def run_python(code: str, env: dict, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter from the repository root, bound by file permissions."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PACTE_HLM_DB")}
    full_env.update({"PYTHONPATH": str(ROOT), **env})
    return subprocess.run([*unprivileged_prefix(), sys.executable, "-c", code], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
