"""Keep named imported datasets in the scenarios' SQLite database (lib/store.py) and reload them.

- Same file as the scenarios: ``store.connect`` (``$PACTE_HLM_DB``, else ``ROOT/var/pacte_hlm.sqlite3``).
- One table, ``imported_datasets``, unique on (kind, name). It is created here with
  ``CREATE TABLE IF NOT EXISTS`` (``DATASETS_TABLE_SQL``) so this module does not edit
  lib/store.py; the lead may move that statement into ``store.MIGRATIONS`` as migration 2 —
  both can coexist, the statement is idempotent.
- Atomic: a save is one transaction (insert or replace of one row holding the whole frame as
  JSON), so a dataset is either saved whole or not at all.
- A reloaded dataset is validated again (``importer.validate_frame``): a damaged or hand-edited
  database gives a French ``DataError``, never wrong figures.
"""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from lib import importer, store
from lib.errors import DataError

NAME_MAX = 80

DATASETS_TABLE_SQL = """
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
    frame TEXT NOT NULL,                   -- JSON, pandas orient="split"
    UNIQUE (kind, name)
)
"""


@dataclass(frozen=True)
class SavedDatasetInfo:
    kind: str
    name: str
    level: str
    source_file: str
    loaded_at: str
    saved_at: str
    n_rows: int


def _connect(path=None) -> sqlite3.Connection:
    conn = store.connect(path)
    try:
        with conn:
            conn.execute(DATASETS_TABLE_SQL)
    except sqlite3.Error as exc:
        conn.close()
        raise DataError(f"Base de données inaccessible pour les données importées : {exc}") from exc
    return conn


def _clean_name(name: str) -> str:
    clean = " ".join(str(name).split())
    if not clean:
        raise DataError("Donnez un nom au jeu de données à enregistrer.")
    if len(clean) > NAME_MAX:
        raise DataError(f"Nom trop long ({NAME_MAX} caractères au plus).")
    return clean


def _kind(kind: str) -> str:
    if kind not in importer.KINDS:
        raise DataError(f"Type de données inconnu : « {kind} ».")
    return kind


def save_dataset(ds: importer.ImportedDataset, name: str | None = None, path=None,
                 overwrite: bool = True) -> SavedDatasetInfo:
    """Save (or replace) ``ds`` under ``name`` (default: its own name), in one transaction."""
    kind = _kind(ds.kind)
    name = _clean_name(name or ds.name)
    body = ds.frame.to_json(orient="split", index=False, date_format="iso", force_ascii=False)
    saved_at = datetime.now(UTC).isoformat(timespec="seconds")
    row = (kind, name, ds.level, ds.source_file, ds.loaded_at.isoformat(timespec="seconds"), saved_at,
           len(ds.frame), json.dumps(list(ds.warnings), ensure_ascii=False), body)
    with closing(_connect(path)) as conn:
        try:
            with conn:
                if overwrite:
                    conn.execute(
                        "INSERT INTO imported_datasets(kind, name, level, source_file, loaded_at, saved_at, n_rows, "
                        "warnings, frame) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT(kind, name) DO UPDATE SET level = excluded.level, "
                        "source_file = excluded.source_file, loaded_at = excluded.loaded_at, "
                        "saved_at = excluded.saved_at, n_rows = excluded.n_rows, warnings = excluded.warnings, "
                        "frame = excluded.frame", row)
                else:
                    conn.execute(
                        "INSERT INTO imported_datasets(kind, name, level, source_file, loaded_at, saved_at, n_rows, "
                        "warnings, frame) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        except sqlite3.IntegrityError as exc:
            raise DataError(f"Un jeu de données « {name} » de ce type existe déjà.") from exc
        except sqlite3.Error as exc:
            raise DataError(f"Enregistrement impossible : {exc}") from exc
    return SavedDatasetInfo(kind, name, ds.level, ds.source_file, row[4], saved_at, len(ds.frame))


def list_datasets(kind: str | None = None, path=None) -> list[SavedDatasetInfo]:
    """Saved datasets (of one kind, or all), most recently saved first."""
    sql = "SELECT kind, name, level, source_file, loaded_at, saved_at, n_rows FROM imported_datasets"
    args: tuple = ()
    if kind is not None:
        sql += " WHERE kind = ?"
        args = (_kind(kind),)
    with closing(_connect(path)) as conn:
        try:
            rows = conn.execute(sql + " ORDER BY saved_at DESC, name", args).fetchall()
        except sqlite3.Error as exc:
            raise DataError(f"Lecture des données enregistrées impossible : {exc}") from exc
    return [SavedDatasetInfo(*tuple(r)) for r in rows]


def load_dataset(kind: str, name: str, path=None) -> importer.ImportedDataset:
    """The saved dataset, validated again; ``loaded_at`` is when it was first imported."""
    kind = _kind(kind)
    name = _clean_name(name)
    with closing(_connect(path)) as conn:
        try:
            row = conn.execute(
                "SELECT level, source_file, loaded_at, warnings, frame FROM imported_datasets "
                "WHERE kind = ? AND name = ?", (kind, name)).fetchone()
        except sqlite3.Error as exc:
            raise DataError(f"Lecture des données enregistrées impossible : {exc}") from exc
    if row is None:
        raise DataError(f"Jeu de données « {name} » introuvable.")
    try:
        frame = pd.read_json(io.StringIO(row["frame"]), orient="split", dtype=False)
        warnings = tuple(str(w) for w in json.loads(row["warnings"]))
        loaded_at = datetime.fromisoformat(row["loaded_at"])
    except (ValueError, TypeError, KeyError) as exc:
        raise DataError(f"Jeu de données « {name} » abîmé dans la base : importez à nouveau le fichier.") from exc
    frame = importer.validate_frame(kind, frame, f"{name} (enregistré)")
    return importer.ImportedDataset(kind, name, loaded_at, frame, row["source_file"], row["level"], warnings)


def delete_dataset(kind: str, name: str, path=None) -> bool:
    with closing(_connect(path)) as conn:
        with conn:
            cur = conn.execute("DELETE FROM imported_datasets WHERE kind = ? AND name = ?",
                               (_kind(kind), _clean_name(name)))
    return cur.rowcount > 0
