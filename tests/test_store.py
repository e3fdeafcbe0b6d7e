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


def test_overwrite_and_refuse_duplicates(db):
    store.save_scenario("A", {"v": 1})
    store.save_scenario("A", {"v": 2})
    assert store.load_scenario("A").payload == {"v": 2}
    with pytest.raises(DataError, match="existe déjà"):
        store.save_scenario("A", {"v": 3}, overwrite=False)
    assert store.load_scenario("A").payload == {"v": 2}


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
