"""« Données et sources » > « Provenance des sources »: who publishes each address, whether it
is the publisher's own page, a press article, a republication or an unofficial copy (and then
which original), and its dates; then the figures set aside for want of a date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import data, sources
from lib.ui import data_check, tables


def render_provenance(figures: pd.DataFrame) -> None:
    from lib import ui

    st.markdown(
        "Chaque adresse citée, avec son **éditeur** et son **type** : "
        + " ; ".join(f"**{k}** — {v}" for k, v in data.SOURCE_TYPE_LABELS.items())
        + ". Pour une copie ou une reprise, la publication d'origine est nommée. La date affichée à côté "
        "d'une source est sa date de publication, ou à défaut la date à laquelle elle a été consultée "
        "(copie de la page lue pour le projet)."
    )
    try:
        if data_check.part_available("donnees", "sources_adresses.csv"):
            tables.dataframe(sources.provenance_table(figures), hide_index=True, width="stretch",
                             column_config={"Source": st.column_config.LinkColumn("Source", width="medium"),
                                            "Publication d'origine": st.column_config.TextColumn(width="large")})
        if data_check.part_available("donnees", "figures_non_datees.csv"):
            undated = data.load_undated_figures()
            st.markdown(f"**Chiffres écartés faute de date** ({len(undated)}) : leur source n'a ni date de "
                        "publication ni date de consultation ; ils ne sont jamais retenus ni utilisés.")
            tables.dataframe(sources.undated_table(undated), hide_index=True, width="stretch",
                             column_config={"Source": st.column_config.LinkColumn("Source")})
    except Exception as err:  # a broken registry is a French message, never a traceback
        ui.show_error(err)
