"""The store when things go wrong, on both backends: read-only, locked, unreachable, damaged,
and processes killed with SIGKILL in the middle of saves. Users get French messages without
paths or addresses, what was saved stays readable where it can be, and nothing is half-written."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import text

from lib import datasets_store, store
from lib.store import backend
from tests.store import support

ENGLISH = ("database", "locked", "readonly", "read-only", "attempt", "unable", "sqlite", "error", "connection",
           "timeout", "permission", "postgres", "127.0.0.1")


def assert_french_and_private(err: BaseException, *secrets: str) -> None:
    msg = str(err)
    assert msg and msg[0].isupper() and msg.rstrip().endswith("."), msg
    for word in ENGLISH:
        assert word not in msg.lower(), (word, msg)
    for secret in secrets:
        assert secret not in msg, (secret, msg)
    assert "/" not in msg and "\\" not in msg, msg


def _seed(location: str) -> None:
    store.save_scenario("Avant la panne", {"values": {"a_z1": 3500}}, path=location)


# ---------------------------------------------------------------------------------------------
# Read-only store


READ_ONLY_PROBE = """
import json, os
from lib import datasets_store, store
out = {}
def attempt(key, f):
    try:
        out[key] = ["ok", f()]
    except Exception as e:
        out[key] = [type(e).__name__, str(e)]
attempt("list", lambda: [s.name for s in store.list_scenarios()])
attempt("load", lambda: store.load_scenario("Avant la panne").payload)
attempt("datasets", lambda: [d.name for d in datasets_store.list_datasets()])
attempt("save", lambda: store.save_scenario("Pendant la panne", {"values": {}}).name)
attempt("delete", lambda: store.delete_scenario("Avant la panne"))
print(json.dumps(out))
"""


@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_sqlite_store_lists_and_refuses_saves_in_french(writable_again, what):
    shared_tmp = writable_again
    db = shared_tmp / "var" / "store.sqlite3"
    _seed(str(db))
    if what == "folder":  # e.g. a volume mounted read-only: not even the -shm file can be created
        support.make_read_only(shared_tmp)
    else:  # the file alone is write-protected; its folder is writable
        db.chmod(0o444)
    done = support.run_python(READ_ONLY_PROBE, {"PACTE_HLM_DB": str(db)})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["list"] == ["ok", ["Avant la panne"]]
    assert out["load"] == ["ok", {"values": {"a_z1": 3500}}]
    assert out["datasets"] == ["ok", []]
    for action in ("save", "delete"):
        kind, msg = out[action]
        assert kind == "StoreReadOnly", out[action]
        assert "lecture seule" in msg and "restent consultables" in msg
        assert_french_and_private(RuntimeError(msg), str(db), str(shared_tmp))
    assert "Rien n'a été enregistré" in out["save"][1] and "Rien n'a été supprimé" in out["delete"][1]
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as raw:  # nothing changed
        assert [r[0] for r in raw.execute("SELECT name FROM scenarios")] == ["Avant la panne"]
    raw.close()


def test_read_only_postgresql_store_lists_and_refuses_saves_in_french(pg_admin_url):
    with support.pg_database(pg_admin_url) as url:
        _seed(url)
        db_name = url.rsplit("/", 1)[1]
        with store.write(url) as conn:  # as a hot standby or a database set read-only by its admin
            conn.execute(text(f'ALTER DATABASE "{db_name}" SET default_transaction_read_only = on'))
        backend.dispose_all()
        assert [s.name for s in store.list_scenarios(path=url)] == ["Avant la panne"]
        assert store.load_scenario("Avant la panne", path=url).payload == {"values": {"a_z1": 3500}}
        assert datasets_store.list_datasets(path=url) == []
        with pytest.raises(store.StoreReadOnly, match="lecture seule") as info:
            store.save_scenario("Pendant la panne", {}, path=url)
        assert_french_and_private(info.value, url, db_name)
        with pytest.raises(store.StoreReadOnly):
            store.delete_scenario("Avant la panne", path=url)
        assert [s.name for s in store.list_scenarios(path=url)] == ["Avant la panne"]


# ---------------------------------------------------------------------------------------------
# Locked store


def _hold_sqlite_lock(db: str, pragmas: str):
    holder = subprocess.Popen(
        [sys.executable, "-c", f"""
