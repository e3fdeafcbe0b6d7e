"""Keep named imported datasets in the scenarios' SQLite database (lib/store.py) and reload them.

- Same file as the scenarios: ``store.connect`` (``$PACTE_HLM_DB``, else ``ROOT/var/pacte_hlm.sqlite3``).
- One table, ``imported_datasets``, unique on (kind, name), created by migration 2 of
  ``store.MIGRATIONS`` (databases created before it, which already hold the table, keep it).
- Atomic: a save is one transaction (insert, or replace of one row holding the whole frame as
  JSON), so a dataset is either saved whole or not at all.
- Nothing is replaced silently: a name already saved for that kind (perhaps by another user)
  raises ``store.NameConflict`` unless ``overwrite=True`` (after the user's confirmation).
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
from lib.store import clean_name

NAME_MAX = store.NAME_MAX
_WHAT = "au jeu de données à enregistrer"  # « Donnez un nom … »


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
    """The shared store, schema (including ``imported_datasets``) up to date."""
    return store.connect(path)


def _kind(kind: str) -> str:
    if kind not in importer.KINDS:
        raise DataError(f"Type de données inconnu : « {kind} ».")
    return kind


def save_dataset(ds: importer.ImportedDataset, name: str | None = None, path=None,
                 overwrite: bool = False) -> SavedDatasetInfo:
    """Save ``ds`` under ``name`` (default: its own name), in one transaction. A dataset of that
    kind and name is replaced only with ``overwrite=True``; otherwise ``store.NameConflict``."""
    kind = _kind(ds.kind)
    name = clean_name(name or ds.name, _WHAT)
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
            raise store.NameConflict(f"Un jeu de données « {name} » de ce type existe déjà.", name) from exc
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
    name = clean_name(name, _WHAT)
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
                               (_kind(kind), clean_name(name, _WHAT)))
    return cur.rowcount > 0
