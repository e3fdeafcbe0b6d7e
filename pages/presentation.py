"""Présentation: a guided sequence for a meeting (France → map → a region → a scenario)."""

import streamlit as st

from lib.ui import presentation as ui
from lib.ui.data_check import require_data

st.title("Présentation en réunion")
require_data("presentation")
ui.render()
