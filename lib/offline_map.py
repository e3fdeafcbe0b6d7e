"""Maps of the regions drawn by Vega-Lite inside Streamlit's own page: no iframe, no CDN, no tiles.

Why Vega-Lite and not Leaflet: a Leaflet map reaches Streamlit through a component iframe that
is rebuilt, with its page, its script and its GeoJSON, whenever a colour or a tooltip changes;
the chart below keeps one view in the page and swaps its small table of values, so a change of
indicator, year or simulator setting recolours the map in place (measured in
bench/bench_browser.py).

How:
- the geometry is prepared once, projected (Lambert-93 for metropolitan France, each overseas
  region in its inset box), rounded to the kilometre, with the diagonal hatching of every region,
  the inset frames and their labels, and written to ``static/carte/regions.json``
  (``scripts/build_map_geometry.py``; ``tests/test_offline_map.py`` checks it is up to date).
  Streamlit serves it at ``app/static/carte/regions.json``: the browser loads it once and caches
  it, and no rerun sends it again;
- a page hands over a table of values, one row per region (``code`` plus the colour, the
  nature and the tooltip texts) as the named dataset ``valeurs``; the layers look their region
  up in it. The spec (``choropleth_spec``) never changes with the values: only the table does.

What a map shows: missing data hatched grey (never a colour of the scale, never 0), estimates
with a dashed orange outline, the pact's priority regions with a thick dark outline (named in
the legend beside the map), overseas regions as insets. Tooltip texts are plain text: Vega's
tooltip escapes them, so a name such as ``<img …>`` shows as typed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np

from lib import dsfr, natures, palettes
from lib.fmt import fmt_int
from lib.paths import STATIC

GEOMETRY_FILE = STATIC / "carte" / "regions.json"
GEOMETRY_URL = "app/static/carte/regions.json"  # relative: works under server.baseUrlPath too
VALUES = "valeurs"  # name of the dataset of values the layers look up

PRIORITY_COLOUR = "#161616"
ESTIMATE_COLOUR = "#c2571a"
BORDER_COLOUR = "#ffffff"
MISSING_FILL = "#e5e5e5"
HATCH_COLOUR = "#8a8a8a"
HOVER_COLOUR = "#000091"

# Where the overseas regions are drawn, in Lambert-93 kilometres (x0, y0, x1, y1): a column of
# boxes in the Atlantic west of Brittany, top to bottom. Each region is scaled to fit its box
# (Guyane shrunk, Mayotte enlarged): the insets show where each region is coloured, not its size,
# as on INSEE's maps.
INSET_BOXES: MappingProxyType[str, tuple[float, float, float, float]] = MappingProxyType({
    "01": (-150, 6900, 60, 7110),   # Guadeloupe
    "02": (-150, 6685, 60, 6885),   # Martinique
    "03": (-150, 6470, 60, 6670),   # Guyane
    "04": (-150, 6255, 60, 6455),   # La Réunion
    "06": (-150, 6047, 60, 6240),   # Mayotte
})  # fmt: skip
INSET_LABEL_KM = 34  # band at the top of each box kept for the region's name
HATCH_STEP_KM = 13  # distance between the hatching lines (about 8 px on a 640 px high map)


# ---------------------------------------------------------------------------------------------
# Geometry, prepared once (scripts/build_map_geometry.py writes it to GEOMETRY_FILE)


def _km(geom):
    import shapely

    return shapely.transform(geom, lambda xy: xy / 1000.0)


def _fit_into(geom, box: tuple[float, float, float, float], label_km: float):
    """Scale ``geom`` (a small region, locally projected) to fill ``box`` below its label band."""
    import shapely.affinity

    x0, y0, x1, y1 = box
    pad = 8.0
    minx, miny, maxx, maxy = geom.bounds
    w, h = x1 - x0 - 2 * pad, y1 - y0 - label_km - 2 * pad
    k = min(w / max(maxx - minx, 1e-9), h / max(maxy - miny, 1e-9))
    geom = shapely.affinity.scale(geom, xfact=k, yfact=k, origin=(minx, miny))
    gx0, gy0, gx1, gy1 = geom.bounds
    cx, cy = (x0 + x1) / 2, y0 + pad + h / 2
    return shapely.affinity.translate(geom, xoff=cx - (gx0 + gx1) / 2, yoff=cy - (gy0 + gy1) / 2)


def _local_projection(geom):
    """An overseas region in kilometres around its own centre (equirectangular, true at its
    latitude): right for a shape a few dozen kilometres across."""
    import shapely

    c = geom.centroid
    kx = 111.32 * math.cos(math.radians(c.y))

    def project(xy):
        out = xy.copy()
        out[:, 0] = (xy[:, 0] - c.x) * kx
        out[:, 1] = (xy[:, 1] - c.y) * 110.57
        return out

    return shapely.transform(geom, project)


def project_regions(gdf) -> list[tuple[str, str, Any]]:
    """(code, name, geometry in kilometres) for every region: metropolitan regions in Lambert-93,
    overseas regions scaled into their inset box. ``gdf``: ``lib.geo.load_regions_geo()``."""
    metro = gdf[~gdf["outre_mer"]].to_crs(2154)
    out = [(c, n, _km(g)) for c, n, g in zip(metro["code"], metro["nom"], metro.geometry)]
    overseas = gdf[gdf["outre_mer"]]
    for code, name, geom in zip(overseas["code"], overseas["nom"], overseas.geometry):
        out.append((code, name, _fit_into(_local_projection(geom), INSET_BOXES[code], INSET_LABEL_KM)))
    return sorted(out)


def hatch_lines(geom, step: float = HATCH_STEP_KM):
    """Diagonal lines (45°, rising to the right) clipped to ``geom``: the hatching of missing data,
    computed once rather than drawn with a pattern (Vega fills have no patterns)."""
    import shapely

    minx, miny, maxx, maxy = geom.bounds
    lines = []
    # lines y = x + c, for c from (miny - maxx) to (maxy - minx), aligned on a global grid so that
    # neighbouring regions' hatching lines continue across their border
    c = math.floor((miny - maxx) / step) * step
    while c <= maxy - minx:
        lines.append([(minx - 1, minx - 1 + c), (maxx + 1, maxx + 1 + c)])
        c += step
    clipped = shapely.set_precision(shapely.intersection(shapely.MultiLineString(lines), geom), 1.0)
    parts = [p for p in shapely.get_parts(clipped) if isinstance(p, shapely.LineString) and p.length > 0]
    return shapely.MultiLineString(parts)  # points where a line only touches a corner are left out


def _ints(coords):
    if isinstance(coords[0], (int, float)):
        return [int(round(c)) for c in coords]
    return [_ints(c) for c in coords]


def _rounded(geom) -> dict:
    """GeoJSON geometry of ``geom`` on the kilometre grid, coordinates written as integers."""
    import shapely

    g = json.loads(shapely.to_geojson(shapely.set_precision(geom, 1.0)))
    return {"type": g["type"], "coordinates": _ints(g["coordinates"])}


def build_geometry(gdf) -> dict:
    """The FeatureCollection of ``GEOMETRY_FILE``: one feature per region (``k`` = "r"), its
    hatching ("h"), the inset frames ("f") and the inset labels ("l", with ``x``, ``y`` and ``nom``).
    Coordinates are whole kilometres (Lambert-93 or inset box)."""
    import shapely

    feats = []
    for code, name, geom in project_regions(gdf):
        geom = shapely.set_precision(geom, 1.0)  # the shape drawn; its hatching is cut to it
        feats.append({"type": "Feature", "properties": {"k": "r", "code": code}, "geometry": _rounded(geom)})
        hatch = hatch_lines(geom)
        if not hatch.is_empty:
            feats.append({"type": "Feature", "properties": {"k": "h", "code": code}, "geometry": _rounded(hatch)})
        if code in INSET_BOXES:
            x0, y0, x1, y1 = INSET_BOXES[code]
            feats.append({"type": "Feature", "properties": {"k": "f", "code": code},
                          "geometry": _rounded(shapely.box(x0, y0, x1, y1).exterior)})
            feats.append({"type": "Feature", "properties": {"k": "l", "code": code, "nom": name,
                                                            "x": x0 + 8, "y": y1 - 6},
                          "geometry": {"type": "Point", "coordinates": [x0 + 8, y1 - 6]}})
    return {"type": "FeatureCollection", "features": feats}


def geometry_json(gdf) -> str:
    """``build_geometry`` as the compact text written to ``GEOMETRY_FILE``."""
    return json.dumps(build_geometry(gdf), ensure_ascii=False, separators=(",", ":")) + "\n"


# ---------------------------------------------------------------------------------------------
# The Vega-Lite spec (fixed: only the ``valeurs`` table changes)

_GEO_DATA = {"url": GEOMETRY_URL, "format": {"type": "json", "property": "features"}}


def _kind(k: str) -> dict:
    return {"filter": f"datum.properties.k === '{k}'"}


def _lookup(fields: Sequence[str]) -> list[dict]:
    return [
        {"calculate": "datum.properties.code", "as": "code"},
        {"lookup": "code", "from": {"data": {"name": VALUES}, "key": "code", "fields": list(fields)}},
    ]


@lru_cache(maxsize=16)
def _spec_json(tooltip: tuple[tuple[str, str], ...], priority_codes: tuple[str, ...], height: int,
               select: str | None, hatch_missing: bool, description: str | None, font: str) -> str:
    """The whole map as JSON text, cached on its arguments: the geometry and the layers depend on
    no value, so a recolour only swaps the small value table."""
    region_tooltip = [{"field": f, "type": "nominal", "title": t} for f, t in tooltip]
    layers = [_regions_layer(tooltip, region_tooltip, select)]
    if hatch_missing:
        layers.append(_missing_layer(tooltip, region_tooltip))
    layers.append(_estimate_layer(tooltip, region_tooltip))
    if priority_codes:
        layers.append(_priority_layer(priority_codes))
    layers.extend(_inset_layers())
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        **({"description": description} if description else {}),
        "data": _GEO_DATA,
        "projection": {"type": "identity", "reflectY": True},
        "height": height,
        "layer": layers,
        "config": {"view": {"stroke": None}, "font": font},
        "usermeta": {"embedOptions": {"renderer": "svg"}},
    }
    return json.dumps(spec, ensure_ascii=False)


def _regions_layer(tooltip: tuple[tuple[str, str], ...], region_tooltip: list[dict], select: str | None) -> dict:
    """The regions filled with the colour of their value, outlined on hover; with ``select``, a
    click names the region (the page opens it)."""
    fields = sorted({"couleur", "nature", "description", *(f for f, _ in tooltip)})
    hover = {"name": "survol", "select": {"type": "point", "on": "pointerover", "clear": "pointerout",
                                          "fields": ["code"]}}
    base_params = [hover]
    if select:
        base_params.append({"name": select, "select": {"type": "point", "on": "click", "fields": ["code"],
                                                      "toggle": False}})
    return {
        "params": base_params,
        "transform": [_kind("r"), *_lookup(fields)],
        "mark": {"type": "geoshape", "stroke": BORDER_COLOUR, "cursor": "pointer" if select else "default"},
        "encoding": {
            "fill": {"condition": {"test": "!datum.couleur", "value": MISSING_FILL},
                     "field": "couleur", "type": "nominal", "scale": None},
            "stroke": {"condition": {"param": "survol", "empty": False, "value": HOVER_COLOUR},
                       "value": BORDER_COLOUR},
            "strokeWidth": {"condition": {"param": "survol", "empty": False, "value": 3}, "value": 1},
            "tooltip": region_tooltip,
            "description": {"field": "description", "type": "nominal"},
        },
    }


def _missing_layer(tooltip: tuple[tuple[str, str], ...], region_tooltip: list[dict]) -> dict:
    """Missing data hatched in grey, never a colour of the scale, so a gap cannot read as a value."""
    return {
        "transform": [_kind("h"), *_lookup(["nature", "couleur", *(f for f, _ in tooltip)]),
                      {"filter": "datum.nature === 'manquant'"}],
        "mark": {"type": "geoshape", "aria": False, "fill": "none", "stroke": HATCH_COLOUR, "strokeWidth": 2.2,
                 "strokeCap": "butt"},
        "encoding": {"tooltip": region_tooltip},
    }


def _estimate_layer(tooltip: tuple[tuple[str, str], ...], region_tooltip: list[dict]) -> dict:
    """Estimates outlined in dashed orange, so that they are not read as published figures."""
    return {
        "transform": [_kind("r"), *_lookup(["nature", *(f for f, _ in tooltip)]),
                      {"filter": f"datum.nature === '{natures.ESTIME}'"}],
        "mark": {"type": "geoshape", "aria": False, "fill": "none", "stroke": ESTIMATE_COLOUR, "strokeWidth": 2.5,
                 "strokeDash": [6, 4]},
        "encoding": {"tooltip": region_tooltip},
    }


def _priority_layer(priority_codes: tuple[str, ...]) -> dict:
    """The pact's priority regions under a thick dark outline (the legend names it)."""
    return {
        "transform": [_kind("r"), {"calculate": "datum.properties.code", "as": "code"},
                      {"filter": {"field": "code", "oneOf": list(priority_codes)}}],
        "mark": {"type": "geoshape", "aria": False, "fill": "none", "stroke": PRIORITY_COLOUR, "strokeWidth": 4.5,
                 "strokeJoin": "round"},
    }


