"""Données et sources: every dataset with its provenance and nature, the pact parameters, where
sources disagree, and the coverage matrix (region × year × indicator)."""

import streamlit as st

from lib.ui import donnees

st.title("Données et sources")
donnees.render()
