"""Carte: where the pact is behind, region by region, and a click through to the region."""

import streamlit as st

from lib import carte_view, targets
from lib.ui import carte as ui
from lib.ui import show_error
from lib.ui.data_check import require_data

st.title("Carte des régions")
require_data("carte")
st.markdown(
    "Les 27 régions d'avant 2016. Production : logements locatifs sociaux financés (communiqué du "
    "ministère, métropole hors ANRU, quand il existe). Les chiffres **estimés** (contour tireté) sont "
    "des répartitions, jamais des chiffres publiés ; une région **sans donnée** est hachurée, jamais à 0."
)

c1, c2, c3 = st.columns([3, 2, 2])
indicator = c1.selectbox(
    "Indicateur", list(carte_view.INDICATOR_CHOICES), format_func=carte_view.INDICATOR_CHOICES.get,
    key="carte_indicateur"
)
periods = ui.indicator_periods(indicator)
default_period = "2015" if "2015" in periods else periods[-1]
periode = c2.selectbox(
    "Année" if indicator not in ("rehab", "renovation") else "Période",
    periods,
    index=periods.index(default_period),
    key=f"carte_periode_{indicator}",
)
product_disabled = indicator in carte_view.TOTAL_ONLY
product = c3.selectbox(
    "Produit",
    list(targets.PRODUCTS),
    key="carte_produit",
    disabled=product_disabled,
    format_func=lambda p: "Total (PLAI + PLUS + PLS)" if p == "total" else p,
    help="Les taux, rythmes et réhabilitations n'existent qu'en total.",
)
if product_disabled:
    product = "total"

# Built only while open (a lazy expander): the rule and the table are kept in the session.
editor = st.expander(
    "Objectifs régionaux 2013–2015 (règle de répartition, tableau modifiable)",
    expanded=indicator == "taux",
    key="carte_objectifs_ouverts_taux" if indicator == "taux" else "carte_objectifs_ouverts",
    on_change="rerun",
)
with editor:
    if editor.open:
        ui.objectives_controls()
        try:
            ui.objectives_editor(ui.base_objectives())
        except Exception as err:  # noqa: BLE001 - shown in French
            show_error(err)
            st.stop()

label = carte_view.INDICATOR_CHOICES[indicator] + ("" if product == "total" else f" ({product})")
try:
    table = ui.indicator_table(indicator, periode, product)
except Exception as err:  # noqa: BLE001 - shown in French
    show_error(err)
    st.stop()

# The notes go in one container, there for every indicator: an element added above the map
# would move it in the page, and the browser would draw it again instead of recolouring it.
notes = st.container()
if indicator in ("rehab", "renovation"):
    notes.warning(targets.REHAB_WARNING, icon=":material/info:")
if indicator == "renovation":
    notes.info(carte_view.RENOVATION_NOTE, icon=":material/info:")
if indicator == "rythme":
    notes.info(carte_view.PACE_NOTE, icon=":material/info:")
if indicator == "taux":
    notes.info(
        "Objectifs : publiés quand ils existent (source indiquée), sinon répartis selon la règle "
        "choisie ci-dessus, donc **estimés** ; le taux hérite de la nature la moins sûre.",
        icon=":material/info:",
    )

st.header(f"{label} — {periode}")
ui.render_map(table, indicator, label, periode)
st.caption(ui.summary_caption(table))

st.header("Tableau des mêmes chiffres")
st.caption("Cliquez sur un en-tête de colonne pour trier (la colonne « Rang » trie par valeur).")
ui.render_table(table, indicator, label, periode)
