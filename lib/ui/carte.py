"""Streamlit glue of the map page (pages/carte.py): controls, the objectives editor, the map and
its table. The figures come from ``lib.targets``; the map from ``lib.offline_map`` (no CDN).

Session keys used here (besides ``lib.ui.KEY_REGION``), all prefixed ``carte_``:
- ``KEY_RULE``, ``KEY_READING``, ``KEY_REF``: the objectives' allocation rule, the reading of the
  national target and the reference years (kept for the whole session: the region page uses them);
- ``KEY_EDITED``: the cells of the objectives table the user changed (long frame code, annee,
  objectif; ``lib.targets.changed_cells``), laid over the objectives of the current rule;
- ``KEY_EDITOR``: the st.data_editor state of the objectives table, with ``KEY_EDITOR_VERSION``
  (bumped by « Revenir aux objectifs calculés » so that the editor starts afresh);
- ``KEY_LAST_CLICK``: the last map click already handled (so that a click opens the region page
  once, not again on the next rerun).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib import carte_view, charts, exports, fmt, importer, map_export, offline_map, targets
from lib.ui import KEY_REGION, active_figures, imported, load_params, load_regions, load_regions_geo, md_text
from lib.ui.charts import map_downloads

KEY_RULE = "carte_regle"
KEY_READING = "carte_lecture"
KEY_REF = "carte_reference"
KEY_EDITOR = "carte_objectifs_editeur"
KEY_EDITED = "carte_objectifs_modifies"
KEY_EDITOR_VERSION = "carte_objectifs_version"
KEY_LAST_CLICK = "carte_dernier_clic"
MAP_HEIGHT = 640
REGION_PAGE = "pages/region.py"


# ---------------------------------------------------------------------------------------------
# Objectives shared with the region page


def objectives_settings() -> dict:
    """The objectives settings of this session (defaults: population share, all landlords)."""
    return {
        "rule": st.session_state.get(KEY_RULE, "population"),
        "reading": st.session_state.get(KEY_READING, "tous_bailleurs"),
        "reference_years": tuple(st.session_state.get(KEY_REF, (2013, 2014, 2015))),
    }


def base_objectives() -> pd.DataFrame:
    """Regional objectives of this session before the user's edits: rule + published ones +
    imported file."""
    s = objectives_settings()
    obj = targets.regional_objectives(
        active_figures(),
        load_regions(),
        load_params(),
        rule=s["rule"],
        reading=s["reading"],
        reference_years=s["reference_years"],
    )
    imp = imported().get("objectifs")
    if imp is not None:
        obj = targets.apply_imported(obj, importer.objectives_for_targets(imp))
    return obj


def current_objectives() -> pd.DataFrame:
    """Regional objectives in use in this session: ``base_objectives`` with the cells the user
    changed in the table (``KEY_EDITED``) laid over them."""
    return targets.apply_edits(base_objectives(), st.session_state.get(KEY_EDITED))


def objectives_controls() -> None:
    """Rule, reading and reference period of the objectives (kept for the session)."""
    params = load_params()
    years = targets.pact_years(params)
    c1, c2, c3 = st.columns([2, 2, 2])
    c1.selectbox(
        "Répartition de l'objectif national",
        list(targets.ALLOCATION_RULES),
        format_func=lambda r: targets.ALLOCATION_RULES[r].capitalize(),
        key=KEY_RULE,
        persist_state="session",
        help="Le pacte ne fixe que des objectifs nationaux. Faute d'objectif régional publié, "
        "l'objectif national est réparti entre régions selon cette règle (chiffres « estimés »).",
    )
    c2.selectbox(
        "Lecture de l'objectif national",
        list(targets.READINGS),
        format_func=lambda r: (
            f"{targets.READING_LABELS[r][:1].upper()}{targets.READING_LABELS[r][1:]} : "
            f"{fmt.fmt_int(targets.national_target(params, years[0], r))} par an"
        ),
        key=KEY_READING,
        persist_state="session",
    )
    if st.session_state.get(KEY_RULE, "population") == "production":
        c3.multiselect(
            "Années de référence (production)",
            years,
            default=years,
            key=KEY_REF,
            persist_state="session",
            help="Si l'année jugée fait partie de la période de référence, les régions ont "
            "mécaniquement des taux proches du taux national.",
        )


def objectives_editor(base: pd.DataFrame) -> pd.DataFrame:
    """The editable objectives table over ``base`` (``base_objectives``); returns the objectives
    in use (base + the user's changed cells). Only the cells the user changed are kept
    (``KEY_EDITED``), so the other cells keep their nature and follow a change of rule."""
    params = load_params()
    shown = targets.editor_table(base, st.session_state.get(KEY_EDITED))
    years = [c for c in shown.columns if c.isdigit()]
    st.caption(
        "Modifiez une valeur pour tester un autre objectif : la carte et le tableau suivent. "
        "Une valeur saisie apparaît avec la nature « importé » (saisie de l'utilisateur) ; les "
        "autres restent calculées par la règle choisie."
    )
    edited = st.data_editor(
        shown,
        key=f"{KEY_EDITOR}_{st.session_state.get(KEY_EDITOR_VERSION, 0)}",
        hide_index=True,
        width="stretch",
        height=420,
        placeholder=fmt.MISSING,
        disabled=["region", "origine"],
        column_config={
            "region": st.column_config.TextColumn("Région"),
            **{
                y: st.column_config.NumberColumn(f"Objectif {y}", min_value=0, step=1, format="localized")
                for y in years
            },
            "origine": st.column_config.TextColumn("Origine (nature, règle)", width="large"),
        },
    )
    edited.index = shown.index
    changed = targets.changed_cells(targets.editor_table(base), edited)
    if changed.empty:
        st.session_state.pop(KEY_EDITED, None)
    else:
        st.session_state[KEY_EDITED] = changed
    objectives = targets.apply_edits(base, changed)
    st.caption(carte_view.objectives_total_caption(objectives, params, objectives_settings()["reading"]))
    if st.button("Revenir aux objectifs calculés", key="carte_reset_objectifs", disabled=changed.empty):
        st.session_state.pop(KEY_EDITED, None)
        st.session_state[KEY_EDITOR_VERSION] = st.session_state.get(KEY_EDITOR_VERSION, 0) + 1
        st.rerun()
    return objectives


# ---------------------------------------------------------------------------------------------
# Map


@st.cache_data(show_spinner=False)
def _inset_geo():
    gdf = load_regions_geo()
    return offline_map.inset_overseas(gdf)[["code", "nom", "outre_mer", "geometry"]]


def render_map(table: pd.DataFrame, indicator: str, label: str, title: str | None = None) -> str | None:
    """Draw the choropleth; return the code of a region the user just clicked (else None).
    ``title`` names the exported files' content (default: ``label``)."""
    gdf, legend = carte_view.map_frame(table, indicator, _inset_geo())
    params = load_params()
    tooltip = [
        ("t_nom", "Région"),
        ("t_valeur", label),
        ("t_nature", "Nature"),
        ("t_rang", "Rang"),
        ("t_source", "Source"),
        ("t_date", "Date de la source"),
        ("t_autres", "Autres sources"),
    ]
    insets = {c: html.escape(n) for c, n in zip(gdf["code"], gdf["nom"]) if c in offline_map.INSET_BOXES}
    m = offline_map.region_choropleth(
        gdf, tooltip, targets.priority_regions(params), height=MAP_HEIGHT, inset_labels=insets
    )
    left, right = st.columns([3, 1])
    with left:
        out = st_folium(
            m,
            height=MAP_HEIGHT,
            width=None,
            key="carte_map",
            returned_objects=["last_active_drawing", "last_object_clicked"],
        )
    with right:
        render_legend(legend, label, carte_view.priority_legend_text(params, load_regions()))
        sources = charts.sources_line(table["source"])
        map_downloads("carte", lambda: map_export.standalone_html(m, title or label, legend, sources),
                      lambda: map_export.map_png(gdf, legend, title or label, sources))
    return clicked_region(out)


def clicked_region(out: dict | None) -> str | None:
    """The region code of a new click (each click handled once)."""
    if not out:
        return None
    drawing = out.get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("code")
    marker = out.get("last_object_clicked")
    if not code or marker is None:
        return None
    marker_key = f"{code}:{marker}"
    if st.session_state.get(KEY_LAST_CLICK) == marker_key:
        return None
    st.session_state[KEY_LAST_CLICK] = marker_key
    return str(code)


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
    shown = carte_view.display_table(table, indicator, label)
    st.dataframe(
        shown,
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
    st.download_button(
        "Télécharger le tableau (CSV pour Excel)",
        data=lambda: exports.to_csv_bytes(exported),
        file_name=f"pacte_hlm_carte_{indicator}_{periode}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="carte_csv",
    )


def open_region(code: str) -> None:
    """Go to the region page with ``?region=CODE`` in the URL."""
    st.session_state[KEY_REGION] = code
    st.switch_page(REGION_PAGE, query_params={"region": code})


def summary_caption(table: pd.DataFrame) -> str:
    """``carte_view.summary_caption``, escaped for st.caption (markdown)."""
    return md_text(carte_view.summary_caption(table))
