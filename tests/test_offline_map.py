"""The map's browser assets are served by the app (lib/offline_map.py, static/vendor/)."""

from __future__ import annotations

import re

import folium
import folium.plugins
import geopandas as gpd
import pytest

from lib import offline_map
from lib.geo import REGIONS_GEO_FILE
from lib.paths import STATIC


def _local_file(url: str):
    assert url.startswith("/app/static/")
    return STATIC / url.removeprefix("/app/static/")


def test_leaflet_files_are_shipped():
    for _, url in [offline_map.LEAFLET_JS, offline_map.LEAFLET_CSS]:
        assert _local_file(url).stat().st_size > 10_000
    assert "leaflet@1.9.4" in (STATIC / "vendor" / "leaflet" / "VERSION").read_text()


def test_offline_map_has_no_tiles_and_no_cdn():
    m = offline_map.offline_map(location=[46, 2], zoom_start=5)
    folium.GeoJson({"type": "FeatureCollection", "features": []}, tooltip=None).add_to(m)
    offline_map.localize_assets(m)
    assert offline_map.external_assets(m) == []
    page = m.get_root().render()
    assert not re.search(r'(src|href)="https?://', page)
    assert "tile.openstreetmap" not in page


def test_unknown_plugin_asset_is_refused():
    m = offline_map.offline_map()
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(offline_map.OfflineAssetError):
        offline_map.localize_assets(m)


def test_class_defaults_of_folium_are_untouched():
    m = offline_map.offline_map()
    folium.Marker([46, 2]).add_to(m)
    offline_map.localize_assets(m)
    assert folium.Map.default_js[0][1].startswith("https://")


def test_choropleth_builds_offline_with_insets():
    gdf = offline_map.inset_overseas(gpd.read_file(REGIONS_GEO_FILE))
    for code, (w, s, e, n) in offline_map.INSET_BOXES.items():
        minx, miny, maxx, maxy = gdf.loc[gdf["code"] == code, "geometry"].iloc[0].bounds
        assert w <= minx and maxx <= e and s <= miny and maxy <= n
    gdf["couleur"] = "#000091"
    gdf["nature"] = ["manquant" if c.startswith("0") else "cité" for c in gdf["code"]]
    m = offline_map.region_choropleth(gdf, [("nom", "Région")], ["11", "93", "91"], inset_labels={"01": "Guadeloupe"})
    assert offline_map.external_assets(m) == []
    html = m.get_root().render()
    assert "hatch-missing" in html and "region-prioritaire" in html


@pytest.mark.parametrize("values, rate, n_classes", [([1, 10, 100, 1000, 10000], False, 5), ([0.4, 0.8, 1.2], True, 5)])
def test_classify_never_colours_missing(values, rate, n_classes):
    colours, legend = offline_map.classify([*values, float("nan")], rate=rate)
    assert colours[-1] is None and all(colours[:-1])
    assert len(legend) <= n_classes
