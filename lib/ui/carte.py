"""Streamlit glue of the map page (pages/carte.py): its pickers, the map and its table. The
figures come from ``lib.targets`` and ``lib.views.carte``; the map from ``lib.offline_map`` (no CDN).

The regional objectives (rule, reading, the user's edits and their widgets) are the session's,
shared with the region page and the packs: ``lib.ui.objectives``. Session key used here (besides
``lib.ui.KEY_REGION``): ``KEY_MAP``, the map's selection state (the clicked region, read once:
the click opens the region page, where the map is gone).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from lib import charts, exports, fmt, map_export, offline_map, targets
from lib.ui import (
    KEY_REGION,
    active_figures,
    computed,
    imported_fingerprint,
    load_params,
    load_regions,
    md_text,
    show_error,
    tables,
)
from lib.ui.charts import map_downloads
from lib.ui.data_check import require_data
from lib.ui.downloads import table_download
from lib.ui.objectives import current_objectives, edits_key, objectives_key, render_objectives
from lib.views import carte as carte_view

KEY_MAP = "carte_map"
MAP_SELECT = "region"  # the map's click selection: the clicked region's code
MAP_HEIGHT = 640
RANKING_GRID_KEY = "carte_classement_grille"  # the ranking table's grid expander is open (session state)
REGION_PAGE = "pages/region.py"


_BASE_INDICATOR = {"rythme": "taux", "renovation": "rehab"}  # whose periods a ratio of carte_view shares


def indicator_periods(indicator: str) -> list[str]:
    """The periods with figures for ``indicator`` (computed once for the same data)."""
    base = _BASE_INDICATOR.get(indicator, indicator)
    return computed(("périodes", base, imported_fingerprint("figures")),
                    lambda: targets.indicator_periods(active_figures(), base, load_params()))


def indicator_table(indicator: str, periode: str, product: str) -> pd.DataFrame:
    """``targets.indicator_table`` for the session's figures (and objectives, for the rate), or
    the pace and renovation ratios of ``lib.views.carte``, computed once for the same choice and
    data."""
    if indicator == "rythme":
        from lib import pace
        from lib.ui.committee import regional_pace_frame

        return computed(("indicateur", indicator, periode, imported_fingerprint("figures"), *objectives_key(),
                         edits_key()), lambda: carte_view.pace_map_table(
            indicator_table("production", periode, "total"), pace.pace_indicator(regional_pace_frame(), int(periode))))
    if indicator == "renovation":
        from lib.ui.committee import stock

        def compute():
            s, n = stock()
            return carte_view.renovation_map_table(indicator_table("rehab", periode, "total"), active_figures(),
                                                   load_params(), s, n, periode)

        return computed(("indicateur", indicator, periode, imported_fingerprint("figures")), compute)
    needs_objectives = indicator == "taux"
    key = ("indicateur", indicator, periode, product, imported_fingerprint("figures"),
           (*objectives_key(), edits_key()) if needs_objectives else ())
    return computed(key, lambda: targets.indicator_table(
        active_figures(), load_regions(), load_params(), indicator, periode, product,
        current_objectives() if needs_objectives else None))


# ---------------------------------------------------------------------------------------------
# Map


def render_map(table: pd.DataFrame, indicator: str, label: str, periode: str) -> None:
    """The choropleth and its legend; a click on a region opens its page. Its twin for a reader
    who does not see it is the table below the map (the page's « Tableau des mêmes chiffres »).
    The exports are titled « {indicator} — {period} », with the sources of the figures shown."""
    values, legend = carte_view.map_values(table, indicator, label, periode)
    params = load_params()
    priority = tuple(targets.priority_regions(params))
    priority_text = carte_view.priority_legend_text(params, load_regions())
    left, right = st.columns([3, 1])
    with left:
        draw_map(values, priority)
    with right:
        render_legend(legend, label, priority_text)
        title, sources = f"{label} — {periode}", charts.sources_line(table["source"])

        def export_args():
            spec = offline_map.choropleth_spec(values, carte_view.MAP_TOOLTIP, priority_codes=priority,
                                               height=MAP_HEIGHT, description=carte_view.MAP_ALT)
            rows = map_export.legend_rows(legend, missing=True, estimate=True, priority=priority_text)
            return spec, title, rows, sources

        map_downloads(
            "carte",
            lambda: map_export.standalone_html(*export_args(), legend_title=label),
            lambda: map_export.map_png(*export_args(), legend_title=label),
        )


@st.fragment
def draw_map(values: pd.DataFrame, priority: tuple[str, ...]) -> None:
    """In a fragment: a click reruns only this part before the region page opens. The spec, and
    the accessible name, are the same for every indicator, year and product (lib/offline_map.py;
    the heading above names them): the browser keeps the view and swaps the values, so the map
    is recoloured in place (a changed ``alt`` would rebuild it).

    A click is read from the session before the map is built again: the region page opens
    straight away, without the spec and the map's values being sent to a page about to leave."""
    code = clicked_region(st.session_state.get(KEY_MAP))
    if code:
        open_region(code)
    spec = offline_map.choropleth_spec(values, carte_view.MAP_TOOLTIP, priority_codes=priority, height=MAP_HEIGHT,
                                       select=MAP_SELECT, description=carte_view.MAP_ALT)
    # the spec's description (MAP_ALT) is the accessible name: an alt= as well would override it
    event = st.vega_lite_chart(spec, on_select="rerun", selection_mode=[MAP_SELECT], key=KEY_MAP, width="stretch")
    code = clicked_region(event)
    if code:
        open_region(code)


def clicked_region(event) -> str | None:
    """The code of the region the user clicked, from the chart's selection (else None)."""
    points = (event or {}).get("selection", {}).get(MAP_SELECT) or []
    code = points[0].get("code") if points and isinstance(points[0], dict) else None
    return str(code) if code else None


def render_legend(legend: list[tuple[str, str]], label: str, priority_text: str) -> None:
    """Legend beside the map (HTML; every text escaped, the region names come from data)."""
    rows = "".join(
        f'<div class="lg-row" role="listitem"><span class="lg-box" style="background:{c}"></span>{html.escape(t)}</div>'
        for t, c in legend
    )
    st.html(f"""
<style>
.lg {{font-size:17px;line-height:1.5}} .lg h3 {{font-size:18px;margin:0 0 .4rem 0}}
.lg-row {{display:flex;align-items:center;gap:.5rem;margin:.15rem 0}}
.lg-box {{display:inline-block;width:26px;height:18px;border:1px solid #bbb;flex:none}}
.lg-hatch {{background:repeating-linear-gradient(45deg,#e5e5e5 0 4px,#8a8a8a 4px 6px)}}
.lg-est {{background:#fff;border:2.5px dashed {offline_map.ESTIMATE_COLOUR}}}
.lg-prio {{background:#fff;border:4px solid {offline_map.PRIORITY_COLOUR}}}
</style>
<div class="lg">
<h3>{html.escape(label)}</h3><div role="list" aria-label="Légende de la carte">{rows}
<div class="lg-row" role="listitem"><span class="lg-box lg-hatch"></span>donnée manquante</div>
<div class="lg-row" role="listitem"><span class="lg-box lg-est"></span>valeur estimée (contour tireté)</div>
<div class="lg-row" role="listitem"><span class="lg-box lg-prio"></span>{html.escape(priority_text)}</div></div>
<p style="font-size:15px;color:#555;margin-top:.6rem">Outre-mer en encarts (échelles différentes).
Cliquez sur une région pour ouvrir sa page.</p>
</div>""")


# ---------------------------------------------------------------------------------------------
# Table


def render_table(table: pd.DataFrame, indicator: str, label: str, periode: str) -> None:
    """The ranking as an HTML table (every region, French cells, placeholder for a missing
    value); its grid, sortable by any column, in the expander below it (lib.ui.tables.static_table:
    the page opens without the grid's JavaScript)."""
    shown = carte_view.screen_table(table, indicator, label)
    tables.static_table(
        shown,
        key=RANKING_GRID_KEY,
        grid_label=carte_view.RANKING_GRID_LABEL,
        hide_index=True,
        width="stretch",
        height=460,
        placeholder=fmt.MISSING,
        column_config={
            label: st.column_config.TextColumn(label),
            "Rang": st.column_config.NumberColumn(
                format="%d", help="1 = valeur la plus haute ; trier ici trie par valeur"
            ),
            "Source": st.column_config.TextColumn(width="medium"),
        },
    )
    exported = carte_view.export_table(table, indicator, label)
    table_download("Télécharger le tableau (CSV pour Excel)", lambda: exports.to_csv_bytes(exported),
                   f"pacte_hlm_carte_{indicator}_{periode}.csv", key="carte_csv")


def open_region(code: str) -> None:
    """Go to the region page with ``?region=CODE`` in the URL."""
    st.session_state[KEY_REGION] = code
    st.switch_page(REGION_PAGE, query_params={"region": code})


def summary_caption(table: pd.DataFrame) -> str:
    """``carte_view.summary_caption``, escaped for st.caption (markdown)."""
    return md_text(carte_view.summary_caption(table))


# ---------------------------------------------------------------------------------------------
# The page (pages/carte.py)


def render() -> None:
    """The map page below its title: the choice of figure, the objectives, the map and its table."""
    require_data("carte")
    st.markdown(carte_view.INTRO)
    indicator, periode, product = render_choice()
    render_objectives(indicator)

    label = carte_view.indicator_label(indicator, product)
    try:
        table = indicator_table(indicator, periode, product)
    except Exception as err:  # noqa: BLE001 - shown in French
        show_error(err)
        st.stop()

    # The notes go in one container, there for every indicator: an element added above the map
    # would move it in the page, and the browser would draw it again instead of recolouring it.
    notes = st.container()
    for kind, text in carte_view.notes(indicator):
        (notes.warning if kind == "warning" else notes.info)(text, icon=":material/info:")

    st.header(f"{label} — {periode}")
    render_map(table, indicator, label, periode)
    st.caption(summary_caption(table))

    st.header("Tableau des mêmes chiffres")
    st.caption(carte_view.SORT_CAPTION)
    render_table(table, indicator, label, periode)


def render_choice() -> tuple[str, str, str]:
    """The three pickers above the map: indicator, period, product (the total when the
    indicator has no split by product)."""
    c1, c2, c3 = st.columns([3, 2, 2])
    indicator = c1.selectbox(
        "Indicateur", list(carte_view.INDICATOR_CHOICES), format_func=carte_view.INDICATOR_CHOICES.get,
        key="carte_indicateur"
    )
    periods = indicator_periods(indicator)
    periode = c2.selectbox(
        carte_view.period_label(indicator),
        periods,
        index=periods.index(carte_view.default_period(periods, max(targets.pact_years(load_params())))),
        key=f"carte_periode_{indicator}",
    )
    product_disabled = indicator in carte_view.TOTAL_ONLY
    product = c3.selectbox(
        "Produit",
        list(targets.PRODUCTS),
        key="carte_produit",
        disabled=product_disabled,
        format_func=carte_view.product_label,
        help="Les taux, rythmes et réhabilitations n'existent qu'en total.",
    )
    return indicator, periode, "total" if product_disabled else product
