"""Maps taken out of the app: a standalone HTML page and a PNG image, both with title, legend,
sources and date, so that a map sent to a committee still says what it shows.

Both start from the spec drawn on screen (``lib.offline_map.choropleth_spec``) with its geometry
written into it (on screen the browser loads ``static/carte/regions.json`` from the app, which a
file opened from a mail would not reach) and the legend drawn beside it by Vega:

- ``standalone_html``: Vega, Vega-Lite and vega-embed inlined by vl-convert (``bundle=True``),
  ``lang="fr"``, ``<title>``, a header with the title, the sources and the date, the legend as
  text; it loads nothing, from the app or a CDN, and keeps the tooltips;
- ``map_png``: the same spec rendered by vl-convert, without a browser (``charts.export_png``:
  title, sources and date above the map).
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
from functools import lru_cache

from lib import charts, dsfr, fmt, offline_map

MAP_WIDTH = 720  # px: the view the geometry is fitted into
LEGEND_ROW = 26  # px per legend row

# Legend entries that are not a colour of the scale: how the map draws them
MISSING_ENTRY = ("donnée manquante (hachures)", offline_map.MISSING_FILL, offline_map.HATCH_COLOUR, 1.5, False)
ESTIMATE_ENTRY = ("valeur estimée (contour tireté)", "#ffffff", offline_map.ESTIMATE_COLOUR, 2.5, True)


@lru_cache(maxsize=1)
def _geometry() -> tuple:
    return tuple(json.loads(offline_map.GEOMETRY_FILE.read_text(encoding="utf-8"))["features"])


def legend_rows(legend: list[tuple[str, str]], *, missing: bool = False, estimate: bool = False,
                priority: str | None = None) -> list[dict]:
    """The rows of the exported legend: the value classes, then (when asked) missing data,
    estimates and the priority outline, each drawn as on the map."""
    rows = [{"label": t, "fill": c, "stroke": "#9a9a9a", "width": 1, "dash": False} for t, c in legend]
    if missing:
        rows.append(dict(zip(("label", "fill", "stroke", "width", "dash"), MISSING_ENTRY)))
    if estimate:
        rows.append(dict(zip(("label", "fill", "stroke", "width", "dash"), ESTIMATE_ENTRY)))
    if priority:
        rows.append({"label": priority, "fill": "#ffffff", "stroke": offline_map.PRIORITY_COLOUR, "width": 4,
                     "dash": False})
    return [{**r, "i": i} for i, r in enumerate(rows)]


def export_spec(map_spec: dict, rows: list[dict], legend_title: str) -> dict:
    """The map of ``map_spec`` with its geometry inline and no click selection, beside a legend
    drawn by Vega (``rows`` from ``legend_rows``)."""
    spec = copy.deepcopy(map_spec)
    layers = spec["layer"]
    for layer in layers:
        layer["params"] = [p for p in layer.get("params", []) if p.get("select", {}).get("on") != "click"]
        if not layer["params"]:
            del layer["params"]
        layer.get("mark", {}).pop("cursor", None)
    geo = {"values": list(_geometry())}
    height = spec.get("height", 640)
    legend = {
        "data": {"values": rows},
        "width": 390,
        "height": max(LEGEND_ROW * len(rows), LEGEND_ROW),
        "title": {"text": legend_title, "anchor": "start", "fontSize": 17},
        "encoding": {"y": {"field": "i", "type": "ordinal", "axis": None,
                           "scale": {"paddingInner": 0.25, "paddingOuter": 0.1}}},
        "layer": [
            {"mark": {"type": "rect", "x": 0, "x2": 28, "tooltip": False},
             "encoding": {"fill": {"field": "fill", "type": "nominal", "scale": None},
                          "stroke": {"field": "stroke", "type": "nominal", "scale": None},
                          "strokeWidth": {"field": "width", "type": "quantitative", "scale": None},
                          "strokeDash": {"condition": {"test": "datum.dash", "value": [5, 3]}, "value": [1, 0]}}},
            {"mark": {"type": "text", "x": 38, "align": "left", "baseline": "middle", "fontSize": 15,
                      "limit": 350, "color": dsfr.colour(dsfr.TEXT_DEFAULT)},
             "encoding": {"text": {"field": "label", "type": "nominal"}}},
        ],
    }
    return {
        "$schema": spec["$schema"],
        **({"description": spec["description"]} if "description" in spec else {}),
        "datasets": spec.get("datasets", {}),
        "hconcat": [
            {"data": geo, "projection": spec["projection"], "width": MAP_WIDTH, "height": height, "layer": layers},
            legend,
        ],
        "spacing": 24,
        "config": {**spec.get("config", {}), "view": {"stroke": None}},
        # no action menu: its entries are in English, and it would offer to open the Vega editor online
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}},
    }


def _safe_json(spec: dict) -> str:
    """The spec as JSON that cannot close the script element it is written in."""
    return (json.dumps(spec, ensure_ascii=False, default=_jsonable)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _jsonable(value):
    if hasattr(value, "to_dict"):
        return value.to_dict(orient="records")
    raise TypeError(f"{type(value).__name__} n'est pas sérialisable")


def _plain(spec: dict) -> dict:
    return json.loads(json.dumps(spec, ensure_ascii=False, default=_jsonable))


def standalone_html(map_spec: dict, title: str, rows: list[dict], sources: str, *, legend_title: str,
                    on: dt.date | None = None) -> str:
    """A self-contained HTML page of the map (opens offline, from a file, with its tooltips)."""
    import vl_convert as vlc

    day = on or dt.date.today()
    spec = _plain(export_spec(map_spec, rows, legend_title))
    page = vlc.vegalite_to_html(spec, bundle=True, renderer="svg")
    # vl-convert writes the spec as raw JSON in a script: a text from data holding "</script>"
    # would end it. The spec is written again with <, > and & escaped.
    start = page.index("const spec = ") + len("const spec = ")
    end = page.index(";\n", start)
    page = page[:start] + _safe_json(spec) + page[end:]
    if "/app/static/" in page or 'src="http' in page or "<link" in page:
        raise RuntimeError("la carte exportée renvoie encore à un fichier extérieur")
    items = "".join(
        f'<li><span style="background:{html.escape(r["fill"])};border:{r["width"]}px '
        f'{"dashed" if r["dash"] else "solid"} {html.escape(r["stroke"])}"></span>{html.escape(r["label"])}</li>'
        for r in rows)
    head = f"""
