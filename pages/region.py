"""Région: a region's own page for its committee (deep link ``?region=93``)."""

import streamlit as st

from lib.ui import region

st.title("Région")
region.render()
