"""Maps taken out of the app: a standalone HTML file and a PNG image, both with title, legend,
sources and date, so that a map sent to a committee still says what it shows.

- ``standalone_html``: the folium map with Leaflet inlined (the app serves Leaflet at
  ``/app/static/vendor``, which a file opened from a mail would not reach), ``lang="fr"``, the
  title, the legend and the sources written in the page.
- ``map_chart`` / ``map_png``: the same shapes and colours drawn by Vega (``mark_geoshape``) and
  rendered by vl-convert, without a browser; the legend is the map's own classes.
"""

from __future__ import annotations

import datetime as dt
import html
import json

import altair as alt

from lib import charts, dsfr, fmt
from lib.paths import STATIC

LEAFLET_DIR = STATIC / "vendor" / "leaflet"
MISSING_LABEL = "donnée manquante"


def _inline_leaflet(page: str) -> str:
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    tag = '<script src="/app/static/vendor/leaflet/leaflet.js"></script>'
    page = page.replace(tag, "<script>" + js.replace("</script", "<\\/script") + "</script>")
    page = page.replace('<link rel="stylesheet" href="/app/static/vendor/leaflet/leaflet.css"/>', f"<style>{css}</style>")
    return page


def standalone_html(m, title: str, legend: list[tuple[str, str]], sources: str, on: dt.date | None = None) -> str:
    """A self-contained HTML page of the map (opens offline, from a file)."""
    day = on or dt.date.today()
    page = m.get_root().render()
    page = _inline_leaflet(page)
    if "/app/static/" in page:
        raise RuntimeError("la carte exportée renvoie encore à un fichier servi par l'application")
    rows = "".join(
        f'<li><span style="background:{c}"></span>{html.escape(t)}</li>' for t, c in legend
    )
    aside = f"""
<header class="export-head">
<h1>{html.escape(title)}</h1>
<p>{html.escape(sources)}. Tableau de bord du Pacte Hlm 2013-2015 — export du {fmt.fmt_date(day)}.</p>
<ul class="export-legend" aria-label="Légende">{rows}</ul>
</header>"""
    style = f"""<style>
body {{ font-family: {dsfr.font_stack()}; color: {dsfr.colour(dsfr.TEXT_DEFAULT)}; margin: 0; }}
.export-head {{ padding: 12px 16px; }} .export-head h1 {{ font-size: 1.5rem; margin: 0 0 4px 0; color: #161616; }}
.export-head p {{ margin: 0 0 8px 0; color: #666; }}
.export-legend {{ list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 0; }}
.export-legend span {{ display: inline-block; width: 22px; height: 14px; border: 1px solid #999;
  vertical-align: middle; margin-right: 6px; }}
</style>"""
    page = page.replace("<!DOCTYPE html>\n<html>", '<!DOCTYPE html>\n<html lang="fr">', 1)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>\n{style}", 1)
    return page.replace("<body>", "<body>" + aside, 1)


def map_chart(gdf, legend: list[tuple[str, str]], colour_column: str = "couleur") -> alt.Chart:
    """Vega geoshape of ``gdf`` (``nom``, ``colour_column``, geometry in degrees), coloured as on
    screen, with the map's classes as legend (a missing value in its own grey class)."""
    by_colour = {c: label for label, c in legend}
    frame = gdf[["nom", colour_column, "geometry"]].copy()
    frame["classe"] = [by_colour.get(c, MISSING_LABEL) for c in frame[colour_column]]
    features = json.loads(frame.to_json())["features"]
    labels = [label for label, _ in legend]
    colours = [c for _, c in legend]
    if MISSING_LABEL in set(frame["classe"]):
        labels.append(MISSING_LABEL)
        colours.append("#e5e5e5")
    return (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.8)
        .encode(
            color=alt.Color("properties.classe:N", title=None, sort=labels,
                            scale=alt.Scale(domain=labels, range=colours),
                            legend=alt.Legend(orient="right", labelLimit=420, symbolType="square")),
            tooltip=[alt.Tooltip("properties.nom:N", title="Région"), alt.Tooltip("properties.classe:N", title="Classe")],
        )
        .project(type="mercator")
        .properties(width=720, height=640)
    )


def map_png(gdf, legend: list[tuple[str, str]], title: str, sources: str, colour_column: str = "couleur",
            on: dt.date | None = None) -> bytes:
    """The map as a PNG with title, legend, sources and date."""
    chart = charts.french(map_chart(gdf, legend, colour_column), title)
    return charts.export_png(chart, title, sources, on)
