"""Mutualisation: the pact's annex 1 as a live simulator (controls → lib engine → results).

All arithmetic lives in lib/mutualisation.py (engine) and lib/mutualisation_inputs.py (default
regional inputs); lib/ui/mutualisation.py draws the controls and results.
"""

from lib.ui import mutualisation as mut

mut.render_page()
