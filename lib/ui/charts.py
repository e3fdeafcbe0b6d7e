"""A chart on the page as every reader needs it: a French title for assistive technology (the
``alt`` of st.altair_chart and the Vega description), a table or sentence twin, and exports as
PNG and SVG that carry the title, the sources and the date (``lib.charts.export_png``)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from lib import charts, fmt


def show_chart(
    chart: alt.TopLevelMixin,
    alt_text: str,
    *,
    key: str,
    sources: str,
    twin: pd.DataFrame | str | None = None,
    twin_label: str = "Les chiffres du graphique (tableau)",
    width: str = "stretch",
) -> None:
    """Draw ``chart`` (already passed through ``charts.french``) with its alternatives.

    ``twin``: a table (shown as text, French formats done by the caller) or a sentence; None when
    the page already shows the same figures right beside the chart (say so in the docstring of
    the caller). ``key`` names the export files and the buttons.
    """
    chart = chart.properties(description=alt_text)
    st.altair_chart(chart, alt=alt_text, width=width, key=f"{key}_chart")
    if isinstance(twin, str):
        st.caption(twin)
    elif twin is not None:
        with st.expander(twin_label):
            st.dataframe(twin, hide_index=True, width="stretch", placeholder=fmt.MISSING)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        "Image PNG", data=lambda: charts.export_png(chart, alt_text, sources), file_name=f"pacte_hlm_{key}.png",
        mime="image/png", icon=":material/image:", key=f"{key}_png",
        help="Le graphique avec son titre, ses sources et la date, pour une note ou une présentation.")
    c2.download_button(
        "Image SVG", data=lambda: charts.export_svg(chart, alt_text, sources), file_name=f"pacte_hlm_{key}.svg",
        mime="image/svg+xml", icon=":material/image:", key=f"{key}_svg",
        help="Le même graphique en image vectorielle (s'agrandit sans perte).")
