"""Embedded SQLite store for what users save: named mutualisation scenarios and imported datasets
(``lib/datasets_store.py``) — add a migration below, never edit an applied one.

- Location: ``$PACTE_HLM_DB`` if set, else ``ROOT/var/pacte_hlm.sqlite3`` (never the working dir).
- Atomic saves: each write is one transaction (``with conn``); SQLite's journal guarantees a
  scenario is either fully saved or not at all, even if the process dies mid-write. WAL mode lets
  readers (other sessions) read while one session writes.
- No shared connection: every call opens and closes its own (Streamlit sessions run in threads;
  a connection must not cross threads), so sessions share no mutable state.
- Schema versioning: ``MIGRATIONS`` is an append-only list; ``init_db`` applies those above
  ``PRAGMA user_version``. Another module adds a table by appending a migration.
- Nothing is replaced silently: the store is shared by every user, so a save under a name that
  exists raises ``NameConflict`` unless the caller passes ``overwrite=True`` (which the pages do
  only after an explicit « Remplacer » confirmation).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lib.errors import DataError
from lib.paths import ROOT

ENV_VAR = "PACTE_HLM_DB"
DEFAULT_PATH = ROOT / "var" / "pacte_hlm.sqlite3"
NAME_MAX = 80

MIGRATIONS: tuple[str, ...] = (
    # 1: named mutualisation scenarios
    """
    CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'mutualisation',
        payload TEXT NOT NULL,            -- JSON: parameters, volumes, scenario, year
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2: named imported datasets (lib/datasets_store.py). IF NOT EXISTS: databases of version 1
    # may already hold this table, which lib/datasets_store.py used to create on first use.
    """
    CREATE TABLE IF NOT EXISTS imported_datasets (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        level TEXT NOT NULL DEFAULT '',
        source_file TEXT NOT NULL DEFAULT '',
        loaded_at TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        n_rows INTEGER NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',   -- JSON list of French messages
        frame TEXT NOT NULL,                   -- JSON, pandas orient "split"
        UNIQUE (kind, name)
    );
    """,
)


class NameConflict(DataError):
    """A save refused because the name is taken (``name`` is the cleaned name); the French
    message says so. Save again with ``overwrite=True`` only after the user confirmed."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


def db_path(path: str | os.PathLike | None = None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_PATH


def connect(path: str | os.PathLike | None = None) -> sqlite3.Connection:
    """A new connection to the store, schema up to date. Close it after use."""
    p = db_path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(p, timeout=10)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        init_db(conn)
    except (sqlite3.Error, OSError) as exc:
        raise DataError(f"Base de scénarios inaccessible ({p}) : {exc}") from exc
    return conn


def init_db(conn: sqlite3.Connection) -> int:
    """Apply the pending migrations, each in its own transaction; return the schema version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, sql in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            # re-check under the write lock: another process may have migrated meanwhile
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            for statement in filter(str.strip, sql.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        version = number
    return version


@dataclass(frozen=True)
class SavedScenario:
    name: str
    payload: Mapping[str, Any]
    created_at: str
    updated_at: str


def clean_name(name: str, what: str = "au scénario") -> str:
    """A user's name for a saved item, spaces normalised; French ``DataError`` if empty or too
    long. ``what`` completes « Donnez un nom … » (« au scénario », « au jeu de données »)."""
    clean = " ".join(str(name).split())
    if not clean:
        raise DataError(f"Donnez un nom {what}.")
    if len(clean) > NAME_MAX:
        raise DataError(f"Nom trop long ({NAME_MAX} caractères au plus).")
    return clean


def save_scenario(name: str, payload: Mapping[str, Any], path=None, overwrite: bool = False) -> SavedScenario:
    """Save a named scenario in one transaction. A scenario of that name (perhaps another user's)
    is replaced only with ``overwrite=True``; otherwise ``NameConflict`` and nothing is written."""
    name = clean_name(name)
    try:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DataError("Scénario non enregistrable : valeurs invalides.") from exc
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with closing(connect(path)) as conn:
        try:
            with conn:
                if overwrite:
                    conn.execute(
                        "INSERT INTO scenarios(name, payload, created_at, updated_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET payload = excluded.payload, "
                        "updated_at = excluded.updated_at",
                        (name, body, now, now),
                    )
                else:
                    conn.execute(
                        "INSERT INTO scenarios(name, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        (name, body, now, now),
                    )
        except sqlite3.IntegrityError as exc:
            raise NameConflict(f"Un scénario nommé « {name} » existe déjà.", name) from exc
        except sqlite3.Error as exc:
            raise DataError(f"Enregistrement du scénario impossible : {exc}") from exc
    return load_scenario(name, path)


def list_scenarios(path=None) -> list[SavedScenario]:
    """All saved scenarios, most recently updated first."""
    with closing(connect(path)) as conn:
        rows = conn.execute(
            "SELECT name, payload, created_at, updated_at FROM scenarios ORDER BY updated_at DESC, name"
        ).fetchall()
    return [SavedScenario(r["name"], json.loads(r["payload"]), r["created_at"], r["updated_at"]) for r in rows]


def load_scenario(name: str, path=None) -> SavedScenario:
    with closing(connect(path)) as conn:
        row = conn.execute(
            "SELECT name, payload, created_at, updated_at FROM scenarios WHERE name = ?", (clean_name(name),)
        ).fetchone()
    if row is None:
        raise DataError(f"Scénario « {name} » introuvable.")
    return SavedScenario(row["name"], json.loads(row["payload"]), row["created_at"], row["updated_at"])


def delete_scenario(name: str, path=None) -> bool:
    with closing(connect(path)) as conn:
        with conn:
            cur = conn.execute("DELETE FROM scenarios WHERE name = ?", (clean_name(name),))
    return cur.rowcount > 0