<header class="export-head">
<h1>{html.escape(title)}</h1>
<p>{html.escape(sources)}. Tableau de bord du Pacte Hlm 2013-2015 — export du {fmt.fmt_date(day)}.</p>
<h2>{html.escape(legend_title)}</h2>
<ul class="export-legend">{items}</ul>
<p>Outre-mer en encarts (échelles différentes). Survolez une région pour lire ses chiffres.</p>
</header>
<main>"""
    style = f"""<style>
body {{ font-family: {dsfr.font_stack()}; color: {dsfr.colour(dsfr.TEXT_DEFAULT)}; margin: 0 16px; }}
.export-head h1 {{ font-size: 1.6rem; margin: 12px 0 4px 0; color: #161616; }}
.export-head h2 {{ font-size: 1.1rem; margin: 8px 0 4px 0; }}
.export-head p {{ margin: 0 0 8px 0; color: #595959; }}
.export-legend {{ list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 0 0 8px 0; }}
.export-legend span {{ display: inline-block; width: 22px; height: 14px; vertical-align: middle; margin-right: 6px;
  box-sizing: border-box; }}
</style>"""
    page = page.replace("<html>", '<html lang="fr">', 1)
    page = page.replace("<title>Chart</title>", f"<title>{html.escape(title)}</title>\n{style}", 1)
    page = page.replace('<div id="vega-chart"></div>',
                        f'{head}<div id="vega-chart" role="figure" aria-label="{html.escape(title)}"></div></main>', 1)
    return page


def map_png(map_spec: dict, title: str, rows: list[dict], sources: str, *, legend_title: str,
            on: dt.date | None = None) -> bytes:
    """The map as a PNG with its legend, title, sources and date."""
    return charts.export_png(_plain(export_spec(map_spec, rows, legend_title)), title, sources, on)