def _inset_layers() -> list[dict]:
    """The overseas insets' frames (a click on one opens its region) and their labels."""
    frames = {
        "transform": [_kind("f"), {"calculate": "datum.properties.code", "as": "code"}],
        "mark": {"type": "geoshape", "aria": False, "fill": "none", "stroke": "#9a9a9a", "strokeWidth": 1},
    }
    labels = {
        "transform": [_kind("l"), {"calculate": "datum.properties.nom", "as": "nom"},
                      {"calculate": "datum.properties.x", "as": "x"},
                      {"calculate": "datum.properties.y", "as": "y"}],
        "mark": {"type": "text", "aria": False, "align": "left", "baseline": "top", "fontSize": 13, "fontWeight": 600,
                 "color": "#3a3a3a"},
        "encoding": {"longitude": {"field": "x", "type": "quantitative"},
                     "latitude": {"field": "y", "type": "quantitative"},
                     "text": {"field": "nom", "type": "nominal"}},
    }
    return [frames, labels]


def choropleth_spec(values, tooltip: Sequence[tuple[str, str]], *, priority_codes: Sequence[str] = (),
                    height: int = 640, select: str | None = None, hatch_missing: bool = True,
                    description: str | None = None) -> dict:
    """The Vega-Lite spec of a region map coloured by ``values`` (DataFrame, one row per region:
    ``code``, ``couleur`` (hex, empty where missing), ``nature``, ``description`` (what a screen
    reader says of the region) and the ``tooltip`` fields, plain text).

    ``tooltip``: (field, title) pairs; ``description``: the map's accessible name (or pass
    ``alt=`` to ``st.vega_lite_chart``); ``select``: name of a click selection returning the
    region's ``code`` (for ``st.vega_lite_chart(on_select=…)``). Everything but ``values`` is
    fixed for a given map, so the browser keeps its view and only swaps the values.
    The SVG renderer is asked for: each region is an element with its description (screen
    readers, tests); the overlays (hatching, outlines, insets) are hidden from screen readers,
    and their inside is ``fill: none`` so that the pointer reaches the region under them.
    """
    spec = json.loads(_spec_json(tuple(tuple(t) for t in tooltip), tuple(priority_codes), height, select,
                                 hatch_missing, description, dsfr.font_stack()))
    spec["datasets"] = {VALUES: values}
    return spec


