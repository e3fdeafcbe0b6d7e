"""Scenario store on both backends: round trip, persistence across connections, atomicity,
migrations, concurrent writers; and where the store is configured."""

from __future__ import annotations

import multiprocessing
import sqlite3
import sys

import pytest
from sqlalchemy import text

from lib import store
from lib.errors import DataError
from lib.store import backend, schema


def test_env_var_sets_the_sqlite_path(tmp_path, monkeypatch):
    db = tmp_path / "sub" / "test.sqlite3"
    monkeypatch.setenv(store.ENV_VAR, str(db))
    monkeypatch.delenv(store.URL_ENV_VAR, raising=False)
    assert store.db_path() == db
    store.list_scenarios()
    assert db.exists()


def test_default_path_is_under_root_var(monkeypatch):
    monkeypatch.delenv(store.ENV_VAR, raising=False)
    monkeypatch.delenv(store.URL_ENV_VAR, raising=False)
    assert store.db_path() == store.ROOT / "var" / "pacte_hlm.sqlite3"
    assert store.db_url().database == str(store.ROOT / "var" / "pacte_hlm.sqlite3")


def test_database_url_selects_the_backend(monkeypatch, tmp_path):
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "ignored.sqlite3"))
    monkeypatch.setenv(store.URL_ENV_VAR, "postgresql://u:secret@db.example:5433/pacte")
    url = store.db_url()
    assert (url.drivername, url.host, url.port, url.database) == ("postgresql+psycopg", "db.example", 5433, "pacte")
    assert "secret" not in backend.describe(url)  # what the server log shows
    monkeypatch.setenv(store.URL_ENV_VAR, f"sqlite:///{tmp_path}/other.sqlite3")
    assert store.db_url().database == f"{tmp_path}/other.sqlite3"


def test_unsupported_url_is_a_french_error_without_the_url(monkeypatch):
    monkeypatch.setenv(store.URL_ENV_VAR, "mysql://u:secret@db.example/pacte")
    with pytest.raises(store.StoreUnavailable) as info:
        store.list_scenarios()
    assert "inaccessible" in str(info.value) and "secret" not in str(info.value) and "mysql" not in str(info.value)


def test_save_list_load_round_trip(db):
    payload = {"params": {"aide_zone_1_1bis_eur": 3500.0}, "annee": 2013, "libellé": "été"}
    store.save_scenario("  Mon   scénario ", payload)
    names = [s.name for s in store.list_scenarios()]
    assert names == ["Mon scénario"]
    assert store.load_scenario("Mon scénario").payload == payload


def test_explicit_location_beats_the_configured_one(db, store_url, tmp_path):
    other = tmp_path / "other.sqlite3"
    store.save_scenario("ailleurs", {"v": 1}, path=other)
    assert [s.name for s in store.list_scenarios(path=other)] == ["ailleurs"]
    assert store.list_scenarios() == []


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
    with store.read() as conn:
        if conn.dialect.name == "sqlite":
            tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        else:
            tables = {r[0] for r in conn.exec_driver_sql("SELECT tablename FROM pg_tables")}
        assert {"scenarios", "imported_datasets"} <= tables
        assert schema.version(conn) == len(store.MIGRATIONS) >= 2


def test_old_sqlite_database_with_the_datasets_table_keeps_working(tmp_path, monkeypatch):
    """Before migration 2, lib/datasets_store.py created imported_datasets itself (version 1)."""
    from lib import datasets_store

    db = tmp_path / "old.sqlite3"
    monkeypatch.setenv(store.ENV_VAR, str(db))
    monkeypatch.delenv(store.URL_ENV_VAR, raising=False)
    with sqlite3.connect(db) as raw:
        raw.executescript(";".join(schema.statements(1, "sqlite")))
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
    with store.read() as conn:
        assert schema.version(conn) == len(store.MIGRATIONS)


def test_survives_a_new_connection_and_delete(db, store_url):
    store.save_scenario("B", {"x": 1})
    backend.dispose_all()  # an independent connection (new pool) sees the committed row
    with store.read(store_url) as conn:
        assert conn.execute(text("SELECT count(*) FROM scenarios")).scalar() == 1
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


