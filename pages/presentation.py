"""Présentation: a guided sequence for a meeting (France → map → a region → a scenario)."""

import streamlit as st

from lib.ui import presentation

st.title("Présentation en réunion")
presentation.render()
