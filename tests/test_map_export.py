"""Maps leave the app whole: a standalone HTML page that needs nothing from the app or a CDN and a
PNG, each with title, legend, sources and date; the balance map's scale no longer washes out to
white, and its colours travel with the values (the spec stays the same)."""

import datetime as dt
import json

import pytest

from lib import data, geo, map_export, offline_map, palettes, params, targets
from lib.views import carte as carte_view
from lib.views import mutualisation as mutualisation_view

TITLE = "Taux de réalisation de l'objectif — 2014"


@pytest.fixture(scope="module")
def rate_map():
    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    obj = targets.regional_objectives(figures, regions, pact, rule="population", reading="tous_bailleurs",
                                      reference_years=(2013, 2014, 2015))
    table = targets.indicator_table(figures, regions, pact, "taux", "2014", "total", obj)
    values, legend = carte_view.map_values(table, "taux", "Taux de réalisation de l'objectif", "2014")
    spec = offline_map.choropleth_spec(values, carte_view.MAP_TOOLTIP, priority_codes=targets.priority_regions(pact),
                                       select="region", description=carte_view.MAP_ALT)
    rows = map_export.legend_rows(legend, missing=True, estimate=True, priority="Régions prioritaires du pacte")
    return spec, legend, rows


def test_rate_classes_are_the_checked_palette(rate_map):
    _spec, legend, _rows = rate_map
    assert [c for _, c in legend] == list(palettes.RATE_COLOURS)
    assert [t for t, _ in legend] == list(palettes.RATE_LABELS)
    assert offline_map.RATE_BREAKS == list(palettes.RATE_BREAKS)
    assert offline_map.BLUES == list(palettes.SEQUENTIAL_BLUES)


def test_map_has_a_fixed_french_name(rate_map):
    spec, _legend, _rows = rate_map
    assert spec["description"] == carte_view.MAP_ALT and "tableau sous la carte" in carte_view.MAP_ALT


def test_standalone_html_needs_nothing_from_the_app(rate_map):
    spec, legend, rows = rate_map
    page = map_export.standalone_html(spec, TITLE, rows, "Sources : a.fr", legend_title="Taux", on=dt.date(2026, 1, 1))
    assert "app/static/" not in page and 'src="http' not in page and "<link" not in page
    assert '<html lang="fr">' in page and f"<title>{TITLE.replace(chr(39), '&#x27;')}</title>" in page
    assert "vegaEmbed" in page and "window.vegaLite" in page  # Vega itself is inside the file
    assert "1er janvier 2026" in page and "Sources : a.fr" in page
    for label, _ in legend:
        assert label in page
    assert "valeur estimée (contour tireté)" in page and "Régions prioritaires du pacte" in page
    # the geometry is in the page, the click selection is not
    start = page.index("const spec = ") + len("const spec = ")
    embedded = json.loads(page[start:page.index(";\n", start)])
    regions = [f for f in embedded["hconcat"][0]["data"]["values"] if f["properties"]["k"] == "r"]
    assert len(regions) == 27
    assert '"on": "click"' not in json.dumps(embedded) and embedded["usermeta"]["embedOptions"]["actions"] is False


def test_standalone_html_cannot_be_broken_by_a_name_from_data(rate_map):
    spec, _legend, rows = rate_map
    hostile = {**spec, "datasets": {"valeurs": spec["datasets"]["valeurs"].assign(t_source="</script><img src=x>")}}
    page = map_export.standalone_html(hostile, TITLE, rows, "Sources : a.fr", legend_title="Taux")
    assert "</script><img" not in page and "<img src=x>" not in page


def test_map_png_has_title_and_legend(rate_map):
    spec, _legend, rows = rate_map
    exported = map_export.export_spec(spec, rows, "Taux")
    legend_part = exported["hconcat"][1]
    assert [r["label"] for r in legend_part["data"]["values"]] == [r["label"] for r in rows]
    assert [r["fill"] for r in rows[:5]] == list(palettes.RATE_COLOURS)
    png = map_export.map_png(spec, TITLE, rows, "Sources : a.fr", legend_title="Taux")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_balance_map_scale_is_clipped_and_has_a_value_legend():
    _, regions = mutualisation_view.compute(mutualisation_view.default_values())
    scale = mutualisation_view.flows_scale(regions)
    largest = regions["solde_net_eur"].abs().max()
    assert scale.bound < largest, "the largest balance no longer sets the scale"
    assert scale.bound == palettes.nice_ceiling(float(regions["solde_net_eur"].abs().quantile(0.9)))
    colours = [scale.colour(v) for v in regions["solde_net_eur"]]
    assert colours.count(palettes.DIVERGING[3]) <= len(colours) // 3, "most regions are not white any more"
    legend = mutualisation_view.flows_legend(scale)
    assert len(legend) == 7 and legend[0][0].endswith("ou moins") and "M€" in legend[-1][0]
    assert legend[3][0].startswith("proche de zéro (")


def test_balance_map_colours_come_with_the_values_and_the_spec_stays():
    values = mutualisation_view.default_values()
    _, regions = mutualisation_view.compute(values)
    spec = mutualisation_view.flows_map(regions)
    scale = mutualisation_view.flows_scale(regions)
    table = spec["datasets"]["valeurs"].set_index("code")
    for code, solde in zip(regions["region_code"], regions["solde_net_eur"]):
        assert table.loc[str(code), "couleur"] == scale.colour(solde)
    assert set(table["couleur"]) - {""} <= set(palettes.DIVERGING)
    other = mutualisation_view.flows_map(regions.assign(solde_net_eur=regions["solde_net_eur"] * -3))
    assert list(other["datasets"]["valeurs"]["couleur"]) != list(table["couleur"])
    assert {k: v for k, v in other.items() if k != "datasets"} == {k: v for k, v in spec.items() if k != "datasets"}
    assert spec["description"] == mutualisation_view.FLOWS_MAP_ALT


def test_balance_map_exports(tmp_path):
    _, regions = mutualisation_view.compute(mutualisation_view.default_values())
    scale = mutualisation_view.flows_scale(regions)
    spec = mutualisation_view.flows_map(regions, scale=scale)
    rows = map_export.legend_rows(mutualisation_view.flows_map_legend(spec["datasets"]["valeurs"], scale))
    page = map_export.standalone_html(spec, mutualisation_view.FLOWS_MAP_TITLE, rows,
                                      mutualisation_view.FLOWS_SOURCES, legend_title="Solde net par région")
    assert "<title>Solde net de la mutualisation par région</title>" in page and "ou plus" in page
    png = map_export.map_png(spec, mutualisation_view.FLOWS_MAP_TITLE, rows, mutualisation_view.FLOWS_SOURCES,
                             legend_title="Solde net par région")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_balance_sentence_names_both_sides():
    _, regions = mutualisation_view.compute(mutualisation_view.default_values())
    text = mutualisation_view.flows_sentence(regions)
    assert text.startswith("En bref : ") and "contributrice" in text and "bénéficiaire" in text and "M€" in text
