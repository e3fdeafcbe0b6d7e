"""Maps leave the app whole: a standalone HTML page that opens offline and a PNG, each with title,
legend, sources and date; the balance map's scale no longer washes out to white."""

import datetime as dt

import pytest

from lib import carte_view, data, geo, map_export, mutualisation_view, offline_map, palettes, params, targets


@pytest.fixture(scope="module")
def rate_map():
    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    obj = targets.regional_objectives(figures, regions, pact, rule="population", reading="tous_bailleurs",
                                      reference_years=(2013, 2014, 2015))
    table = targets.indicator_table(figures, regions, pact, "taux", "2014", "total", obj)
    shapes = offline_map.inset_overseas(geo.load_regions_geo())[["code", "nom", "outre_mer", "geometry"]]
    gdf, legend = carte_view.map_frame(table, "taux", shapes)
    m = offline_map.region_choropleth(gdf, [("t_nom", "Région")], targets.priority_regions(pact))
    return gdf, legend, m


def test_standalone_html_needs_nothing_from_the_app(rate_map):
    _gdf, legend, m = rate_map
    page = map_export.standalone_html(m, "Taux de réalisation — 2014", legend, "Sources : a.fr", on=dt.date(2026, 1, 1))
    assert "/app/static/" not in page and "cdn" not in page.lower()
    assert '<html lang="fr">' in page and "<title>Taux de réalisation — 2014</title>" in page
    assert "L.map(" in page and "Leaflet" in page  # Leaflet itself is inside the file
    assert "1er janvier 2026" in page and "Sources : a.fr" in page
    for label, _ in legend:
        assert label.replace("%", "") .split()[0] in page


def test_map_png_has_the_classes_as_legend(rate_map):
    gdf, legend, _m = rate_map
    spec = map_export.map_chart(gdf, legend).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"][: len(legend)] == [c for _, c in legend]
    png = map_export.map_png(gdf, legend, "Taux de réalisation — 2014", "Sources : a.fr")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_balance_map_scale_is_clipped_and_has_a_value_legend():
    _, regions = mutualisation_view.compute(mutualisation_view.default_values())
    scale = mutualisation_view.flows_scale(regions)
    largest = regions["solde_net_eur"].abs().max()
    assert scale.bound < largest, "the largest balance no longer sets the scale"
    colours = [scale.colour(v) for v in regions["solde_net_eur"]]
    assert colours.count(palettes.DIVERGING[3]) <= len(colours) // 3, "most regions are not white any more"
    legend = mutualisation_view.flows_legend(scale)
    assert len(legend) == 7 and legend[0][0].endswith("ou moins") and "M€" in legend[-1][0]
