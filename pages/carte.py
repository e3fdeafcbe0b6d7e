"""Carte: where the pact is behind, region by region, and a click through to the region."""

import streamlit as st

from lib.ui import carte

st.title("Carte des régions")
carte.render()
