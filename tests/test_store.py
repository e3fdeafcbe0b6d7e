"""SQLite scenario store: round trip, persistence across connections, atomicity, migrations."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from lib import store
from lib.errors import DataError


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "sub" / "test.sqlite3"
    monkeypatch.setenv(store.ENV_VAR, str(path))
    return path


def test_env_var_sets_the_path(db):
    assert store.db_path() == db
    store.list_scenarios()
    assert db.exists()


def test_default_path_is_under_root_var(monkeypatch):
    monkeypatch.delenv(store.ENV_VAR, raising=False)
    assert store.db_path() == store.ROOT / "var" / "pacte_hlm.sqlite3"


def test_save_list_load_round_trip(db):
    payload = {"params": {"aide_zone_1_1bis_eur": 3500.0}, "annee": 2013, "libellé": "été"}
    store.save_scenario("  Mon   scénario ", payload)
    names = [s.name for s in store.list_scenarios()]
    assert names == ["Mon scénario"]
    assert store.load_scenario("Mon scénario").payload == payload


def test_same_name_is_not_overwritten_without_confirmation(db):
    """The store is shared: another user's scenario of the same name is never replaced silently."""
    store.save_scenario("A", {"v": 1})
    with pytest.raises(store.NameConflict, match="existe déjà") as info:
        store.save_scenario(" A ", {"v": 2})  # default: no overwrite
    assert info.value.name == "A" and isinstance(info.value, DataError)
    assert store.load_scenario("A").payload == {"v": 1}
    store.save_scenario("A", {"v": 3}, overwrite=True)  # after the user's « Remplacer »
    assert store.load_scenario("A").payload == {"v": 3}
    assert len(store.list_scenarios()) == 1


def test_clean_name_is_shared_with_the_datasets_store():
    from lib import datasets_store

    assert not hasattr(datasets_store, "_clean_name")
    assert store.clean_name("  a   b ") == "a b"
    with pytest.raises(DataError, match="trop long"):
        store.clean_name("x" * (store.NAME_MAX + 1))
    with pytest.raises(DataError, match="Donnez un nom au jeu de données"):
        store.clean_name("  ", "au jeu de données")


def test_datasets_table_is_a_migration(db):
    conn = store.connect()
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"scenarios", "imported_datasets"} <= tables
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS) >= 2
    finally:
        conn.close()


def test_old_database_with_the_datasets_table_keeps_working(db):
    """Before migration 2, lib/datasets_store.py created imported_datasets itself (version 1)."""
    from lib import datasets_store

    db.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as raw:
        raw.executescript(store.MIGRATIONS[0])
        raw.execute(
            "CREATE TABLE IF NOT EXISTS imported_datasets (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
            "name TEXT NOT NULL, level TEXT NOT NULL DEFAULT '', source_file TEXT NOT NULL DEFAULT '', "
            "loaded_at TEXT NOT NULL, saved_at TEXT NOT NULL, n_rows INTEGER NOT NULL, "
            "warnings TEXT NOT NULL DEFAULT '[]', frame TEXT NOT NULL, UNIQUE (kind, name))"
        )
        raw.execute(
            "INSERT INTO imported_datasets(kind, name, loaded_at, saved_at, n_rows, frame) "
            "VALUES ('objectifs', 'ancien', '2015-01-01T00:00:00', '2015-01-01T00:00:00', 0, '{}')"
        )
        raw.execute("PRAGMA user_version = 1")
    raw.close()
    assert [s.name for s in datasets_store.list_datasets()] == ["ancien"]
    conn = store.connect()
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
    finally:
        conn.close()


def test_survives_a_new_connection_and_delete(db):
    store.save_scenario("B", {"x": 1})
    with sqlite3.connect(db) as raw:  # an independent reader sees the committed row
        assert raw.execute("SELECT count(*) FROM scenarios").fetchone()[0] == 1
    assert store.delete_scenario("B")
    assert not store.delete_scenario("B")
    with pytest.raises(DataError, match="introuvable"):
        store.load_scenario("B")


def test_invalid_payload_or_name_is_refused_and_nothing_is_written(db):
    with pytest.raises(DataError):
        store.save_scenario("nan", {"x": float("nan")})
    with pytest.raises(DataError, match="nom"):
        store.save_scenario("   ", {})
    assert store.list_scenarios() == []


def test_failed_write_rolls_back(db, monkeypatch):
    store.save_scenario("keep", {"x": 1})
    conn = store.connect()
    try:
        with pytest.raises(sqlite3.IntegrityError):
            with conn:
                conn.execute("UPDATE scenarios SET payload = '{\"x\": 2}' WHERE name = 'keep'")
                conn.execute(
                    "INSERT INTO scenarios(name, payload, created_at, updated_at) VALUES ('keep', '{}', 'a', 'a')"
                )
    finally:
        conn.close()
    assert store.load_scenario("keep").payload == {"x": 1}


def test_migrations_are_idempotent_and_extensible(db, monkeypatch):
    conn = store.connect()
    assert store.init_db(conn) == len(store.MIGRATIONS)
    conn.close()
    extra = store.MIGRATIONS + ("CREATE TABLE datasets (id INTEGER PRIMARY KEY, name TEXT);",)
    monkeypatch.setattr(store, "MIGRATIONS", extra)
    conn = store.connect()
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(extra)
        conn.execute("INSERT INTO datasets(name) VALUES ('x')")
    finally:
        conn.close()
    store.save_scenario("still", {"ok": True})
    assert store.load_scenario("still").payload == {"ok": True}


def _writer(path: str, i: int) -> None:
    import os

    os.environ[store.ENV_VAR] = path
    for j in range(20):
        store.save_scenario(f"p{i}-{j}", {"i": i, "j": j})


def test_concurrent_writers_lose_nothing(db):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(db), i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(store.list_scenarios()) == 60
