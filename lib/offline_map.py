"""Folium maps that draw with no network: every script and stylesheet comes from the app itself.

Why: folium 0.20 elements declare their browser assets as CDN addresses (``default_js`` /
``default_css``: Leaflet on jsdelivr, jQuery, Bootstrap, awesome-markers on cdnjs...), and
streamlit-folium 0.27.4 hands exactly those addresses to the map's iframe. Ministry networks filter
CDNs and this machine has no internet: the map would be blank. Streamlit serves ``./static`` at
``/app/static/`` (``server.enableStaticServing`` in ``.streamlit/config.toml``);
``scripts/fetch_static_assets.py`` puts Leaflet 1.9.4 from the npm registry in
``static/vendor/leaflet/``.

What a map of GeoJSON shapes with tooltips needs: Leaflet's script and stylesheet, nothing else.
jQuery, Bootstrap, glyphicons and awesome-markers are only used by markers with icons and some
plugins; ``offline_map`` drops them, and ``localize_assets`` refuses (``OfflineAssetError``) any
element whose asset has no local copy, so that a new plugin cannot silently bring a CDN back.
Branca colormaps make streamlit-folium add d3 from a CDN: draw legends outside the map.

No tile layer by default (``tiles=None``): the background is plain. A page may offer an online
basemap as an option, saying that it needs internet.
"""

from __future__ import annotations

from collections.abc import Iterator

import branca
import folium
import folium.elements

from lib import palettes
from lib.fmt import fmt_int

STATIC_URL = "/app/static/vendor"
LEAFLET_VERSION = "1.9.4"
LEAFLET_JS = ("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")
LEAFLET_CSS = ("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")

# Asset name (as folium declares it) -> local address, or None when the asset is not needed by the
# elements we use and is dropped.
LOCAL_ASSETS: dict[str, str | None] = {
    "leaflet": LEAFLET_JS[1],
    "leaflet_css": LEAFLET_CSS[1],
    "jquery": None,
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}

# A light neutral background where no basemap is drawn (sea and abroad), so the shapes stand out.
BACKGROUND_CSS = "background: #f4f6fa;"


class OfflineAssetError(RuntimeError):
    """An element of the map needs a browser asset that the app does not serve."""


class OfflineMap(folium.Map):
    """A folium Map whose own assets are Leaflet served by the app."""

    default_js = [LEAFLET_JS]
    default_css = [LEAFLET_CSS]


def _walk(element) -> Iterator[object]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _localize(assets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, url in assets:
        if url.startswith(STATIC_URL):
            out.append((name, url))
            continue
        if name not in LOCAL_ASSETS:
            raise OfflineAssetError(
                f"L'élément de carte demande « {name} » ({url}), qui n'est pas servi par "
                "l'application : ajoutez-le à scripts/fetch_static_assets.py et à LOCAL_ASSETS."
            )
        local = LOCAL_ASSETS[name]
        if local is not None:
            out.append((name, local))
    return out


def localize_assets(m: folium.Map) -> folium.Map:
    """Point every element's ``default_js`` / ``default_css`` at the app's copies (in place).

    Call it after adding layers and before rendering. Raises ``OfflineAssetError`` for an asset
    without a local copy, and for branca colormaps (streamlit-folium would load d3 from a CDN).
    """
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            raise OfflineAssetError(
                "Une échelle de couleurs branca ajoute d3 depuis un CDN : dessinez la légende hors de la carte."
            )
        if isinstance(element, folium.elements.JSCSSMixin):
            # instance attributes, so the class defaults (shared) stay untouched
            element.default_js = _localize(list(getattr(element, "default_js", [])))
            element.default_css = _localize(list(getattr(element, "default_css", [])))
    return m


def external_assets(m: folium.Map) -> list[str]:
    """Every asset address of the map that does not point at the app (should be empty)."""
    urls: list[str] = []
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            urls.append("d3 (branca colormap)")
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if not url.startswith(STATIC_URL):
                urls.append(url)
    return urls


def offline_map(**folium_kwargs) -> folium.Map:
    """A ``folium.Map`` with no tile layer (unless ``tiles=`` is given) and Leaflet served locally.

    Keyword arguments go to ``folium.Map``. Layers added later are checked by
    ``localize_assets`` (``lib.ui.carte`` calls it just before handing the map to st_folium).
    """
    folium_kwargs.setdefault("tiles", None)
    folium_kwargs.setdefault("control_scale", False)
    m = OfflineMap(**folium_kwargs)
    m.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ {BACKGROUND_CSS} }}</style>"), name="offline_bg"
    )
    return m


# ---------------------------------------------------------------------------------------------
# The regions choropleth (pure: builds a folium.Map from a GeoDataFrame and a table of values)

MISSING_FILL = "url(#hatch-missing)"  # SVG pattern defined in HATCH_SVG (needs Leaflet's SVG renderer)
HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    '<pattern id="hatch-missing" patternUnits="userSpaceOnUse" width="8" height="8" '
    'patternTransform="rotate(45)"><rect width="8" height="8" fill="#e5e5e5"/>'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#8a8a8a" stroke-width="3"/></pattern>'
    "</defs></svg>"
)
PRIORITY_COLOUR = "#161616"
ESTIMATE_COLOUR = "#c2571a"
BORDER_COLOUR = "#ffffff"

# Where the overseas regions are drawn: boxes in the Atlantic west of metropolitan France,
# (west, south, east, north) in degrees; the shapes are moved and scaled to fit (insets).
INSET_BOXES: dict[str, tuple[float, float, float, float]] = {
    "01": (-11.6, 49.0, -8.4, 51.0),   # Guadeloupe
    "02": (-11.6, 46.7, -8.4, 48.7),   # Martinique
    "03": (-11.6, 44.4, -8.4, 46.4),   # Guyane
    "04": (-11.6, 42.1, -8.4, 44.1),   # La Réunion
    "06": (-11.6, 39.8, -8.4, 41.8),   # Mayotte
}  # fmt: skip


