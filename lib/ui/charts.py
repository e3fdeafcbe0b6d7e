"""A chart on the page as every reader needs it: a French title for assistive technology (the
``alt`` of st.altair_chart and the Vega description), a table or sentence twin, and exports as
PNG and SVG that carry the title, the sources and the date (``lib.charts.export_png``)."""

from __future__ import annotations

import html
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from lib import charts, fmt
from lib.ui import lazy, tables


def show_chart(
    chart: alt.TopLevelMixin | dict | Callable[[], alt.TopLevelMixin | dict | None],
    alt_text: str,
    *,
    key: str,
    sources: str,
    twin: pd.DataFrame | str | Callable[[], pd.DataFrame | None] | None = None,
    twin_label: str = "Les chiffres du graphique (tableau)",
    width: str = "stretch",
    cache: tuple | None = None,
):
    """Draw ``chart`` (already passed through ``charts.french``, or a spec from ``charts.to_spec``)
    with its alternatives; returns the element, or None when ``chart`` gave no chart.

    ``cache``: when given, ``chart`` is a callable and its spec is built once for that key
    (``lib.ui.computed``; the key names the chart and its data), so that a rerun does no altair
    work. ``twin``: a sentence (shown under the chart), or a table (French text, formats done by
    the caller) or a callable giving it, shown in an expander and built only once the reader opens
    it; None when the page already shows the same figures right beside the chart (say so in the
    docstring of the caller). ``key`` names the export files, the buttons and the twin's expander
    (``<key>_twin`` in the session: ``True`` opens it).
    """
    found = chart_spec(chart, alt_text, cache)
    if found is None:
        return None
    # the spec's description is the accessible name (an alt= as well would override it, with a warning)
    element = st.vega_lite_chart(found, width=width, key=f"{key}_chart")
    if isinstance(twin, str):
        st.caption(twin)
    elif twin is not None:
        # built only once opened (a lazy expander): collapsed, it would still send the table and
        # pull the data grid into the page; keyed by the chart, which is unique on its page
        with lazy.expander(twin_label, key=f"{key}_twin") as shown:
            table = (twin() if callable(twin) else twin) if shown else None
            if table is not None:
                tables.dataframe(table, hide_index=True, width="stretch", placeholder=fmt.MISSING)
    # a row of buttons as wide as their labels (wrapping if need be): fixed columns cut the
    # labels (« Image P… ») once presentation mode enlarges the text
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "Image PNG", data=lambda: charts.export_png(found, alt_text, sources), file_name=f"pacte_hlm_{key}.png",
        mime="image/png", icon=":material/image:", key=f"{key}_png", width="content",
        help="Le graphique avec son titre, ses sources et la date, pour une note ou une présentation.")
    row.download_button(
        "Image SVG", data=lambda: charts.export_svg(found, alt_text, sources), file_name=f"pacte_hlm_{key}.svg",
        mime="image/svg+xml", icon=":material/image:", key=f"{key}_svg", width="content",
        help="Le même graphique en image vectorielle (s'agrandit sans perte).")
    return element


def chart_spec(
    chart: alt.TopLevelMixin | dict | Callable[[], alt.TopLevelMixin | dict | None],
    alt_text: str,
    cache: tuple | None = None,
) -> dict | None:
    """The spec ``show_chart`` draws (None when ``chart`` gives no chart), built once for
    ``cache`` when given. Apart so that a warm-up (``lib.ui.region.warm_up``) builds exactly the
    spec a page will ask for, under the same key."""
    from lib import ui

    size = ui.chart_font_size()  # presentation mode: larger chart text, so part of the cache key

    def spec() -> dict | None:
        built = chart() if callable(chart) else chart
        if built is None:
            return None
        found = built if isinstance(built, dict) else charts.to_spec(built)
        return charts.with_font_size({**found, "description": alt_text}, size)

    return ui.computed(("graphique", *cache, alt_text, size), spec) if cache is not None else spec()


def map_downloads(key: str, html_file, png_file) -> None:
    """The two exports of a map: a standalone page (Vega inlined, opens from a file with no
    network, tooltips kept) and an image. ``html_file`` / ``png_file`` are called only on click."""
    st.download_button("Carte (page HTML autonome)", data=lambda: html_file().encode("utf-8"),
                       file_name=f"pacte_hlm_{key}.html", mime="text/html", icon=":material/map:", key=f"{key}_html",
                       help="La carte interactive avec sa légende, ses sources et la date, sans connexion.")
    st.download_button("Carte (image PNG)", data=png_file, file_name=f"pacte_hlm_{key}.png", mime="image/png",
                       icon=":material/image:", key=f"{key}_png",
                       help="La carte en image avec sa légende, ses sources et la date.")


def value_legend(title: str, legend: list[tuple[str, str]], note: str = "", *, across: bool = False) -> None:
    """A map's value legend: a titled list of colour swatches (text escaped). ``across``: the
    entries side by side, wrapping (under a map in a narrow column), instead of one a line."""
    item = "display:flex;align-items:center;gap:.5rem;margin:.15rem 0" + (";flex:0 0 15.5rem" if across else "")
    rows = "".join(
        f'<div role="listitem" style="{item}">'
        f'<span style="display:inline-block;flex:none;width:26px;height:18px;border:1px solid #bbb;background:{c}"></span>'
        f"<span>{html.escape(t)}</span></div>" for t, c in legend)
    layout = "display:flex;flex-wrap:wrap;column-gap:1.2rem" if across else ""
    extra = f'<p style="font-size:15px;color:#666;margin-top:.6rem">{html.escape(note)}</p>' if note else ""
    st.html(f'<div class="legende-valeurs" style="font-size:17px;line-height:1.5"><h3 style="font-size:18px;margin:0 0 .4rem 0">'
            f'{html.escape(title)}</h3><div role="list" aria-label="Légende : {html.escape(title)}" '
            f'style="{layout}">{rows}</div>{extra}</div>')
