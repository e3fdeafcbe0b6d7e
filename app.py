"""Pacte HLM dashboard: the frame shared by every page (config, navigation, sidebar).

Start it with ``python run.py`` (see README: why not plain ``streamlit run app.py``).
"""

import streamlit as st

from lib.paths import ROOT
from lib.ui import imported_banner, presentation_mode, sidebar_state, theme
from lib.ui.data_check import sidebar_data_warning

st.set_page_config(page_title="Pacte Hlm 2013-2015 — tableau de bord", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide",
                   initial_sidebar_state=sidebar_state())
theme.apply()

PAGES = [
    st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
    st.Page("pages/carte.py", title="Carte", icon=":material/map:", url_path="carte"),
    st.Page("pages/region.py", title="Région", icon=":material/location_on:", url_path="region"),
    st.Page("pages/mutualisation.py", title="Mutualisation", icon=":material/balance:", url_path="mutualisation"),
    st.Page("pages/donnees.py", title="Données et sources", icon=":material/menu_book:", url_path="donnees"),
    st.Page("pages/presentation.py", title="Présentation", icon=":material/slideshow:", url_path="presentation"),
]

nav = st.navigation(PAGES)
with st.sidebar:
    st.caption("Pacte d'objectifs et de moyens État – Hlm du 8 juillet 2013. "
               "Chaque chiffre indique sa source et sa nature : officiel, cité, dérivé, estimé, importé.")
    presentation_mode()
    sidebar_data_warning()
imported_banner()
nav.run()
