"""The nature of a figure: how sure we are of it and where it comes from, in one place.

Every figure the dashboard shows carries one of these words, in French because users read them
on the page, in tables and in exports. The orders below answer three different questions and so
are kept apart on purpose:

- ``LEGEND``: the order of legends and counts (officiel first, manquant last);
- ``BY_CERTAINTY``: which nature a figure computed from several others takes (the least certain);
- ``BY_PREFERENCE``: which figure is retained when several sources give one (the user's own
  import replaces the defaults, then the surest source), also the order in which the
  mutualisation ranks its inputs.

« manquant » is a nature (no figure was found); the text a table cell shows for a missing value
is ``lib.fmt.MISSING`` (« n.d. »). The two are not interchangeable.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from lib import palettes

OFFICIEL = "officiel"
CITE = "cité"
DERIVE = "dérivé"
ESTIME = "estimé"
IMPORTE = "importé"
HYPOTHESE = "hypothèse"  # a national assumption of the mutualisation (data/mutualisation_hypotheses.yaml)
MANQUANT = "manquant"

#: natures a figure of data/figures.csv (or an imported extract) may carry
SOURCED = (OFFICIEL, CITE, DERIVE, ESTIME, IMPORTE)
LEGEND = (*SOURCED, MANQUANT)
BY_CERTAINTY = (OFFICIEL, CITE, IMPORTE, DERIVE, ESTIME, MANQUANT)
BY_PREFERENCE = (IMPORTE, OFFICIEL, CITE, DERIVE, ESTIME, HYPOTHESE)
#: natures that make a figure an estimate (said as such on the page)
ESTIMATES = (ESTIME, HYPOTHESE)

LABELS: Mapping[str, str] = MappingProxyType({
    OFFICIEL: "publication ou jeu de données publics, repris tel quel",
    CITE: "chiffre repris d'une source publique, adresse donnée",
    DERIVE: "calcul sur des chiffres cités ou officiels, méthode indiquée",
    ESTIME: "modèle ou répartition, règle indiquée",
    IMPORTE: "fichier chargé par l'utilisateur",
    MANQUANT: "aucune donnée",
})

#: chart colours, in ``LEGEND`` order (checked for colour-blind readers in lib/palettes.py)
COLOURS: Mapping[str, str] = MappingProxyType(dict(zip(LEGEND, palettes.NATURE_RANGE, strict=True)))

#: Streamlit badge colour of each nature (``lib.ui.nature_badge``); anything else is grey
BADGE_COLOURS: Mapping[str, str] = MappingProxyType({
    OFFICIEL: "blue", CITE: "blue", DERIVE: "violet", ESTIME: "orange", IMPORTE: "green", MANQUANT: "gray",
})


def weakest(*natures: str) -> str:
    """The least certain of several natures (a rate from an estimate is an estimate); an unknown
    word counts as missing."""
    ranks = [BY_CERTAINTY.index(n) if n in BY_CERTAINTY else len(BY_CERTAINTY) for n in natures]
    worst = max(ranks)
    return BY_CERTAINTY[worst] if worst < len(BY_CERTAINTY) else MANQUANT


def preference_rank(nature: str, unknown: int = 9) -> int:
    """Rank of ``nature`` in ``BY_PREFERENCE`` (0 = retained first); ``unknown`` for any other word."""
    return BY_PREFERENCE.index(nature) if nature in BY_PREFERENCE else unknown
