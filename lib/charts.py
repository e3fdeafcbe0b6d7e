"""Altair chart builders: they return charts, never call streamlit.

Every chart goes through ``french(chart)`` so that axes and tooltips read 1 234 567 and 12,5 %
(Vega-Lite's ``config.locale``), and through a large font so a projected chart reads from the
back of a room.
"""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd

FR_NUMBER_LOCALE = {
    "decimal": ",",
    "thousands": "\u202f",
    "grouping": [3],
    "currency": ["", "\u00a0€"],
    "percent": "\u202f%",
}
FR_TIME_LOCALE = {
    "dateTime": "%A %e %B %Y à %X",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
               "octobre", "novembre", "décembre"],
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                    "nov.", "déc."],
}
NATURE_DOMAIN = ["officiel", "cité", "dérivé", "estimé", "importé", "manquant"]
NATURE_RANGE = ["#000091", "#3a55d1", "#7b5ea7", "#c2571a", "#18753c", "#929292"]
FONT_SIZE = 16


def french(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """French number/time formats and presentation-size fonts."""
    return chart.configure(
        locale={"number": FR_NUMBER_LOCALE, "time": FR_TIME_LOCALE},
        font="Marianne, Arial, sans-serif",
    ).configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE).configure_legend(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=400
    ).configure_title(fontSize=FONT_SIZE + 4)


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite spec for ``st.vega_lite_chart``, its data inline as named datasets.

    Why: ``st.altair_chart`` converts and validates the chart on every rerun (tens of
    milliseconds); a page computes the spec once for the same data (``lib.ui.computed``) and hands
    over the dict. Datasets get stable names (``donnees-1``, ``donnees-2``… instead of a hash of
    their values): when only the data changes, the spec stays the same and the browser updates
    the chart in place. No theme is applied here (Streamlit's applies in the browser, as for
    ``st.altair_chart``).
    """
    datasets: dict = {}
    spec = chart.to_dict(context={"top_level": False, "datasets": datasets})
    text = json.dumps({"$schema": alt.SCHEMA_URL, **spec, "datasets": datasets}, ensure_ascii=False)
    names = list(dict.fromkeys(re.findall(r'"(data-[0-9a-f]{8,})"', text)))
    for i, name in enumerate(names, start=1):
        text = text.replace(f'"{name}"', f'"donnees-{i}"')
    return json.loads(text)


def national_production_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Bars: financed dwellings per year (colour = nature; missing years show a grey label);
    rules: the pact's two readings of the target for 2013–2015."""
    total = df[df["serie"] == "Total"].copy()
    total["annee_txt"] = total["annee"].astype(str)
    total["etat"] = total["nature"]
    base = alt.Chart(total).encode(x=alt.X("annee_txt:O", title="Année", axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=46).encode(
        y=alt.Y("valeur:Q", title="Logements locatifs sociaux financés", axis=alt.Axis(format=",.0f")),
        color=alt.Color("etat:N", title="Nature du chiffre",
                        scale=alt.Scale(domain=NATURE_DOMAIN, range=NATURE_RANGE)),
        tooltip=[alt.Tooltip("annee_txt:N", title="Année"),
                 alt.Tooltip("valeur:Q", title="Logements financés", format=",.0f"),
                 alt.Tooltip("nature:N", title="Nature"),
                 alt.Tooltip("perimetre:N", title="Périmètre"),
                 alt.Tooltip("source:N", title="Source")],
    )
    missing = base.transform_filter("datum.nature == 'manquant'").mark_text(
        text="donnée manquante", angle=270, dy=0, baseline="middle", align="left", fontSize=FONT_SIZE,
        color="#666666").encode(y=alt.datum(2000))
    targets = total.melt(id_vars=["annee_txt"], value_vars=["objectif_tous_bailleurs", "objectif_hlm"],
                         var_name="objectif", value_name="cible").dropna()
    targets["objectif"] = targets["objectif"].map({
        "objectif_tous_bailleurs": "Objectif tous bailleurs", "objectif_hlm": "Objectif organismes Hlm"})
    ticks = alt.Chart(targets).mark_tick(thickness=4, size=60).encode(
        x="annee_txt:O", y="cible:Q",
        color=alt.Color("objectif:N", title="Objectif du pacte",
                          scale=alt.Scale(domain=["Objectif tous bailleurs", "Objectif organismes Hlm"],
                                          range=["#e1000f", "#f5a623"])),
        tooltip=[alt.Tooltip("objectif:N", title="Objectif"),
                 alt.Tooltip("cible:Q", title="Logements par an", format=",.0f")],
    )
    return (bars + missing + ticks).properties(height=420).resolve_scale(color="independent")


def coverage_chart(coverage: pd.DataFrame) -> alt.Chart:
    """Region × year grid coloured by the nature of the retained figure (or 'manquant')."""
    df = coverage.assign(annee_txt=coverage["annee"].astype(str))
    return alt.Chart(df).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("annee_txt:O", title="Année", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("region:N", title=None, sort=None),
        color=alt.Color("nature:N", title="Nature", scale=alt.Scale(domain=NATURE_DOMAIN, range=NATURE_RANGE)),
        tooltip=[alt.Tooltip("region:N", title="Région"), alt.Tooltip("annee_txt:N", title="Année"),
                 alt.Tooltip("nature:N", title="Nature")],
    ).properties(height=alt.Step(24))
