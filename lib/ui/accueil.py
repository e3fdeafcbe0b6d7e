"""Streamlit glue of Accueil (pages/accueil.py): national production against the pact's targets,
each figure with its nature, the committee's block and the links to the map and the priority
regions. What is shown is built by ``lib.views.accueil`` and ``lib.region_report`` (pure)."""

from __future__ import annotations

import streamlit as st

from lib import charts, fmt, region_report, targets
from lib.geo import region_names
from lib.ui import imported_fingerprint, lazy, load_params, national_production, nature_badge, show_error, tables
from lib.ui.charts import show_chart
from lib.ui.committee import render_accueil_committee
from lib.ui.data_check import require_data
from lib.views import accueil as view

FIGURES_KEY = "accueil_chiffres_ouverts"  # the figures' expander is open (session state)
READING_GRID_KEY = "accueil_lectures_grille"  # the national reading table's grid expander is open


def render() -> None:
    """The whole of Accueil below its title."""
    require_data("accueil")
    try:
        params = load_params()
        national = national_production()
    except Exception as err:  # DataError / ParamsError shown in French
        show_error(err)
        st.stop()
    st.markdown(view.intro(targets.pact_years(params)))
    render_national(national, params)
    render_accueil_committee()
    render_links()


def render_national(national, params) -> None:
    """The pact's years as metrics, the readings of the target, the chart and its figures."""
    total = view.national_total(national)
    pact = view.pact_years(national)
    st.header("Logements locatifs sociaux financés, France métropolitaine hors ANRU")
    cols = st.columns(len(pact))
    for col, (_, row) in zip(cols, pact.iterrows()):
        with col:
            st.metric(
                f"{row['annee']}", fmt.fmt_int(row["valeur"]),
                delta=view.metric_delta(row), delta_color="off", delta_arrow="off",
            )
            st.markdown(f"{fmt.fmt_pct(row['taux_hlm'])} de l'objectif Hlm — {nature_badge(row['nature'])}")
    st.caption(view.readings_caption(params))

    # twin: the expander « Chiffres, natures et sources » below lists the same figures
    show_chart(
        lambda: charts.french(charts.national_production_chart(national)),
        view.chart_alt(national, targets.pact_years(params)),
        key="national", sources=charts.sources_line(total["source"]),
        cache=("accueil", imported_fingerprint("figures")),
    )

    warning = view.missing_years_warning(national)
    if warning:
        st.warning(warning)

    with lazy.expander("Chiffres, natures et sources", key=FIGURES_KEY) as shown:  # built once opened
        if shown:
            tables.dataframe(view.figures_table(national), hide_index=True, width="stretch",
                             column_config={"Source": st.column_config.LinkColumn("Source")})


def render_links() -> None:
    """National 2013–2015 against both readings of the target, and links to the map and to the
    three regions the pact names."""
    params = load_params()
    try:
        nat = national_production()
    except Exception as err:  # noqa: BLE001
        show_error(err)
        return
    st.header("Objectif national : les deux lectures du pacte")
    table = region_report.national_reading_table(nat, params)
    # short and read-only: HTML, its grid one click away (the page opens without the grid's JavaScript)
    tables.static_table(table, key=READING_GRID_KEY, grid_label=view.READING_GRID_LABEL,
                        hide_index=True, width="stretch")
    st.caption(
        "Réalisation et écart en logements. Le chiffre national couvre la métropole hors ANRU ; "
        "la lecture « organismes Hlm » compare ce total (tous bailleurs) à la part Hlm de l'objectif."
    )
    c0, *cols = st.columns(4)
    c0.page_link("pages/carte.py", label="Carte des régions", icon=":material/map:")
    names = region_names()
    for col, code in zip(cols, targets.priority_regions(params)):
        col.page_link("pages/region.py", label=names.get(code, code), icon=":material/location_on:", query_params={"region": code})
