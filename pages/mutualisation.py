"""Mutualisation: the pact's annex 1 as a live simulator (controls → lib engine → results).

All arithmetic lives in lib/mutualisation.py (engine) and lib/mutualisation_inputs.py (default
regional inputs); lib/ui/mutualisation.py draws the controls and results.
"""

import streamlit as st

from lib.ui import mutualisation

st.title("Mutualisation financière (annexe 1 du pacte)")
mutualisation.render()