# ---------------------------------------------------------------------------------------------
# Colours of the values (legend drawn beside the map)

# Counts in five ordered classes; achievement rates in fixed classes around 100 % (orange below,
# blue reached). Both from lib.palettes, checked for colour-blind readers (tests/test_palettes.py).
BLUES = list(palettes.SEQUENTIAL_BLUES)
RATE_BREAKS = list(palettes.RATE_BREAKS)
RATE_COLOURS = list(palettes.RATE_COLOURS)


def _nice(x: float) -> float:
    if x <= 0:
        return 0.0
    mag = 10 ** math.floor(math.log10(x))
    for step in (1, 2, 2.5, 5, 10):
        if x <= step * mag:
            return step * mag
    return 10 * mag


def classify(values, rate: bool = False, fmt=None) -> tuple[list[str | None], list[tuple[str, str]]]:
    """Colour per value (None where missing) and the legend ``[(label, colour)]``.

    Counts: five classes on rounded quantiles of the values shown; rates: fixed classes around
    100 % of the objective (below 50 %, 50–75 %, 75–90 %, 90–100 %, reached).
    """
    vals = np.asarray(values, dtype=float)
    if fmt is None:
        fmt = fmt_int

    if rate:
        breaks, colours = RATE_BREAKS, RATE_COLOURS
        labels = list(palettes.RATE_LABELS)
    else:
        present = vals[~np.isnan(vals)]
        if present.size == 0:
            return [None] * len(vals), []
        qs = np.quantile(present, [0.2, 0.4, 0.6, 0.8])
        breaks = sorted({_nice(q) for q in qs if q > 0})
        colours = BLUES[-(len(breaks) + 1) :] if len(breaks) < 4 else BLUES
        lo = [0.0, *breaks]
        labels = [f"moins de {fmt(breaks[0])}"] if breaks else ["toutes valeurs"]
        labels += [f"{fmt(a)} à {fmt(b)}" for a, b in zip(lo[1:-1], breaks[1:])]
        if breaks:
            labels.append(f"{fmt(breaks[-1])} ou plus")
    out: list[str | None] = []
    for v in vals:
        if np.isnan(v):
            out.append(None)
        else:
            out.append(colours[int(np.searchsorted(breaks, v, side="right"))])
    return out, list(zip(labels, colours))
