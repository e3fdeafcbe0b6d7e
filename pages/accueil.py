"""Accueil: national production against the pact's targets, each figure with its nature."""

import streamlit as st

from lib import charts, fmt, ui
from lib.ui import tables
from lib.ui.charts import show_chart
from lib.ui.committee import render_accueil_committee
from lib.ui.data_check import require_data
from lib.ui.region import render_accueil_links

st.title("Pacte Hlm 2013-2015\u00a0: où en est-on\u202f?")  # no-break spaces: « ? » never alone on a line
require_data("accueil")
st.markdown(
    "Le pacte d'objectifs et de moyens du **8 juillet 2013** entre l'État et le mouvement Hlm vise "
    "chaque année, de 2013 à 2015, le financement de logements locatifs sociaux et la réhabilitation "
    "thermique du parc. Ce tableau de bord suit la production par région, la compare aux objectifs "
    "et simule la mutualisation financière prévue par l'annexe 1 du pacte."
)

try:
    params = ui.load_params()
    national = ui.national_production()
except Exception as err:  # DataError / ParamsError shown in French
    ui.show_error(err)
    st.stop()

total = national[national["serie"] == "Total"]
pact = total[total["objectif_hlm"].notna()]

st.header("Logements locatifs sociaux financés, France métropolitaine hors ANRU")
cols = st.columns(len(pact))
for col, (_, row) in zip(cols, pact.iterrows()):
    with col:
        st.metric(
            f"{row['annee']}", fmt.fmt_int(row["valeur"]),
            delta=f"{fmt.fmt_pct(row['taux_tous_bailleurs'])} de l'objectif tous bailleurs",
            delta_color="off", delta_arrow="off",
        )
        st.markdown(f"{fmt.fmt_pct(row['taux_hlm'])} de l'objectif Hlm — {ui.nature_badge(row['nature'])}")

p_all = params["objectifs.production_tous_bailleurs"]
p_hlm = params["objectifs.production_hlm"]
st.caption(
    f"Deux lectures de l'objectif : {fmt.fmt_int(p_all.value(2013))} logements par an tous bailleurs "
    f"({p_all.reference}) ; {fmt.fmt_int(p_hlm.value(2013))} pour les seuls organismes Hlm "
    f"({p_hlm.reference}). Le chiffre national publié couvre tous les bailleurs sociaux : le comparer "
    "à la cible Hlm surestime la part des organismes Hlm."
)

# twin: the expander « Chiffres, natures et sources » below lists the same figures
show_chart(
    lambda: charts.french(charts.national_production_chart(national)),
    "Logements locatifs sociaux financés par an de 2010 à 2016 et objectifs du pacte pour 2013 à 2015",
    key="national", sources=charts.sources_line(total["source"]),
    cache=("accueil", ui.imported_fingerprint("figures")),
)

missing = total[total["nature"] == "manquant"]["annee"].tolist()
if missing:
    st.warning("Années sans chiffre national : " + ", ".join(map(str, missing)) + ".")

with st.expander("Chiffres, natures et sources"):
    table = national[["annee", "serie", "valeur", "nature", "perimetre", "source", "date_source", "note"]].copy()
    table["valeur"] = table["valeur"].map(fmt.fmt_int)
    table.columns = ["Année", "Série", "Logements", "Nature", "Périmètre", "Source", "Date de la source", "Note"]
    tables.dataframe(table, hide_index=True, width="stretch",
                     column_config={"Source": st.column_config.LinkColumn("Source")})

render_accueil_committee()
render_accueil_links()
