"""AppTest of the map page: it runs, and the table follows the indicator and the year."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib import data, exports, fmt, geo, params, targets
from lib.plain_text import md_escape
from lib.ui.tables import SCROLL_ROWS
from lib.views import carte as carte_view
from tests.lazy_open import open_expander

TIMEOUT = 120
APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture
def carte():
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.switch_page("pages/carte.py")
    return at.run()


def _table(at):
    """The ranking's grid (every region, sortable), built once its expander is opened."""
    if not _grids(at):
        open_expander(at, carte_view.RANKING_GRID_LABEL)
    return _grids(at)[-1]


def _grids(at):
    return [df for df in (d.value for d in at.dataframe) if "Région" in df.columns and "Nature" in df.columns]


def test_page_runs(carte):
    assert not carte.exception
    assert carte.title[0].value == "Carte des régions"
    table = _table(carte)
    assert len(table) == 27


def test_ranking_is_static_at_open_with_its_sortable_grid_one_click_away(carte):
    """At open no grid (the page does not download its JavaScript): the ranking as HTML, every
    region, French numbers, the placeholder for a missing value; the grid (sort by « Rang »,
    search, full screen) with the same rows in the expander naming it, named in the caption."""
    assert not carte.exception
    assert not carte.dataframe
    static = next(t.value for t in carte.table if md_escape("Région") in t.value.columns)
    assert any(carte_view.RANKING_GRID_LABEL in c.value for c in carte.caption)  # where to sort, said
    grid = _table(carte)
    assert len(static) == len(grid) == 27 > SCROLL_ROWS  # every row, in a box that scrolls
    assert static[md_escape("Région")].tolist() == [md_escape(r) for r in grid["Région"]]
    label = grid.columns[1]
    assert static[md_escape(label)].tolist() == [md_escape(v) for v in grid[label]]  # « 30 320 »
    assert static[md_escape("Rang")].tolist() == [
        md_escape(fmt.MISSING) if pd.isna(r) else str(int(r)) for r in grid["Rang"]]  # placeholder
    carte.selectbox(key="carte_indicateur").set_value("taux").run()
    carte.selectbox(key="carte_periode_taux").set_value("2014").run()
    static = next(t.value for t in carte.table if md_escape("Région") in t.value.columns)
    grid = _grids(carte)[-1]  # the expander stays open: the grid follows the indicator
    missing = grid.isna()
    assert missing.any().any(), "a region without a rate in 2014"
    for column in grid.columns:
        cells = static[md_escape(column)]
        assert (cells[missing[column].to_numpy()] == md_escape(fmt.MISSING)).all()  # the placeholder


def test_year_changes_the_table(carte):
    before = _table(carte)
    carte.selectbox(key="carte_periode_production").set_value("2014").run()
    after = _table(carte)
    assert not carte.exception
    assert not before.iloc[:, 1].equals(after.iloc[:, 1])
    assert carte.header[0].value.endswith("2014")


def test_indicator_changes_the_table(carte):
    carte.selectbox(key="carte_indicateur").set_value("taux").run()
    assert not carte.exception
    table = _table(carte)
    assert "Taux de réalisation de l'objectif" in table.columns and "Objectif" in table.columns
    carte.selectbox(key="carte_indicateur").set_value("rehab").run()
    assert not carte.exception
    assert "éco-prêt" in _table(carte).columns[1]


def test_rule_changes_the_objectives(carte):
    carte.selectbox(key="carte_indicateur").set_value("taux").run()
    before = _table(carte)["Objectif"].copy()
    carte.selectbox(key="carte_regle").set_value("production").run()
    assert not carte.exception
    assert not before.equals(_table(carte)["Objectif"])


def test_an_edited_objective_stays_alone_and_survives_a_rule_change(carte):
    """One cell changed in the objectives table: only it becomes « importé »; after a change of
    rule the other regions' objectives follow the new rule, the edited cell keeps its value."""
    from lib.ui.objectives import KEY_EDITED

    carte.selectbox(key="carte_indicateur").set_value("taux").run()
    carte.selectbox(key="carte_periode_taux").set_value("2014").run()
    before = _table(carte).set_index("Région")
    carte.session_state[KEY_EDITED] = pd.DataFrame([{"code": "91", "annee": 2014, "objectif": 9000.0}])
    carte.run()
    assert not carte.exception
    after = _table(carte).set_index("Région")
    assert after.loc["Languedoc-Roussillon", "Objectif"] == "9\u202f000"
    assert after.loc["Languedoc-Roussillon", "Nature"] == "importé"
    others = after.drop(index="Languedoc-Roussillon")
    cols = ["Objectif", "Nature", "Production"]  # ranks move with the edited region's rate
    pd.testing.assert_frame_equal(others[cols], before.drop(index="Languedoc-Roussillon")[cols])
    carte.selectbox(key="carte_regle").set_value("parc").run()
    assert not carte.exception
    by_stock = _table(carte).set_index("Région")
    assert by_stock.loc["Languedoc-Roussillon", "Objectif"] == "9\u202f000"
    assert not by_stock.drop(index="Languedoc-Roussillon")["Objectif"].equals(others["Objectif"])
    edits = carte.session_state[KEY_EDITED]
    assert edits.to_dict("records") == [{"code": "91", "annee": 2014, "objectif": 9000.0}]


