"""Mutualisation: the pact's annex 1 as a live simulator (controls → lib engine → results).

All arithmetic lives in lib/mutualisation.py (engine) and lib/mutualisation_inputs.py (default
regional inputs); lib/ui/mutualisation.py draws the controls and results.
"""

from lib.ui.data_check import require_data

# before the import below: lib.ui.mutualisation builds its controls from the data files
require_data("mutualisation", title="Mutualisation financière (annexe 1 du pacte)", optional=False)

from lib.ui import mutualisation as mut  # noqa: E402

mut.render()
