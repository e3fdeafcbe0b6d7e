"""Imported datasets kept in the shared store, on both backends: identical round trip, the same
store as the scenarios, no silent replacement, a damaged row refused in French."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from lib import datasets_store, store
from lib import importer as im
from lib.errors import DataError

GOOD = Path(__file__).resolve().parents[1] / "good_files"
NOW = datetime(2016, 3, 12, 10, 30)


def load(filename: str, kind: str) -> im.ImportedDataset:
    path = GOOD / filename
    return im.import_file(path.read_bytes(), path.name, kind, now=NOW)


@pytest.mark.parametrize("filename, kind", [("figures_departements.csv", "figures"),
                                            ("objectifs_regions.csv", "objectifs"),
                                            ("organismes_payload.csv", "organismes")])
def test_saved_dataset_reloads_identical(store_url, filename, kind):
    ds = load(filename, kind)
    info = datasets_store.save_dataset(ds, "Mon import", path=store_url)
    assert info.n_rows == ds.rows and info.kind == kind
    back = datasets_store.load_dataset(kind, "Mon import", path=store_url)
    pd.testing.assert_frame_equal(back.frame.reset_index(drop=True), ds.frame.reset_index(drop=True),
                                  check_dtype=False)
    assert (back.kind, back.name, back.level, back.source_file) == (kind, "Mon import", ds.level, ds.source_file)
    assert back.warnings == ds.warnings and back.loaded_at == NOW
    assert [s.name for s in datasets_store.list_datasets(kind, path=store_url)] == ["Mon import"]


def test_datasets_and_scenarios_share_the_configured_store(db):
    datasets_store.save_dataset(load("objectifs_regions.csv", "objectifs"))
    store.save_scenario("scénario", {"a": 1})
    assert [s.name for s in datasets_store.list_datasets(path=db)] == ["objectifs_regions"]
    assert [s.name for s in store.list_scenarios(path=db)] == ["scénario"]


def test_save_refuses_duplicates_and_replaces_only_when_confirmed(store_url):
    a = load("objectifs_regions.csv", "objectifs")
    first = datasets_store.save_dataset(a, "obj", path=store_url)
    with pytest.raises(store.NameConflict, match="existe déjà") as info:
        datasets_store.save_dataset(a, " obj ", path=store_url)
    assert info.value.name == "obj"
    assert datasets_store.list_datasets(path=store_url) == [first]
    datasets_store.save_dataset(a, "obj", path=store_url, overwrite=True)  # after « Remplacer »
    assert len(datasets_store.list_datasets(path=store_url)) == 1
    assert datasets_store.delete_dataset("objectifs", "obj", path=store_url)
    assert not datasets_store.delete_dataset("objectifs", "obj", path=store_url)
    with pytest.raises(DataError, match="introuvable"):
        datasets_store.load_dataset("objectifs", "obj", path=store_url)


def test_damaged_saved_dataset_gives_a_french_error(store_url):
    datasets_store.save_dataset(load("objectifs_regions.csv", "objectifs"), "obj", path=store_url)
    with store.write(store_url) as conn:
        conn.execute(text("UPDATE imported_datasets SET frame = :f"),
                     {"f": '{"columns":["reg2015_code","annee","objectif_lls","objectif_rehab"],'
                           '"data":[["11",2014,-5,null]]}'})
    with pytest.raises(DataError, match="non conformes"):
        datasets_store.load_dataset("objectifs", "obj", path=store_url)
    with store.write(store_url) as conn:
        conn.execute(text("UPDATE imported_datasets SET frame = 'pas du json'"))
    with pytest.raises(DataError, match="abîmé"):
        datasets_store.load_dataset("objectifs", "obj", path=store_url)


def test_a_long_file_name_is_cut_to_the_stores_limit_and_saves_as_is(db):
    # the importer names a dataset after its file: that default must fit the store's one limit
    ds = im.import_file((GOOD / "objectifs_regions.csv").read_bytes(), "o" * (3 * store.NAME_MAX) + ".csv", "objectifs", now=NOW)
    assert len(ds.name) == store.NAME_MAX
    assert datasets_store.save_dataset(ds).name == ds.name
