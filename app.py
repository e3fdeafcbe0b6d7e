"""Pacte HLM dashboard: the frame shared by every page (config, navigation, sidebar).

Start it with ``python run.py`` (see README: why not plain ``streamlit run app.py``).
"""

import streamlit as st

from lib.ui import imported_banner

st.set_page_config(page_title="Pacte Hlm 2013-2015 — tableau de bord", page_icon="🏘️", layout="wide")

PAGES = [
    st.Page("pages/accueil.py", title="Accueil", icon="🏠", url_path="accueil", default=True),
    st.Page("pages/carte.py", title="Carte", icon="🗺️", url_path="carte"),
    st.Page("pages/region.py", title="Région", icon="📍", url_path="region"),
    st.Page("pages/mutualisation.py", title="Mutualisation", icon="⚖️", url_path="mutualisation"),
    st.Page("pages/donnees.py", title="Données et sources", icon="📚", url_path="donnees"),
]

nav = st.navigation(PAGES)
with st.sidebar:
    st.caption("Pacte d'objectifs et de moyens État – Hlm du 8 juillet 2013. "
               "Chaque chiffre indique sa source et sa nature : officiel, cité, dérivé, estimé.")
imported_banner()
nav.run()
