"""Accueil: national production against the pact's targets, each figure with its nature."""

import streamlit as st

from lib.ui import accueil

st.title("Pacte Hlm 2013-2015\u00a0: où en est-on\u202f?")  # no-break spaces: « ? » never alone on a line
accueil.render()
