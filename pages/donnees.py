"""Données et sources: every dataset with its provenance and nature, the pact parameters, where
sources disagree, and the coverage matrix (region × year × indicator)."""

import streamlit as st

from lib import charts, data, fmt, natures, sources, ui
from lib.ui import tables
from lib.ui.charts import show_chart
from lib.ui.data_check import require_data

st.title("Données et sources")
require_data("donnees")
st.markdown(
    "Chaque chiffre du tableau de bord porte sa **source** et sa **nature** : "
    + " ; ".join(f"**{k}** — {v}" for k, v in natures.LABELS.items())
    + ". Aucune estimation n'est présentée comme un chiffre officiel."
)

try:
    figures = ui.active_figures()
    regions = ui.load_regions()
    params = ui.load_params()
    catalogue = sources.load_catalogue()
except Exception as err:
    ui.show_error(err)
    st.stop()

tab_files, tab_cov, tab_conflicts, tab_prov, tab_params, tab_import = st.tabs(
    ["Fichiers", "Couverture", "Sources en désaccord", "Provenance des sources", "Paramètres du pacte",
     "Importer vos données"])

with tab_files:
    tables.dataframe(sources.catalogue_table(catalogue), hide_index=True, width="stretch")
    st.markdown("**Chiffres par indicateur** (toutes sources confondues)")
    tables.dataframe(sources.figures_summary(figures), hide_index=True, width="stretch")

with tab_cov:
    st.markdown(
        "Pour chaque région (avant 2016), année et indicateur : la nature du chiffre retenu, "
        "ou **manquant**. Les réhabilitations par éco-prêt sont données pour la période 2012-2013 "
        "et comptent pour ces deux années."
    )
    coverage = data.coverage_matrix(figures, regions)
    labels = {k: v[0] for k, v in data.INDICATORS.items()}
    indicator = st.selectbox("Indicateur", coverage["indicateur"].unique().tolist(),
                             format_func=lambda k: labels.get(k, k), key="cov_indicator")
    sub = coverage[coverage["indicateur"] == indicator]
    # twin: the expander « Toute la matrice (tableau) » below
    show_chart(charts.french(charts.coverage_chart(sub)),
               f"Nature du chiffre retenu par région et par année : {labels.get(indicator, indicator)}",
               key=f"couverture_{indicator}", sources=charts.sources_line(figures["source"]))
    st.caption(f"{fmt.fmt_pct(data.coverage_share(sub))} des cases région × année ont un chiffre pour cet indicateur.")
    with st.expander("Toute la matrice (tableau)"):
        tables.dataframe(sources.coverage_wide(coverage, labels), hide_index=True, width="stretch")

with tab_conflicts:
    st.markdown(data.RETENTION_RULE)
    tables.dataframe(sources.conflicts_table(figures), hide_index=True, width="stretch",
                     column_config={"Source": st.column_config.LinkColumn("Source")})

with tab_prov:
    from lib.ui.provenance import render_provenance  # publisher, type of address, original, dates

    render_provenance(figures)

with tab_params:
    st.markdown("Valeurs lues dans `data/pacte_parametres.yaml`, chacune avec l'article du pacte qui la fixe "
                "et sa référence datée.")
    tables.dataframe(sources.params_table(params), hide_index=True, width="stretch",
                     column_config={"Adresse": st.column_config.LinkColumn("Adresse")})

with tab_import:
    try:
        from lib.ui.importer import render_import_section
    except ImportError:
        st.info("L'import de fichiers n'est pas encore disponible.")
    else:
        render_import_section()
