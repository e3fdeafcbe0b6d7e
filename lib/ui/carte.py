"""Streamlit glue of the map page (pages/carte.py): controls, the objectives editor, the map and
its table. The figures come from ``lib.targets``; the map from ``lib.offline_map`` (no CDN).

Session keys used here (besides ``lib.ui.KEY_REGION``), all prefixed ``carte_``:
- ``KEY_RULE``, ``KEY_READING``, ``KEY_REF``: the objectives' allocation rule, the reading of the
  national target and the reference years (kept for the whole session: the region page uses them);
- ``KEY_EDITOR``: the st.data_editor state of the objectives table (the user's edits);
- ``KEY_LAST_CLICK``: the last map click already handled (so that a click opens the region page
  once, not again on the next rerun).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib import fmt, importer, offline_map, targets
from lib.ui import KEY_REGION, active_figures, imported, load_params, load_regions, load_regions_geo, md_text

KEY_RULE = "carte_regle"
KEY_READING = "carte_lecture"
KEY_REF = "carte_reference"
KEY_EDITOR = "carte_objectifs_editeur"
KEY_EDITED = "carte_objectifs_modifies"
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


def current_objectives() -> pd.DataFrame:
    """Regional objectives in use in this session: rule + published ones + imported file + the
    user's edits of the table (``KEY_EDITED``, a long frame of changed values)."""
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
    edited = st.session_state.get(KEY_EDITED)
    if edited is not None:
        obj = targets.apply_wide_edits(obj, edited)
    return obj


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
            f"{targets.READING_LABELS[r].capitalize()} : "
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


def objectives_editor(objectives: pd.DataFrame) -> None:
    """The editable objectives table; edits are kept in the session and the map follows."""
    wide = targets.objectives_wide(targets.apply_edits(objectives, objectives))  # fresh copy
    years = [c for c in wide.columns if c.isdigit()]
    st.caption(
        "Modifiez une valeur pour tester un autre objectif : la carte et le tableau suivent. "
        "Une valeur saisie apparaît avec la nature « importé » (saisie de l'utilisateur)."
    )
    edited = st.data_editor(
        wide.round(0),
        key=KEY_EDITOR,
        hide_index=True,
        width="stretch",
        height=420,
        disabled=["region", "origine"],
        column_config={
            "region": st.column_config.TextColumn("Région"),
            **{y: st.column_config.NumberColumn(f"Objectif {y}", min_value=0, step=1, format="%d") for y in years},
            "origine": st.column_config.TextColumn("Origine (nature, règle)", width="large"),
        },
    )
    edited.index = wide.index
    base = wide.round(0)
    if not edited[years].equals(base[years]):
        st.session_state[KEY_EDITED] = edited
    else:
        st.session_state.pop(KEY_EDITED, None)
    totals = targets.objectives_total(objectives)
    params = load_params()
    reading = objectives_settings()["reading"]
    parts = [
        f"{int(r.annee)} : {fmt.fmt_int(r.objectif)} "
        f"(national {fmt.fmt_int(targets.national_target(params, int(r.annee), reading))})"
        for r in totals.itertuples()
    ]
    st.caption("Somme des objectifs régionaux — " + " ; ".join(parts))
    if st.button("Revenir aux objectifs calculés", key="carte_reset_objectifs"):
        st.session_state.pop(KEY_EDITED, None)
        st.session_state.pop(KEY_EDITOR, None)
        st.rerun()


# ---------------------------------------------------------------------------------------------
# Map


def format_value(value, indicator: str) -> str:
    if indicator == "taux":
        return fmt.fmt_pct(value)
    if indicator == "production_10k":
        return fmt.fmt_num(value, 1)
    return fmt.fmt_int(value)


def _short(url: str, limit: int = 70) -> str:
    url = str(url or "")
    return url if len(url) <= limit else url[: limit - 1] + "…"


@st.cache_data(show_spinner=False)
def _inset_geo():
    gdf = load_regions_geo()
    return offline_map.inset_overseas(gdf)[["code", "nom", "outre_mer", "geometry"]]


def map_frame(table: pd.DataFrame, indicator: str):
    """The GeoDataFrame drawn: shapes (overseas inset) + colour + escaped tooltip texts."""
    gdf = _inset_geo().merge(table.drop(columns=["region"]), on="code", how="left")
    colours, legend = offline_map.classify(
        gdf["valeur"], rate=indicator == "taux", fmt=lambda x: format_value(x, indicator)
    )
    gdf["couleur"] = [c or "#cccccc" for c in colours]
    gdf["nature"] = gdf["nature"].fillna(targets.MISSING)
    esc = html.escape
    gdf["t_nom"] = [
        esc(n) + (" — région prioritaire du pacte" if p else "")
        for n, p in zip(gdf["nom"], gdf["prioritaire"].fillna(False))
    ]
    gdf["t_valeur"] = [("donnée manquante" if pd.isna(v) else esc(format_value(v, indicator))) for v in gdf["valeur"]]
    gdf["t_nature"] = [esc(n if n != targets.MISSING else "manquant") for n in gdf["nature"]]
    gdf["t_source"] = [esc(_short(s)) if s else "—" for s in gdf["source"].fillna("")]
    gdf["t_autres"] = [esc(_short(s, 120)) if s else "—" for s in gdf["autres_sources"].fillna("")]
    gdf["t_rang"] = ["—" if pd.isna(r) else f"{int(r)}e sur {int(gdf['valeur'].notna().sum())}" for r in gdf["rang"]]
    return gdf, legend