def test_failed_write_rolls_back(db):
    store.save_scenario("keep", {"x": 1})
    with pytest.raises(store.StoreError):
        with store.write() as conn:
            conn.execute(text("UPDATE scenarios SET payload = '{\"x\": 2}' WHERE name = 'keep'"))
            conn.execute(text("INSERT INTO scenarios(name, payload, created_at, updated_at) "
                              "VALUES ('keep', '{}', 'a', 'a')"))
    assert store.load_scenario("keep").payload == {"x": 1}


def test_an_error_in_the_block_rolls_back_too(db):
    store.save_scenario("keep", {"x": 1})
    with pytest.raises(ZeroDivisionError):
        with store.write() as conn:
            conn.execute(text("DELETE FROM scenarios"))
            1 / 0  # noqa: B018
    assert [s.name for s in store.list_scenarios()] == ["keep"]


def test_hand_edited_row_is_left_out_of_the_list_and_refused_on_load(db):
    store.save_scenario("bon", {"x": 1})
    store.save_scenario("abîmé", {"x": 2})
    with store.write() as conn:
        conn.execute(text("UPDATE scenarios SET payload = '{pas du json' WHERE name = 'abîmé'"))
    assert [s.name for s in store.list_scenarios()] == ["bon"]
    with pytest.raises(DataError, match="abîmé dans la base"):
        store.load_scenario("abîmé")


def test_migrations_are_idempotent_and_extensible(db, monkeypatch):
    with store.read() as conn:
        assert schema.version(conn) == len(store.MIGRATIONS)
    extra = schema.MIGRATIONS + ("CREATE TABLE datasets ({id}, name TEXT);",)
    monkeypatch.setattr(schema, "MIGRATIONS", extra)
    with store.write() as conn:
        assert schema.version(conn) == len(extra)
        conn.execute(text("INSERT INTO datasets(name) VALUES ('x')"))
    store.save_scenario("still", {"ok": True})
    assert store.load_scenario("still").payload == {"ok": True}


def test_processes_starting_together_migrate_once(store_url):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        versions = pool.map(_open_version, [store_url] * 4)
    assert versions == [len(store.MIGRATIONS)] * 4


def _open_version(location: str) -> int:
    with store.read(location) as conn:
        return schema.version(conn)


def _writer(location: str, i: int) -> None:
    for j in range(20):
        store.save_scenario(f"p{i}-{j}", {"i": i, "j": j}, path=location)


def test_concurrent_writers_lose_nothing(store_url):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(store_url, i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(store.list_scenarios(path=store_url)) == 60


def test_schema_checked_once_per_store_then_again_when_the_file_is_replaced(tmp_path, monkeypatch):
    """The saved scenarios are listed on every rerun: the schema is checked on the first unit of
    work only, and again for a file deleted or replaced under the running process."""
    db = tmp_path / "store.sqlite3"
    checks = []
    real_version = schema.version

    def version(conn):  # counts the checks made before a unit of work (not a listing's own look)
        if sys._getframe(1).f_code.co_name == "_ensure_schema":
            checks.append(1)
        return real_version(conn)

    monkeypatch.setattr(schema, "version", version)
    store.save_scenario("Avant", {"a_z1": 1}, path=db)
    assert checks  # the new store was checked (and migrated)
    checks.clear()
    for _ in range(5):
        assert [s.name for s in store.list_scenarios(path=db)] == ["Avant"]
    assert checks == []  # listings reuse what this process already checked

    db.unlink()  # deleted: the next listing finds an empty store, created afresh with its schema
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"store.sqlite3{suffix}").unlink(missing_ok=True)
    assert store.list_scenarios(path=db) == []
    assert checks
    store.save_scenario("Après", {"a_z1": 2}, path=db)

    other = tmp_path / "other.sqlite3"  # replaced by another store file, empty of any schema
    sqlite3.connect(other).close()
    other.replace(db)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"store.sqlite3{suffix}").unlink(missing_ok=True)
    assert store.list_scenarios(path=db) == []
    store.save_scenario("Encore", {"a_z1": 3}, path=db)
    assert [s.name for s in store.list_scenarios(path=db)] == ["Encore"]
