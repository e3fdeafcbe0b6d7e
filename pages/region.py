"""Région: a region's own page for its committee (deep link ``?region=93``)."""

import streamlit as st

from lib.ui import region as ui
from lib.ui.data_check import require_data

st.title("Région")
require_data("region")
code = ui.region_picker()
if code is None:
    st.info(
        "Choisissez une région ci-dessus, ou cliquez sur une région de la carte. "
        "L'adresse de la page (par exemple …/region?region=93) peut être envoyée à un comité.",
        icon=":material/location_on:",
    )
    st.page_link("pages/carte.py", label="Ouvrir la carte", icon=":material/map:")
else:
    ui.render_region(code)
