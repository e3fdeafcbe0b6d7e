"""Region maps drawn by Vega-Lite with fixed, prepared geometry (lib/offline_map.py)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import shapely
import vl_convert as vlc

from lib import geo, offline_map
from lib.geo import OVERSEAS_REGION_CODES, REGION_CODES

TOOLTIP = (("t_nom", "Région"), ("t_valeur", "Valeur"))


@pytest.fixture(scope="module")
def geometry() -> dict:
    return json.loads(offline_map.GEOMETRY_FILE.read_text(encoding="utf-8"))


def _features(geometry: dict, kind: str) -> dict[str, dict]:
    return {f["properties"]["code"]: f for f in geometry["features"] if f["properties"]["k"] == kind}


def _values(natures: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([
        {"code": code, "couleur": "" if nature == "manquant" else "#000091", "nature": nature,
         "description": f"Région {code} : {nature}", "t_nom": f"Région {code}", "t_valeur": "1"}
        for code, nature in natures.items()
    ])


def test_geometry_file_is_built_from_the_shipped_shapes():
    """static/carte/regions.json is what scripts/build_map_geometry.py makes of data/geo/."""
    expected = offline_map.geometry_json(geo.load_regions_geo())
    assert offline_map.GEOMETRY_FILE.read_text(encoding="utf-8") == expected, (
        "relancez python scripts/build_map_geometry.py")


def test_geometry_has_every_region_once_and_small(geometry):
    regions = _features(geometry, "r")
    assert sorted(regions) == sorted(REGION_CODES)
    assert offline_map.GEOMETRY_FILE.stat().st_size < 300_000
    for f in regions.values():
        shape = shapely.geometry.shape(f["geometry"])
        assert shape.is_valid and shape.area > 0
        coords = re.findall(r"-?\d+(?:\.\d+)?", json.dumps(f["geometry"]["coordinates"]))
        assert all("." not in c for c in coords)  # whole kilometres: a small file


def test_overseas_regions_sit_in_their_inset_with_a_label(geometry):
    regions, labels = _features(geometry, "r"), _features(geometry, "l")
    for code in OVERSEAS_REGION_CODES:
        x0, y0, x1, y1 = offline_map.INSET_BOXES[code]
        minx, miny, maxx, maxy = shapely.geometry.shape(regions[code]["geometry"]).bounds
        assert x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1 - offline_map.INSET_LABEL_KM + 1
        assert labels[code]["properties"]["nom"]
    metro = shapely.union_all([shapely.geometry.shape(f["geometry"]) for c, f in regions.items()
                               if c not in OVERSEAS_REGION_CODES])
    for code in OVERSEAS_REGION_CODES:  # no inset covers metropolitan France
        assert not shapely.box(*offline_map.INSET_BOXES[code]).intersects(metro)


def test_every_region_has_its_hatching_inside_it(geometry):
    regions, hatch = _features(geometry, "r"), _features(geometry, "h")
    assert sorted(hatch) == sorted(REGION_CODES)
    for code, f in hatch.items():
        lines = shapely.geometry.shape(f["geometry"])
        assert lines.length > 0
        assert shapely.geometry.shape(regions[code]["geometry"]).buffer(1.5).contains(lines)


def test_spec_is_fixed_whatever_the_values():
    """Only the table of values changes: the browser keeps its view and recolours in place."""
    a = offline_map.choropleth_spec(_values({"24": "cité"}), TOOLTIP, select="region")
    b = offline_map.choropleth_spec(_values({"24": "manquant", "11": "estimé"}), TOOLTIP, select="region")
    assert {k: v for k, v in a.items() if k != "datasets"} == {k: v for k, v in b.items() if k != "datasets"}
    assert a["data"]["url"] == offline_map.GEOMETRY_URL and not a["data"]["url"].startswith(("/", "http"))
    text = json.dumps({k: v for k, v in a.items() if k not in ("$schema", "datasets")})
    assert "http" not in text  # nothing from outside: the geometry is served by the app


def _render(values: pd.DataFrame, geometry: dict, **kwargs) -> str:
    spec = offline_map.choropleth_spec(values, TOOLTIP, **kwargs)
    spec["data"] = {"values": geometry["features"]}  # the file the browser loads
    spec["datasets"] = {offline_map.VALUES: values.to_dict("records")}
    spec["width"] = 800
    return vlc.vegalite_to_svg(spec)


def test_missing_is_hatched_grey_estimates_dashed_priority_outlined(geometry):
    natures = {code: "cité" for code in REGION_CODES} | {"24": "manquant", "53": "estimé"}
    svg = _render(_values(natures), geometry, priority_codes=("11", "93", "91"), select="region")
    region = {m.group(1): m.group(0) for m in re.finditer(r'<path aria-label="Région (\d\d) : [^"]*"[^>]*>', svg)}
    assert sorted(region) == sorted(REGION_CODES)  # each region described for screen readers
    assert f'fill="{offline_map.MISSING_FILL}"' in region["24"]  # missing: grey, never a colour of the scale
    assert 'fill="#000091"' in region["11"]
    assert svg.count(f'stroke="{offline_map.HATCH_COLOUR}"') == 1  # hatching drawn for region 24 only
    assert svg.count(f'stroke="{offline_map.ESTIMATE_COLOUR}"') == 1 and 'stroke-dasharray="6,4"' in svg
    assert svg.count(f'stroke="{offline_map.PRIORITY_COLOUR}"') == 3
    for code in OVERSEAS_REGION_CODES:  # inset labels, as text
        assert next(f["properties"]["nom"] for f in geometry["features"]
                    if f["properties"]["k"] == "l" and f["properties"]["code"] == code) in svg


def test_tooltip_text_from_data_is_not_markup(geometry):
    values = _values({code: "cité" for code in REGION_CODES})
    values.loc[values["code"] == "24", "description"] = "<img src=x onerror=alert(1)>"
    svg = _render(values, geometry)
    assert "<img" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg


def test_click_selection_returns_the_region_code():
    spec = offline_map.choropleth_spec(_values({"24": "cité"}), TOOLTIP, select="region")
    (layer,) = [lay for lay in spec["layer"] if any(p["name"] == "region" for p in lay.get("params", []))]
    (param,) = [p for p in layer["params"] if p["name"] == "region"]
    assert param["select"] == {"type": "point", "on": "click", "fields": ["code"], "toggle": False}
    spec["datasets"] = {offline_map.VALUES: _values({"24": "cité"}).to_dict("records")}
    assert vlc.vegalite_to_vega(spec)  # a valid Vega-Lite spec


@pytest.mark.parametrize("values, rate, n_classes", [([1, 10, 100, 1000, 10000], False, 5), ([0.4, 0.8, 1.2], True, 5)])
def test_classify_never_colours_missing(values, rate, n_classes):
    colours, legend = offline_map.classify([*values, float("nan")], rate=rate)
    assert colours[-1] is None and all(colours[:-1])
    assert len(legend) <= n_classes