def inset_overseas(gdf, boxes: dict[str, tuple[float, float, float, float]] = INSET_BOXES):
    """Move and scale the overseas regions into boxes beside metropolitan France (a copy).

    The scale differs between insets (Guyane is shrunk, Mayotte enlarged): the insets show where
    each region is coloured, not its size, as on INSEE's maps.
    """
    import shapely.affinity

    out = gdf.copy()
    for idx, row in out.iterrows():
        box = boxes.get(row["code"])
        if box is None:
            continue
        geom = row.geometry
        minx, miny, maxx, maxy = geom.bounds
        w, s, e, n = box
        pad = 0.15
        scale = min((e - w - 2 * pad) / max(maxx - minx, 1e-9), (n - s - 2 * pad) / max(maxy - miny, 1e-9))
        geom = shapely.affinity.scale(geom, xfact=scale, yfact=scale, origin=((minx + maxx) / 2, (miny + maxy) / 2))
        gx0, gy0, gx1, gy1 = geom.bounds
        geom = shapely.affinity.translate(geom, xoff=(w + e) / 2 - (gx0 + gx1) / 2, yoff=(s + n) / 2 - (gy0 + gy1) / 2)
        out.at[idx, "geometry"] = geom
    return out


def _style(props: dict) -> dict:
    nature = props.get("nature", "manquant")
    missing = nature == "manquant"
    estimated = nature == "estimé"
    return {
        "fillColor": MISSING_FILL if missing else props.get("couleur", "#cccccc"),
        "fillOpacity": 1.0 if missing else 0.9,
        "color": ESTIMATE_COLOUR if estimated else BORDER_COLOUR,
        "weight": 2.5 if estimated else 1,
        "dashArray": "6 4" if estimated else None,
    }


def region_choropleth(
    gdf,
    tooltip_fields: list[tuple[str, str]],
    priority_codes: list[str],
    height: int = 620,
    inset_labels: dict[str, str] | None = None,
) -> folium.Map:
    """A choropleth of the regions, drawable with no network.

    ``gdf``: GeoDataFrame with ``code``, ``nom``, ``couleur`` (fill, hex), ``nature`` and the
    tooltip fields; every text value must already be HTML-escaped (tooltips are HTML).
    Missing values (``nature == "manquant"``) are hatched grey; estimated ones have a dashed
    orange outline; ``priority_codes`` get a thick dark outline on top (not clickable, so a click
    reaches the region below). Overseas regions should be inset first (``inset_overseas``).
    """
    m = offline_map(
        location=[46.3, -0.5],
        zoom_start=5,
        min_zoom=4,
        max_zoom=9,
        zoom_snap=0.25,
        height=height,
        prefer_canvas=False,
        scrollWheelZoom=False,
    )
    m.get_root().html.add_child(folium.Element(HATCH_SVG), name="hatch_defs")
    m.get_root().header.add_child(
        folium.Element(
            "<style>.leaflet-tooltip{font-size:16px;line-height:1.35;max-width:420px;white-space:normal}"
            ".inset-label{font:600 13px Marianne,Arial,sans-serif;color:#3a3a3a;white-space:nowrap}</style>"
        ),
        name="map_css",
    )
    fields = [f for f, _ in tooltip_fields]
    layer = folium.GeoJson(
        gdf[
            ["code", "nom", "couleur", "nature", *[f for f in fields if f not in ("code", "nom", "nature")]]
            + ["geometry"]
        ].to_json(),
        name="Régions",
        style_function=lambda feature: _style(feature["properties"]),
        highlight_function=lambda feature: {"weight": 4, "color": "#000091"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[a for _, a in tooltip_fields], sticky=True, labels=True),
        zoom_on_click=False,
    )
    layer.add_to(m)
    prio = gdf[gdf["code"].isin(priority_codes)]
    if len(prio):
        folium.GeoJson(
            prio[["code", "geometry"]].to_json(),
            name="Régions prioritaires du pacte",
            style_function=lambda _f: {
                "fill": False,
                "color": PRIORITY_COLOUR,
                "weight": 4.5,
                "className": "region-prioritaire",
            },
            interactive=False,
        ).add_to(m)
    frames = []
    for code, label in (inset_labels or {}).items():
        box = INSET_BOXES.get(code)
        if box is None:
            continue
        w, s, e, n = box
        frames.append(
            {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]},
            }
        )
        folium.Marker(
            [n - 0.05, w + 0.1],
            icon=folium.DivIcon(
                html=f'<div class="inset-label">{label}</div>', icon_size=(160, 18), icon_anchor=(0, 0)
            ),
            interactive=False,
        ).add_to(m)
    if frames:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": frames},
            name="Encarts outre-mer",
            style_function=lambda _f: {"fill": False, "color": "#9a9a9a", "weight": 1},
            interactive=False,
        ).add_to(m)
    m.fit_bounds([[39.6, -11.8], [51.2, 9.8]])
    return localize_assets(m)


# Counts in five ordered classes; achievement rates in fixed classes around 100 % (orange below,
# blue reached). Both from lib.palettes, checked for colour-blind readers (tests/test_palettes.py).
BLUES = list(palettes.SEQUENTIAL_BLUES)
RATE_BREAKS = list(palettes.RATE_BREAKS)
RATE_COLOURS = list(palettes.RATE_COLOURS)


def _nice(x: float) -> float:
    if x <= 0:
        return 0.0
    import math

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
    import numpy as np

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
