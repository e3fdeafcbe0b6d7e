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


def test_pages_show_the_dates_beside_the_sources():
    from lib.ui import donnees
    from lib.views import donnees as donnees_view
    from tests.lazy_open import frames_of_every_tab, open_expander
    from tests.test_pages import run_page

    at = run_page("pages/donnees.py")
    assert not at.exception, [e.value for e in at.exception]
    frames = frames_of_every_tab(at, donnees.TAB_KEY, donnees_view.TABS)  # lazy tabs: each shown in turn
    prov = next(f for f in frames if "Type d'adresse" in f.columns and "Éditeur" in f.columns)
    assert (prov["Publiée"].astype(bool) | prov["Consultée"].astype(bool)).all()
    undated = next(f for f in frames if "Pourquoi écarté" in f.columns)
    assert len(undated) == len(data.load_undated_figures())
    conflicts = next(f for f in frames if "Retenue" in f.columns)
    assert (conflicts["Date de la source"] != "").all()
    params = next(f for f in frames if "Texte de référence" in f.columns)
    assert params["Texte de référence"].str.contains("8 juillet 2013").all()
    home = open_expander(run_page("pages/accueil.py"), "Chiffres, natures et sources")
    national = next(d.value for d in home.dataframe if "Date de la source" in d.value.columns)
    assert (national.loc[national["Nature"] != "manquant", "Date de la source"] != "").all()


def test_map_region_and_exports_carry_the_date_of_the_source():
    from lib import natures, region_report, targets
    from lib.geo import load_regions
    from lib.params import load_params
    from lib.views import carte as carte_view

    figures, regions, params = data.load_figures(), load_regions(), load_params()
    table = targets.indicator_table(figures, regions, params, "production", "2014")
    cited = table[table["nature"].isin(["cité", "officiel", "dérivé"])]
    assert len(cited) and (cited["date_source"] != "").all()
    assert (table.loc[table["nature"] == "estimé", "date_source"] != "").all()  # the national figure's date
    export = carte_view.export_table(table, "production", "Logements")
    assert "Date de la source" in export.columns
    rehab = targets.indicator_table(figures, regions, params, "rehab", "2012-2013")
    assert (rehab.loc[rehab["nature"] != natures.MANQUANT, "date_source"] != "").all()
    objectives = targets.regional_objectives(figures, regions, params)
    profile = region_report.region_profile(figures, regions, params, objectives, "52")
    frame = region_report.profile_export_frame(profile)
    sourced = frame[frame["source"].str.startswith("http")]
    prod = sourced[sourced["rubrique"].isin(["Production", "Réhabilitation", "Produits"])]
    assert len(prod) and (prod["date_source"] != "").all()


def test_imported_figures_are_labelled_as_such_beside_their_source():
    from lib import targets
    from lib.geo import load_regions

    base = data.load_figures()
    extra = pd.DataFrame([{"niveau": "region2015", "territoire_code": "52", "territoire_nom": "Pays de la Loire",
                           "periode": "2014", "annee": 2014, "indicateur": "lls_finances", "valeur": 1.0,
                           "unite": "logements", "perimetre": "fichier importé", "nature": "importé",
                           "source": "Fichier importé : essai", "note": "", "fichier_origine": "essai.csv"}])
    both = pd.concat([extra, base], ignore_index=True)  # as lib.ui.active_figures does
    prod = targets.regional_production(both, load_regions(), "lls_finances", [2014])
    row = prod.set_index("code").loc["52"]
    assert row["nature"] == "importé" and row["date_source"] == "fichier importé"
    assert not prod["date_source"].astype(str).str.contains("nan").any()
