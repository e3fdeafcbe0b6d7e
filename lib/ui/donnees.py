"""Streamlit glue of « Données et sources » (pages/donnees.py): every dataset with its provenance
and nature, the pact parameters, where sources disagree, and the coverage matrix (region × year ×
indicator). The texts come from ``lib.views.donnees``, the tables from ``lib.sources``."""

from __future__ import annotations

import streamlit as st

from lib import charts, data, sources
from lib.ui import active_figures, lazy, load_params, load_regions, show_error, tables
from lib.ui.charts import show_chart
from lib.ui.data_check import require_data
from lib.ui.importer import render_import_section
from lib.ui.provenance import render_provenance  # publisher, type of address, original, dates
from lib.views import donnees as view

TAB_KEY = "donnees_onglet"  # the tab shown (its label, session state): only it is built
COVERAGE_KEY = "cov_indicator"
CATALOGUE_GRID_KEY = "donnees_catalogue_grille"  # the lazy expanders holding the two grids
SUMMARY_GRID_KEY = "donnees_chiffres_grille"


def render() -> None:
    """The whole page below its title, one tab a subject."""
    require_data("donnees")
    st.markdown(view.intro())
    try:
        figures = active_figures()
        regions = load_regions()
        params = load_params()
        catalogue = sources.load_catalogue()
    except Exception as err:
        show_error(err)
        st.stop()

    # Lazy tabs: only the tab shown is built and sent (five tables, a chart), except the import
    # tab, always drawn: a file chosen there and not yet applied must survive a look at another tab
    files, cov, conflicts, prov, params_tab, import_tab = lazy.tabs(view.TABS, key=TAB_KEY)
    lazy.keep_state(COVERAGE_KEY)  # the coverage tab's indicator, kept while another tab is shown
    if files.open:
        with files:
            # short read-only tables: drawn as HTML, the grid one click away (the page then opens
            # without the grid's JavaScript, lib.ui.tables.static_table)
            tables.static_table(sources.catalogue_table(catalogue), key=CATALOGUE_GRID_KEY,
                                grid_label=view.CATALOGUE_GRID_LABEL, hide_index=True, width="stretch")
            st.markdown("**Chiffres par indicateur** (toutes sources confondues)")
            tables.static_table(sources.figures_summary(figures), key=SUMMARY_GRID_KEY,
                                grid_label=view.SUMMARY_GRID_LABEL, hide_index=True, width="stretch")
    if cov.open:
        with cov:
            render_coverage(figures, regions)
    if conflicts.open:
        with conflicts:
            st.markdown(data.RETENTION_RULE)
            tables.dataframe(sources.conflicts_table(figures), hide_index=True, width="stretch",
                             column_config={"Source": st.column_config.LinkColumn("Source")})
    if prov.open:
        with prov:
            render_provenance(figures)
    if params_tab.open:
        with params_tab:
            st.markdown(view.PARAMS_TEXT)
            tables.dataframe(sources.params_table(params), hide_index=True, width="stretch",
                             column_config={"Adresse": st.column_config.LinkColumn("Adresse")})
    with import_tab:
        render_import_section()


def render_coverage(figures, regions) -> None:
    """The coverage tab: one indicator's region × year chart, its share, the whole matrix."""
    st.markdown(view.COVERAGE_TEXT)
    coverage = data.coverage_matrix(figures, regions)
    labels = view.indicator_labels()
    indicator = st.selectbox("Indicateur", coverage["indicateur"].unique().tolist(),
                             format_func=lambda k: labels.get(k, k), key=COVERAGE_KEY)
    sub = coverage[coverage["indicateur"] == indicator]
    # twin: the expander « Toute la matrice (tableau) » below
    show_chart(charts.french(charts.coverage_chart(sub)),
               view.coverage_alt(labels.get(indicator, indicator)),
               key=f"couverture_{indicator}", sources=charts.sources_line(figures["source"]))
    st.caption(view.coverage_caption(sub))
    with lazy.expander("Toute la matrice (tableau)", key="donnees_matrice_ouverte") as shown:
        if shown:
            tables.dataframe(sources.coverage_wide(coverage, labels), hide_index=True, width="stretch")
