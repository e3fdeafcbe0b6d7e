"""The shared store of what users save: named mutualisation scenarios here, imported datasets in
``lib/datasets_store.py``.

- Backends (``backend.py``): an embedded SQLite file by default (``$PACTE_HLM_DB``, else
  ``ROOT/var/pacte_hlm.sqlite3``, never the working dir); ``$PACTE_HLM_DB_URL=postgresql://…``
  selects a PostgreSQL database, which several app processes or machines share.
- Atomic saves: each write is one transaction; a scenario is saved whole or not at all, even if
  the process dies mid-write.
- No shared connection state between sessions: each call takes its own connection and gives it back.
- Schema: the append-only migrations of ``schema.py``.
- Failures are French ``StoreError`` messages without paths (``errors.py``); a store this process
  cannot write (read-only volume, standby server) still lists and loads what was saved.
- Nothing is replaced silently: the store is shared by every user, so a save under a name that
  exists raises ``NameConflict`` unless the caller passes ``overwrite=True`` (which the pages do
  only after an explicit « Remplacer » confirmation).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from lib.errors import DataError
from lib.paths import ROOT
from lib.store import backend, errors, schema
from lib.store.backend import DEFAULT_PATH, ENV_VAR, URL_ENV_VAR, db_path, db_url, read, write
from lib.store.errors import (
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
)
from lib.store.schema import MIGRATIONS

__all__ = [
    "DEFAULT_PATH", "ENV_VAR", "MIGRATIONS", "NAME_MAX", "ROOT", "URL_ENV_VAR", "NameConflict", "SavedScenario",
    "StoreBusy", "StoreDamaged", "StoreError", "StoreFull", "StoreReadOnly", "StoreUnavailable", "backend",
    "clean_name", "db_path", "db_url", "delete_scenario", "list_scenarios", "load_scenario", "read",
    "save_scenario", "write",
]

NAME_MAX = 80
log = logging.getLogger("lib.store")

Location = str | os.PathLike | None  # an SQLite file, a database URL, or None for the configured store


class NameConflict(DataError):
    """A save refused because the name is taken (``name`` is the cleaned name); the French
    message says so. Save again with ``overwrite=True`` only after the user confirmed."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


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


_INSERT = ("INSERT INTO scenarios(name, payload, created_at, updated_at) "
           "VALUES (:name, :payload, :now, :now)")
_UPSERT = _INSERT + " ON CONFLICT(name) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at"
_COLUMNS = "SELECT name, payload, created_at, updated_at FROM scenarios"


def save_scenario(name: str, payload: Mapping[str, Any], path: Location = None,
                  overwrite: bool = False) -> SavedScenario:
    """Save a named scenario in one transaction. A scenario of that name (perhaps another user's)
    is replaced only with ``overwrite=True``; otherwise ``NameConflict`` and nothing is written."""
    name = clean_name(name)
    try:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DataError("Scénario non enregistrable : valeurs invalides.") from exc
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with write(path) as conn:
            conn.execute(text(_UPSERT if overwrite else _INSERT), {"name": name, "payload": body, "now": now})
    except errors.DuplicateKey as exc:
        raise NameConflict(f"Un scénario nommé « {name} » existe déjà.", name) from exc
    return load_scenario(name, path)


def _scenario(row) -> SavedScenario:
    return SavedScenario(row.name, json.loads(row.payload), row.created_at, row.updated_at)


def list_scenarios(path: Location = None) -> list[SavedScenario]:
    """All saved scenarios, most recently updated first (readable from a read-only store too).
    A row that no longer parses (a hand-edited store) is left out and logged."""
    with read(path) as conn:
        if schema.version(conn) == 0:
            return []
        rows = conn.execute(text(_COLUMNS + " ORDER BY updated_at DESC, name")).fetchall()
    out = []
    for r in rows:
        try:
            out.append(_scenario(r))
        except ValueError:
            log.warning("scenario %r left out of the list: its payload is not JSON", r.name)
    return out


def load_scenario(name: str, path: Location = None) -> SavedScenario:
    clean = clean_name(name)
    with read(path) as conn:
        row = None
        if schema.version(conn):
            row = conn.execute(text(_COLUMNS + " WHERE name = :name"), {"name": clean}).fetchone()
    if row is None:
        raise DataError(f"Scénario « {clean} » introuvable.")
    try:
        return _scenario(row)
    except ValueError as exc:
        raise DataError(f"Scénario « {clean} » abîmé dans la base : enregistrez-le à nouveau.") from exc


def delete_scenario(name: str, path: Location = None) -> bool:
    with write(path, errors.DELETE) as conn:
        cur = conn.execute(text("DELETE FROM scenarios WHERE name = :name"), {"name": clean_name(name)})
    return cur.rowcount > 0
