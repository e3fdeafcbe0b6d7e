"""Page « Mutualisation » when the shared store is read-only or locked, on both backends: the
saved scenarios stay listed and loadable, and a refused save says why in French, without the
server's paths, addresses or the driver's English."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from lib import store
from lib.paths import ROOT
from tests.store import support
from tests.store.test_failures import assert_french_and_private

PAGE = str(ROOT / "pages" / "mutualisation.py")
SEEDED = "Avant la panne"

# One visit of the page: what is listed, then a save attempt. Printed as JSON so that it can run
# in a child process bound by file permissions (a read-only SQLite store seen by root).
VISIT = """
import json
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(PAGE, default_timeout=120).run()
seen = {"exceptions": [e.value for e in at.exception], "errors_before": [e.value for e in at.error],
        "listed": list(at.selectbox(key="mut_saved").options) if any(s.key == "mut_saved" for s in at.selectbox) else []}
if seen["listed"]:
    next(b for b in at.button if b.label == "Charger ce scénario").click().run()
    seen["loaded_a_z1"] = at.slider(key="a_z1").value
next(t for t in at.text_input if t.label == "Nom du scénario à enregistrer").input("Pendant la panne")
next(b for b in at.button if b.label == "Enregistrer").click().run()
seen["exceptions"] += [e.value for e in at.exception]
seen["errors_after"] = [e.value for e in at.error]
seen["success_after"] = [s.value for s in at.success]
seen["listed_after"] = list(at.selectbox(key="mut_saved").options) if any(s.key == "mut_saved" for s in at.selectbox) else []
print("VISIT=" + json.dumps(seen))
"""


def _visit_in_process() -> dict:
    scope: dict = {"PAGE": PAGE}
    out = []
    scope["print"] = out.append
    exec(VISIT, scope)  # noqa: S102 - the same visit as in a child process
    return json.loads(out[-1].split("=", 1)[1])


def _visit_in_child(env: dict) -> dict:
    done = support.run_python(f"PAGE = {PAGE!r}\n" + VISIT, env)
    line = next((x for x in done.stdout.splitlines() if x.startswith("VISIT=")), None)
    assert line, done.stderr[-3000:]
    return json.loads(line.split("=", 1)[1])


def _seed(location: str) -> None:
    store.save_scenario(SEEDED, {"version": 1, "values": {"a_z1": 3700.0}}, path=location)


def _assert_read_only_visit(seen: dict, *secrets: str) -> None:
    assert not seen["exceptions"], seen["exceptions"]
    assert seen["errors_before"] == []  # reading a read-only store is no error
    assert seen["listed"] == [SEEDED] and seen["listed_after"] == [SEEDED]
    assert seen["loaded_a_z1"] == 3700.0
    assert seen["success_after"] == []
    (msg,) = seen["errors_after"]
    assert "lecture seule" in msg and "Rien n'a été enregistré" in msg and "restent consultables" in msg
    assert_french_and_private(RuntimeError(msg.replace("\\", "")), *secrets)


def test_read_only_sqlite_store_keeps_the_list_and_says_why_a_save_fails(writable_again):
    db = writable_again / "var" / "store.sqlite3"
    _seed(str(db))
    support.make_read_only(writable_again)
    seen = _visit_in_child({"PACTE_HLM_DB": str(db)})
    _assert_read_only_visit(seen, str(db), str(writable_again))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as raw:
        assert [r[0] for r in raw.execute("SELECT name FROM scenarios")] == [SEEDED]
    raw.close()


def test_read_only_postgresql_store_keeps_the_list_and_says_why_a_save_fails(pg_admin_url, monkeypatch):
    with support.pg_database(pg_admin_url) as url:
        _seed(url)
        db_name = url.rsplit("/", 1)[1]
        with store.write(url) as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{db_name}" SET default_transaction_read_only = on')
        store.backend.dispose_all()
        monkeypatch.setenv(store.URL_ENV_VAR, url)
        seen = _visit_in_process()
        _assert_read_only_visit(seen, url, db_name)
        assert [s.name for s in store.list_scenarios(path=url)] == [SEEDED]


def _lock_readers_out(location: str):
    """Another program takes the store whole (readers too) until the returned function is called."""
    if "://" not in location:
        holder = subprocess.Popen(
            [sys.executable, "-c", f"""
import sqlite3, sys
c = sqlite3.connect({location!r}, isolation_level=None)
c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')
c.execute("UPDATE scenarios SET updated_at = updated_at")
print('locked', flush=True); sys.stdin.read()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
        return lambda: (holder.kill(), holder.wait(10))
    import psycopg

    conn = psycopg.connect(location)
    conn.execute("LOCK TABLE scenarios IN ACCESS EXCLUSIVE MODE")
    return conn.close


def test_store_locked_for_a_while_keeps_the_list_seen_in_the_session(db, quick_timeouts):
    _seed(db)
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert at.selectbox(key="mut_saved").options == [SEEDED]
    release = _lock_readers_out(db)
    try:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        (msg,) = [e.value for e in at.error]
        assert "occupée" in msg and "Réessayez dans un instant" in msg
        assert_french_and_private(RuntimeError(msg.replace("\\", "")), db)
        assert at.selectbox(key="mut_saved").options == [SEEDED]  # the list does not disappear
        assert any("tels que lus plus tôt" in c.value for c in at.caption)
        next(b for b in at.button if b.label == "Charger ce scénario").click().run()
        assert at.slider(key="a_z1").value == 3700.0
    finally:
        release()
    at.run()
    assert not at.error and at.selectbox(key="mut_saved").options == [SEEDED]
    assert not any("tels que lus plus tôt" in c.value for c in at.caption)
