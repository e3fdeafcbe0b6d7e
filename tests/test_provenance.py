"""Every figure the app retains names its publisher's address and a date; an unofficial copy says
so and names the original; a regional body's figures for other regions are a republication; the
figures file is rebuilt identically from ../shared/data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lib import data, sources
from lib.paths import DATA, FIGURES_FILE, ROOT

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def figures():
    return data.load_figures()


@pytest.fixture(scope="module")
def registry():
    return sources.load_registry()


def test_every_figure_has_a_dated_source(figures):
    for col in data.PROVENANCE_COLUMNS:
        assert col in figures.columns, col
    dated = (figures["date_publication"] != "") | (figures["date_consultation"] != "")
    assert dated.all(), figures.loc[~dated, ["indicateur", "source"]].to_string()
    for col in ("date_publication", "date_consultation"):
        values = figures.loc[figures[col] != "", col]
        assert values.map(lambda v: bool(ISO.match(v))).all(), col
    assert figures["date_source"].str.match(r"^(document d.origine )?(publié|consulté) (le|en) ").all()
    assert (figures["source_editeur"] != "").all()


def test_retained_figures_are_dated_and_mirrors_marked(figures):
    ret = data.mark_retained(figures)
    ret = ret[ret["retenu"]]
    assert (ret["date_source"] != "").all()
    for row in ret.itertuples():
        if sources.is_mirror_address(row.source):
            assert row.source_type == "copie non officielle", row.source
        if row.source_type in ("copie non officielle", "reprise"):
            assert row.source_original, row.source
        assert row.source_type in data.SOURCE_TYPES


def test_every_mirror_address_in_the_data_is_marked(figures, registry):
    mirrors = registry[registry["url"].map(sources.is_mirror_address)]
    assert len(mirrors) >= 5  # pdfslide, docplayer, 123dok, expydoc, S3, staging copies…
    assert (mirrors["type_source"] == "copie non officielle").all(), mirrors["url"].tolist()
    assert (mirrors["original"] != "").all()
    on_mirror = figures[figures["source"].map(sources.is_mirror_address)]
    assert (on_mirror["source_type"] == "copie non officielle").all()
    assert (on_mirror.apply(lambda r: sources.nature_label(r["nature"], r["source_type"]), axis=1)
            .str.endswith("copie non officielle")).all()


def test_registry_covers_every_source_once(figures, registry):
    assert registry["url"].is_unique
    used = set(figures["source"]) | set(data.load_undated_figures()["source"])
    assert used <= set(registry["url"])
    assert set(registry["type_source"]) <= set(data.SOURCE_TYPES)
    # every other address is cited by the campaigns' rules or the pact's references
    from lib.backtest import load_campaigns
    from lib.params import load_params

    elsewhere = {u for c in load_campaigns().values() for u in c.sources}
    elsewhere |= {r.href for p in load_params().values() for r in p.references}
    assert elsewhere <= set(registry["url"])
    assert set(registry["url"]) - used <= elsewhere


def test_a_regional_association_does_not_publish_other_regions(figures):
    """The Basse-Normandie HLM association's page gives the national eco-loan table: for every
    region but its own, it republishes (« reprise ») a table it did not publish."""
    bn = figures[figures["source"].str.contains("arhlm-bassenormandie")]
    assert len(bn) >= 20
    own = bn[bn["territoire_code"] == "25"]
    assert set(own["source_type"]) == {"éditeur"}
    others = bn[bn["territoire_code"] != "25"]
    assert set(others["source_type"]) == {"reprise"}
    assert others["source_editeur"].str.endswith("(tableau national)").all()
    assert (others["source_original"] != "").all()
    # no regional publisher is the publisher of another region's figure
    reg = sources.load_registry().set_index("url")
    terr = pd.read_csv(DATA / "territoires.csv", dtype=str)
    r15_r16 = dict(zip(terr["reg2015_code"], terr["reg2016_code"]))
    r15 = figures[(figures["niveau"] == "region2015") & (figures["source_type"] == "éditeur")]
    for row in r15.itertuples():
        own_regions = reg.loc[row.source, "region_editeur"]
        if own_regions and not row.fichier_origine.startswith("dérivé"):
            regions = set(own_regions.split(","))
            assert row.territoire_code in regions or r15_r16.get(row.territoire_code) in regions, row.source


def test_undated_figures_are_set_aside_and_shown():
    undated = data.load_undated_figures()
    assert len(undated) > 0
    assert ((undated["date_publication"] == "") & (undated["date_consultation"] == "")).all()
    table = sources.undated_table(undated)
    assert len(table) == len(undated) and table["Pourquoi écarté"].str.len().gt(0).all()


def test_provenance_table_lists_copies_first(figures):
    t = sources.provenance_table(figures)
    assert {"Source", "Éditeur", "Type d'adresse", "Publication d'origine", "Publiée", "Consultée"} <= set(t.columns)
    assert "copie non officielle" in t.iloc[0]["Type d'adresse"]
    assert t["Chiffres"].sum() == len(figures)
    assert (t["Publiée"].astype(bool) | t["Consultée"].astype(bool)).all()


def test_date_labels():
    assert sources.date_label("2016-01-19") == "publié le 19 janvier 2016"
    assert sources.date_label("", "2026-12-01") == "consulté le 1er décembre 2026"
    assert sources.date_label("2015-03") == "publié en mars 2015"
    assert sources.nature_label("cité", "copie non officielle") == "cité, copie non officielle"
    assert sources.is_mirror_address("https://pdfslide.fr/documents/x.html")
    assert sources.is_mirror_address("https://infopro-le-moniteur-staging.web.arc-cdn.net/a")
    assert not sources.is_mirror_address("http://www.drihl.ile-de-france.developpement-durable.gouv.fr/a.html")


SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside this clone")
def test_figures_file_is_rebuilt_identically():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_figures", ROOT / "scripts" / "build_figures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out, undated = mod.build(SHARED)
    shipped = pd.read_csv(FIGURES_FILE, dtype=str, keep_default_na=False)
    rebuilt = pd.read_csv(__import__("io").StringIO(out.to_csv(index=False)), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(rebuilt, shipped)
    shipped_u = pd.read_csv(data.UNDATED_FILE, dtype=str, keep_default_na=False)
    rebuilt_u = pd.read_csv(__import__("io").StringIO(undated.to_csv(index=False)), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(rebuilt_u, shipped_u)