import sqlite3, sys, time
c = sqlite3.connect({db!r}, isolation_level=None)
c.executescript({pragmas!r})
c.execute('BEGIN EXCLUSIVE'); c.execute("UPDATE scenarios SET updated_at = updated_at")
print('locked', flush=True); sys.stdin.read()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def _release(holder) -> None:
    holder.kill()
    holder.wait(10)


def test_sqlite_store_locked_by_a_writer_lists_and_refuses_saves_in_french(tmp_path, quick_timeouts):
    store_url = str(tmp_path / "store.sqlite3")
    _seed(store_url)
    holder = _hold_sqlite_lock(store_url, "")
    try:
        # the wait is bounded by the store's busy timeout (made short by quick_timeouts): the
        # save returns with the message instead of hanging
        with pytest.raises(store.StoreBusy, match="occupée par une autre opération") as info:
            store.save_scenario("Pendant le verrou", {}, path=store_url)
        assert "Réessayez dans un instant" in str(info.value) and "Rien n'a été enregistré" in str(info.value)
        assert_french_and_private(info.value, store_url)
        assert [s.name for s in store.list_scenarios(path=store_url)] == ["Avant la panne"]  # WAL: readers go on
    finally:
        _release(holder)
    store.save_scenario("Après le verrou", {}, path=store_url)
    assert {s.name for s in store.list_scenarios(path=store_url)} == {"Avant la panne", "Après le verrou"}


def test_sqlite_store_locked_for_readers_too_says_so_in_french(tmp_path, quick_timeouts):
    db = str(tmp_path / "store.sqlite3")
    _seed(db)
    holder = _hold_sqlite_lock(db, "PRAGMA locking_mode=EXCLUSIVE;")
    try:
        with pytest.raises(store.StoreBusy, match="Lecture des enregistrements impossible") as info:
            store.list_scenarios(path=db)
        assert_french_and_private(info.value, db)
    finally:
        _release(holder)
    assert [s.name for s in store.list_scenarios(path=db)] == ["Avant la panne"]


def _hold_pg_lock(url: str, mode: str):
    import psycopg

    conn = psycopg.connect(url)
    conn.execute(f"LOCK TABLE scenarios IN {mode} MODE")
    return conn


def test_postgresql_store_locked_by_a_writer_lists_and_refuses_saves_in_french(pg_admin_url, quick_timeouts):
    with support.pg_database(pg_admin_url) as url:
        _seed(url)
        holder = _hold_pg_lock(url, "EXCLUSIVE")  # blocks writers, not readers
        try:
            with pytest.raises(store.StoreBusy, match="occupée") as info:
                store.save_scenario("Pendant le verrou", {}, path=url)
            assert_french_and_private(info.value, url)
            assert [s.name for s in store.list_scenarios(path=url)] == ["Avant la panne"]
        finally:
            holder.close()
        holder = _hold_pg_lock(url, "ACCESS EXCLUSIVE")  # blocks readers too
        try:
            with pytest.raises(store.StoreBusy, match="Lecture des enregistrements impossible"):
                store.list_scenarios(path=url)
        finally:
            holder.close()
        store.save_scenario("Après le verrou", {}, path=url)
        assert len(store.list_scenarios(path=url)) == 2


# ---------------------------------------------------------------------------------------------
# Unreachable, damaged


def test_unreachable_postgresql_server_is_a_french_message_without_its_address(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    url = f"postgresql://pacte:motdepasse@127.0.0.1:{port}/pacte"
    for call in (lambda: store.list_scenarios(path=url), lambda: store.save_scenario("x", {}, path=url)):
        with pytest.raises(store.StoreUnavailable, match="inaccessible") as info:
            call()
        assert_french_and_private(info.value, url, str(port), "motdepasse")


def test_damaged_sqlite_file_is_a_french_message(tmp_path, caplog):
    db = tmp_path / "store.sqlite3"
    db.write_bytes(b"not a database, just bytes " * 200)
    with caplog.at_level("WARNING", logger="lib.store"):
        with pytest.raises(store.StoreDamaged, match="endommagée") as info:
            store.list_scenarios(path=db)
    assert_french_and_private(info.value, str(db))
    assert str(db) in caplog.text  # the administrator finds the file in the server log


def test_no_space_left_is_a_french_message():
    from lib.store import errors

    err = errors.translate(OSError(28, "No space left on device"), errors.SAVE, "sqlite:///x")
    assert isinstance(err, store.StoreFull) and "espace disque" in str(err)
    assert_french_and_private(err)


# ---------------------------------------------------------------------------------------------
# SIGKILL in the middle of saves


WRITER = """
import hashlib, json, sys
from lib import store
location, prefix = sys.argv[1], sys.argv[2]
blob = "é" * 200_000
n = 0
print("ready", flush=True)
while True:
    body = blob[: 1000 + (n * 7919) % 199_000]
    store.save_scenario(f"{prefix}-{n}", {"n": n, "blob": body, "sha": hashlib.sha256(body.encode()).hexdigest()},
                        path=location, overwrite=n % 3 == 0)
    print(f"saved {prefix}-{n}", flush=True)
    n += 1
"""


def _start_writer(location: str, prefix: str) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, location, prefix], cwd=support.ROOT,
                            env={**os.environ, "PYTHONPATH": str(support.ROOT)}, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    acknowledged: list[str] = []

    def collect() -> None:
        for line in proc.stdout:
            if line.startswith("saved "):
                acknowledged.append(line.split(" ", 1)[1].strip())

    threading.Thread(target=collect, daemon=True).start()
    return proc, acknowledged


