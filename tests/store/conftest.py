"""Fixtures of the store tests: each runs against an SQLite file and a PostgreSQL database
(see support.py for where PostgreSQL comes from)."""

from __future__ import annotations

import pytest

from lib.store import backend
from tests.store import support

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_admin_url():
    with support.pg_cluster() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    """The location of an empty store on each backend: an SQLite path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "sub" / "store.sqlite3")
        return
    with support.pg_database(request.getfixturevalue("pg_admin_url")) as url:
        yield url


@pytest.fixture
def db(store_url, monkeypatch):
    """The configured store (what the pages use) is ``store_url``."""
    if "://" in store_url:
        monkeypatch.setenv(backend.URL_ENV_VAR, store_url)
        monkeypatch.delenv(backend.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(backend.ENV_VAR, store_url)
        monkeypatch.delenv(backend.URL_ENV_VAR, raising=False)
    return store_url


@pytest.fixture
def quick_timeouts(monkeypatch):
    """Bounded waits short enough for a test (the production values are seconds)."""
    monkeypatch.setattr(backend, "READ_TIMEOUT_S", 0.5)
    monkeypatch.setattr(backend, "WRITE_TIMEOUT_S", 0.5)


@pytest.fixture
def writable_again(tmp_path):
    """``tmp_path``, its permissions given back at the end (a test may make it read-only)."""
    yield tmp_path
    support.restore_permissions(tmp_path)