def render_map(table: pd.DataFrame, indicator: str, label: str) -> str | None:
    """Draw the choropleth; return the code of a region the user just clicked (else None)."""
    gdf, legend = map_frame(table, indicator)
    params = load_params()
    tooltip = [
        ("t_nom", "Région"),
        ("t_valeur", label),
        ("t_nature", "Nature"),
        ("t_rang", "Rang"),
        ("t_source", "Source"),
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
        render_legend(legend, label)
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


def render_legend(legend: list[tuple[str, str]], label: str) -> None:
    """Legend beside the map (HTML built from our own labels; no data text in it)."""
    rows = "".join(
        f'<div class="lg-row"><span class="lg-box" style="background:{c}"></span>{html.escape(t)}</div>'
        for t, c in legend
    )
    st.html(f"""
<style>
.lg {{font-size:17px;line-height:1.5}} .lg h4 {{font-size:18px;margin:0 0 .4rem 0}}
.lg-row {{display:flex;align-items:center;gap:.5rem;margin:.15rem 0}}
.lg-box {{display:inline-block;width:26px;height:18px;border:1px solid #bbb;flex:none}}
.lg-hatch {{background:repeating-linear-gradient(45deg,#e5e5e5 0 4px,#8a8a8a 4px 6px)}}
.lg-est {{background:#fff;border:2.5px dashed {offline_map.ESTIMATE_COLOUR}}}
.lg-prio {{background:#fff;border:4px solid {offline_map.PRIORITY_COLOUR}}}
</style>
<div class="lg" role="list" aria-label="Légende de la carte">
<h4>{html.escape(label)}</h4>{rows}
<div class="lg-row"><span class="lg-box lg-hatch"></span>donnée manquante</div>
<div class="lg-row"><span class="lg-box lg-est"></span>valeur estimée (contour tireté)</div>
<div class="lg-row"><span class="lg-box lg-prio"></span>région prioritaire du pacte (IDF, PACA, LR)</div>
<p style="font-size:15px;color:#555;margin-top:.6rem">Outre-mer en encarts (échelles différentes).
Cliquez sur une région pour ouvrir sa page.</p>
</div>""")


# ---------------------------------------------------------------------------------------------
# Table


def export_table(table: pd.DataFrame, indicator: str, label: str) -> pd.DataFrame:
    """The map's figures with numbers kept numeric (for the CSV; empty cell = missing)."""
    out = pd.DataFrame(
        {
            "Code": table["code"],
            "Région": table["region"],
            label: table["valeur"] * (100 if indicator == "taux" else 1),
            "Nature": table["nature"],
            "Rang": table["rang"],
            "Prioritaire (pacte)": table["prioritaire"].map({True: "oui", False: ""}),
            "Source": table["source"],
            "Autres sources": table["autres_sources"],
        }
    )
    if indicator == "taux":
        out.insert(3, "Production", table["production"])
        out.insert(4, "Objectif", table["objectif"])
    return out


def display_table(table: pd.DataFrame, indicator: str, label: str) -> pd.DataFrame:
    """The same figures for the screen: values in French format ("donnée manquante", never 0),
    sorted by rank (sorting the "Rang" column sorts by value)."""
    out = export_table(table, indicator, label).drop(columns=["Code"])
    out[label] = [("donnée manquante" if pd.isna(v) else format_value(v, indicator)) for v in table["valeur"]]
    for col in ("Production", "Objectif"):
        if col in out:
            out[col] = [fmt.fmt_int(v) for v in out[col]]
    out["Nature"] = out["Nature"].replace({targets.MISSING: "manquant"})
    return out.assign(_r=table["rang"].fillna(1e9).values).sort_values("_r", kind="stable").drop(columns="_r")


def render_table(table: pd.DataFrame, indicator: str, label: str, periode: str) -> None:
    shown = display_table(table, indicator, label)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=460,
        column_config={
            label: st.column_config.TextColumn(label),
            "Rang": st.column_config.NumberColumn(
                format="%d", help="1 = valeur la plus haute ; trier ici trie par valeur"
            ),
            "Source": st.column_config.TextColumn(width="medium"),
        },
    )
    exported = export_table(table, indicator, label)
    st.download_button(
        "Télécharger le tableau (CSV pour Excel)",
        data=lambda: csv_bytes(exported),
        file_name=f"pacte_hlm_carte_{indicator}_{periode}.csv",
        mime="text/csv",
        icon="⬇️",
        key="carte_csv",
    )


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for French Excel: ';' separator, decimal comma, UTF-8 with BOM."""
    return df.to_csv(sep=";", decimal=",", index=False, encoding="utf-8-sig").encode("utf-8-sig")


def open_region(code: str) -> None:
    """Go to the region page with ``?region=CODE`` in the URL."""
    st.session_state[KEY_REGION] = code
    st.switch_page(REGION_PAGE, query_params={"region": code})


def summary_caption(table: pd.DataFrame) -> str:
    n = len(table)
    counts = table["nature"].value_counts()
    parts = [f"{counts.get(k, 0)} {k}" for k in ("officiel", "cité", "dérivé", "estimé", "importé") if counts.get(k, 0)]
    return md_text(f"{n} régions : " + ", ".join(parts) + f", {counts.get(targets.MISSING, 0)} sans donnée.")
