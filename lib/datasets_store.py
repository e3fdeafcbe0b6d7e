"""Keep named imported datasets in the shared store of the scenarios (lib/store/) and reload them.

- Same store as the scenarios: SQLite file or PostgreSQL database (``lib/store/backend.py``).
- One table, ``imported_datasets``, unique on (kind, name), created by migration 2 of
  ``lib/store/schema.py`` (SQLite files created before it, which already hold the table, keep it).
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
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import text

from lib import importer, store
from lib.errors import DataError
from lib.store import Location, clean_name, errors, schema

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


def _kind(kind: str) -> str:
    if kind not in importer.KINDS:
        raise DataError(f"Type de données inconnu : « {kind} ».")
    return kind


_COLUMNS = "kind, name, level, source_file, loaded_at, saved_at, n_rows, warnings, frame"
_INSERT = f"INSERT INTO imported_datasets({_COLUMNS}) VALUES (:kind, :name, :level, :source_file, " \
          ":loaded_at, :saved_at, :n_rows, :warnings, :frame)"
_UPSERT = _INSERT + (" ON CONFLICT(kind, name) DO UPDATE SET level = excluded.level, "
                     "source_file = excluded.source_file, loaded_at = excluded.loaded_at, "
                     "saved_at = excluded.saved_at, n_rows = excluded.n_rows, warnings = excluded.warnings, "
                     "frame = excluded.frame")


def save_dataset(ds: importer.ImportedDataset, name: str | None = None, path: Location = None,
                 overwrite: bool = False) -> SavedDatasetInfo:
    """Save ``ds`` under ``name`` (default: its own name), in one transaction. A dataset of that
    kind and name is replaced only with ``overwrite=True``; otherwise ``store.NameConflict``."""
    kind = _kind(ds.kind)
    name = clean_name(name or ds.name, _WHAT)
    body = ds.frame.to_json(orient="split", index=False, date_format="iso", force_ascii=False)
    row = {"kind": kind, "name": name, "level": ds.level, "source_file": ds.source_file,
           "loaded_at": ds.loaded_at.isoformat(timespec="seconds"),
           "saved_at": datetime.now(UTC).isoformat(timespec="seconds"), "n_rows": len(ds.frame),
           "warnings": json.dumps(list(ds.warnings), ensure_ascii=False), "frame": body}
    try:
        with store.write(path) as conn:
            conn.execute(text(_UPSERT if overwrite else _INSERT), row)
    except errors.DuplicateKey as exc:
        raise store.NameConflict(f"Un jeu de données « {name} » de ce type existe déjà.", name) from exc
    return SavedDatasetInfo(kind, name, ds.level, ds.source_file, row["loaded_at"], row["saved_at"], len(ds.frame))


def list_datasets(kind: str | None = None, path: Location = None) -> list[SavedDatasetInfo]:
    """Saved datasets (of one kind, or all), most recently saved first (readable from a
    read-only store too)."""
    sql = "SELECT kind, name, level, source_file, loaded_at, saved_at, n_rows FROM imported_datasets"
    args: dict = {}
    if kind is not None:
        sql += " WHERE kind = :kind"
        args = {"kind": _kind(kind)}
    with store.read(path) as conn:
        if schema.version(conn) == 0:
            return []
        rows = conn.execute(text(sql + " ORDER BY saved_at DESC, name"), args).fetchall()
    return [SavedDatasetInfo(*tuple(r)) for r in rows]


def load_dataset(kind: str, name: str, path: Location = None) -> importer.ImportedDataset:
    """The saved dataset, validated again; ``loaded_at`` is when it was first imported."""
    kind = _kind(kind)
    name = clean_name(name, _WHAT)
    with store.read(path) as conn:
        row = None
        if schema.version(conn):
            row = conn.execute(text(
                "SELECT level, source_file, loaded_at, warnings, frame FROM imported_datasets "
                "WHERE kind = :kind AND name = :name"), {"kind": kind, "name": name}).fetchone()
    if row is None:
        raise DataError(f"Jeu de données « {name} » introuvable.")
    try:
        frame = pd.read_json(io.StringIO(row.frame), orient="split", dtype=False)
        warnings = tuple(str(w) for w in json.loads(row.warnings))
        loaded_at = datetime.fromisoformat(row.loaded_at)
    except (ValueError, TypeError, KeyError) as exc:
        raise DataError(f"Jeu de données « {name} » abîmé dans la base : importez à nouveau le fichier.") from exc
    frame = importer.validate_frame(kind, frame, f"{name} (enregistré)")
    return importer.ImportedDataset(kind, name, loaded_at, frame, row.source_file, row.level, warnings)


def delete_dataset(kind: str, name: str, path: Location = None) -> bool:
    with store.write(path, errors.DELETE) as conn:
        cur = conn.execute(text("DELETE FROM imported_datasets WHERE kind = :kind AND name = :name"),
                           {"kind": _kind(kind), "name": clean_name(name, _WHAT)})
    return cur.rowcount > 0
