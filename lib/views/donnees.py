"""What the « Données et sources » page says, built without Streamlit: its introduction from the
vocabulary of natures, the coverage tab's texts and the indicators' labels.

The tables themselves come from ``lib.sources`` and ``lib.data``; ``lib/ui/donnees.py`` draws them.
"""

from __future__ import annotations

import pandas as pd

from lib import data, fmt, natures

# the lazy expanders under the « Fichiers » tab's two static tables: each names its table
# (two expanders with one label are one name twice for a screen reader)
CATALOGUE_GRID_LABEL = "Trier, chercher ou télécharger le catalogue des fichiers"
SUMMARY_GRID_LABEL = "Trier, chercher ou télécharger les chiffres par indicateur"

TABS = ("Fichiers", "Couverture", "Sources en désaccord", "Provenance des sources", "Paramètres du pacte",
        "Importer vos données")

COVERAGE_TEXT = (
    "Pour chaque région (avant 2016), année et indicateur : la nature du chiffre retenu, "
    "ou **manquant**. Les réhabilitations par éco-prêt sont données pour la période 2012-2013 "
    "et comptent pour ces deux années."
)

PARAMS_TEXT = ("Valeurs lues dans `data/pacte_parametres.yaml`, chacune avec l'article du pacte qui la fixe "
               "et sa référence datée.")


def intro() -> str:
    """The page's first paragraph: every nature a figure can have, with its meaning."""
    return (
        "Chaque chiffre du tableau de bord porte sa **source** et sa **nature** : "
        + " ; ".join(f"**{k}** — {v}" for k, v in natures.LABELS.items())
        + ". Aucune estimation n'est présentée comme un chiffre officiel."
    )


def indicator_labels() -> dict[str, str]:
    """Indicator key → its French label (``lib.data.INDICATORS``)."""
    return {k: v[0] for k, v in data.INDICATORS.items()}


def coverage_alt(label: str) -> str:
    """The coverage chart's name for assistive technology."""
    return f"Nature du chiffre retenu par région et par année : {label}"


def coverage_caption(sub: pd.DataFrame) -> str:
    """The share of region × year cells with a figure, for one indicator."""
    return f"{fmt.fmt_pct(data.coverage_share(sub))} des cases région × année ont un chiffre pour cet indicateur."