def _wait_saves(acknowledged: list[str], n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(acknowledged) < n:
        assert time.monotonic() < deadline, f"the writer saved {len(acknowledged)} scenarios in {timeout:.0f} s"
        time.sleep(0.02)


def _check_integrity(location: str, acknowledged: list[str]) -> int:
    """The store is sound: engine-level check, every row whole, every acknowledged save there."""
    with store.read(location) as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        else:
            for rel in ("scenarios", "imported_datasets"):
                assert conn.exec_driver_sql(f"SELECT count(*) FROM verify_heapam('{rel}')").scalar() == 0
            indexes = conn.exec_driver_sql(
                "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid IN "
                "('scenarios'::regclass, 'imported_datasets'::regclass)").scalars().all()
            assert indexes
            for index in indexes:
                conn.exec_driver_sql(f"SELECT bt_index_check('{index}'::regclass, true)")
        rows = conn.execute(text("SELECT name, payload FROM scenarios")).fetchall()
    names = set()
    for name, payload in rows:
        body = json.loads(payload)  # no partial row: every payload is whole JSON
        assert hashlib.sha256(body["blob"].encode()).hexdigest() == body["sha"], name
        assert name.endswith(f"-{body['n']}")
        names.add(name)
    missing = set(acknowledged) - names
    assert not missing, f"saves acknowledged then lost: {sorted(missing)[:5]}"
    return len(names)


def _prepare_integrity_checks(location: str) -> None:
    with store.write(location) as conn:
        if conn.dialect.name != "sqlite":
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")


def test_sigkill_during_saves_leaves_a_sound_store(store_url):
    _prepare_integrity_checks(store_url)
    rng = random.Random(13)
    total_acknowledged: list[str] = []
    for k in range(10):
        proc, acknowledged = _start_writer(store_url, f"k{k}")
        _wait_saves(acknowledged, 1)  # the writer is in its run of saves (a loaded machine is slow to start)
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        time.sleep(0.05)  # let the reader thread drain what was printed before the kill
        total_acknowledged += acknowledged
        _check_integrity(store_url, total_acknowledged)
    assert len(total_acknowledged) >= 10  # each kill landed during a run of saves
    store.save_scenario("après", {"ok": True}, path=store_url)  # and the store still takes saves
    assert store.load_scenario("après", path=store_url).payload == {"ok": True}


def test_postgresql_server_process_killed_during_saves_recovers_sound():
    """SIGKILL to the server process serving the writer: PostgreSQL restarts and recovers from its WAL.
    A cluster of its own: the restart cuts every connection of the cluster (other tests' too)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="pacte-pg-kill-")
    try:
        admin = support.local_postgres.start(folder)
    except support.local_postgres.PostgresError as err:
        pytest.fail(f"Tests PostgreSQL impossibles : {err}", pytrace=False)
    with support.pg_database(admin) as url:
        _prepare_integrity_checks(url)
        proc, acknowledged = _start_writer(url, "srv")
        try:
            _wait_saves(acknowledged, 3)
            with store.read(url) as conn:
                pids = conn.exec_driver_sql(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'pacte-hlm' "
                    "AND pid <> pg_backend_pid() AND datname = current_database()").scalars().all()
            assert pids
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            proc.wait(30)  # the writer's connection is gone: it stops with an error
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        time.sleep(0.05)
        backend.dispose_all()
        support.local_postgres.wait_ready(url)
        try:
            assert _check_integrity(url, acknowledged) >= 3
        finally:
            backend.dispose_all()
    support.local_postgres.stop(folder)