# --- the map's builders (lib/views/carte.py), without Streamlit ----------------------------------


@pytest.fixture(scope="module")
def ctx():
    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    obj = targets.regional_objectives(figures, regions, pact)
    table = targets.indicator_table(figures, regions, pact, "production", "2015", objectives=obj)
    return figures, regions, pact, obj, table


def test_map_values_are_french_text(ctx):
    """The map's values: French formats, missing never 0 nor coloured, texts kept as typed (the
    map's tooltip escapes them: tests/browser/test_import_browser.py)."""
    *_, table = ctx
    table = table.copy()
    table.loc[table["code"] == "24", "source"] = "<script>x</script>"
    values, legend = carte_view.map_values(table, "production", "Logements", "2015")
    row = values.set_index("code")
    assert len(values) == 27
    assert row.loc["11", "t_rang"] == "1re sur 23" and row.loc["91", "t_rang"].endswith("e sur 23")
    assert row.loc["24", "t_source"] == "<script>x</script>"
    assert row.loc["06", "t_valeur"] == "donnée manquante" and row.loc["06", "t_nature"] == "manquant"
    assert row.loc["06", "couleur"] == "" and row.loc["11", "couleur"].startswith("#")
    assert "\u202f" in row.loc["11", "t_valeur"] and legend
    assert row.loc["91", "t_nom"] == "Languedoc-Roussillon — région prioritaire du pacte"
    assert row.loc["11", "t_indicateur"] == "Logements, 2015"
    assert row.loc["06", "description"] == "Mayotte : donnée manquante (manquant)"
    # the date of each source beside it in the tooltip; a region without figure has none
    assert row.loc["11", "t_date"].startswith(("publié", "consulté", "document d")) and row.loc["06", "t_date"] == "—"
    assert ("t_date", "Date de la source") in carte_view.MAP_TOOLTIP


def test_map_table_shows_the_date_of_each_source(ctx):
    *_, table = ctx
    shown = carte_view.screen_table(table, "production", "Logements").set_index("Région")
    cols = list(shown.columns)
    assert cols.index("Date de la source") == cols.index("Source") + 1
    assert shown.loc["Île-de-France", "Date de la source"] != ""


def test_display_table_never_shows_missing_as_zero(ctx):
    *_, table = ctx
    shown = carte_view.screen_table(table, "production", "Logements")
    assert shown.set_index("Région").loc["Mayotte", "Logements"] == "donnée manquante"
    assert shown["Rang"].iloc[0] == 1  # sorted by rank
    exported = carte_view.export_table(table, "production", "Logements")
    assert pd.isna(exported.set_index("Code").loc["06", "Logements"])  # an empty cell, not 0


def test_summary_caption_counts_natures(ctx):
    *_, table = ctx
    text = carte_view.summary_caption(table)
    assert text.startswith("27 régions : ") and text.endswith(" sans donnée.") and "estimé" in text


def test_priority_legend_names_the_pacts_regions(ctx):
    _figures, regions, pact, *_ = ctx
    text = carte_view.priority_legend_text(pact, regions)
    names = dict(zip(regions["code"], regions["nom"]))
    for code in pact["objectifs.regions_prioritaires"].value(2013):
        assert names[code] in text


def test_objectives_total_caption_matches_the_national_target(ctx):
    _figures, _regions, pact, obj, *_ = ctx
    text = carte_view.objectives_total_caption(obj, pact, "tous_bailleurs")
    target = fmt.fmt_int(pact["objectifs.production_tous_bailleurs"].value(2014))
    assert f"2014 : {target} (national {target})" in text


def test_map_csv_goes_through_lib_exports(ctx):
    *_, table = ctx
    table = table.copy()
    table.loc[table["code"] == "24", "source"] = "=cmd"
    raw = exports.to_csv_bytes(carte_view.export_table(table, "production", "Logements"))
    df = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Code": str})
    assert df.set_index("Code").loc["24", "Source"] == "'=cmd"


def test_a_click_on_the_map_opens_its_region_before_the_map_is_built_again(carte, monkeypatch):
    """The clicked region (the map's selection, in the session) opens its page at once: the run
    that follows the click neither builds nor sends the map again."""
    from lib import offline_map

    built = []
    real = offline_map.choropleth_spec
    monkeypatch.setattr(offline_map, "choropleth_spec", lambda *a, **k: built.append(1) or real(*a, **k))
    carte.session_state["carte_map"] = {"selection": {"region": [{"code": "24"}]}}
    carte.run()
    assert not carte.exception
    assert carte.header[0].value.replace("\\", "").startswith("Centre")
    assert carte.query_params["region"] in ("24", ["24"])
    assert built == []
