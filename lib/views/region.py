"""What the region page shows, built without Streamlit: the picker's labels, the text shown while
no region is chosen, the headline's texts (its title, each year's gap to the objective, the
sources table) and the rank table. The region's own figures and prose come from
``lib.region_report``; ``lib/ui/region.py`` draws both."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence

import pandas as pd

from lib import fmt
from lib.presentation import period_label

NO_REGION_TEXT = (
    "Choisissez une région ci-dessus, ou cliquez sur une région de la carte. "
    "L'adresse de la page (par exemple …/region?region=93) peut être envoyée à un comité."
)


def picker_label(code: str, names: Mapping[str, str], priority: Container[str]) -> str:
    """« Bretagne (53) », with « — prioritaire » for a region the pact names."""
    return f"{names[code]} ({code})" + (" — prioritaire" if code in priority else "")


# ---------------------------------------------------------------------------------------------
# Headline: production against the objective, year by year


def headline_title(pact_years: Sequence[int]) -> str:
    """The headline's title, with the pact's period read from the parameter file."""
    return f"Production face à l'objectif, {period_label(pact_years)}"


def gap_delta(ecart: float, taux: float) -> str:
    """A year's gap to its objective, as the metric's delta; an ASCII sign first, so Streamlit
    draws the arrow the right way (the numbers after it are French)."""
    if pd.isna(taux):
        return "objectif ou production manquant"
    sign = "-" if ecart < 0 else "+"
    return f"{sign}{fmt.fmt_int(abs(ecart))} logements ({fmt.fmt_pct(taux)} de l'objectif)"


SOURCE_COLUMNS = {
    "annee": "Année",
    "source_production": "Source de la production",
    "date_source_production": "Date de la source",
    "autres_sources": "Autres sources (non retenues)",
    "source_objectif": "Source de l'objectif",
}


def sources_table(achievement: pd.DataFrame) -> pd.DataFrame:
    """The sources of the headline's figures, one row a year, French column names."""
    return achievement[list(SOURCE_COLUMNS)].rename(columns=SOURCE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Rank among the regions

# the lazy expanders holding the grids of the tables visible at open (lib.ui.tables.static_table):
# each names its table, so a screen reader's list of expanders does not read one label four times
RANK_GRID_LABEL = "Trier, chercher ou télécharger le rang parmi les régions"
PACE_GRID_LABEL = "Trier, chercher ou télécharger le rythme année par année"
RENOVATION_GRID_LABEL = "Trier, chercher ou télécharger les réhabilitations face à l'objectif"
PEERS_GRID_LABEL = "Trier, chercher ou télécharger la comparaison des régions"
NO_RANK_TEXT = "Rang : aucune année avec une production connue."
RANK_NOTE = ("Classement parmi les régions dont la production de l'année est connue ou estimée "
             "(les estimations entrent dans le classement).")


def _rank(rank: float, among: float) -> str:
    return f"{int(rank)} sur {int(among)}" if pd.notna(rank) else fmt.MISSING


def rank_table(ranks: pd.DataFrame) -> pd.DataFrame:
    """The region's rank each year it has one, as French text (empty when it has none): by
    dwellings financed, and per 10 000 inhabitants (« n.d. » where the population is missing)."""
    rk = ranks[ranks["rang"].notna()]
    return pd.DataFrame(
        {
            "Année": rk["annee"].astype(str),
            "Rang (logements financés)": [_rank(r, n) for r, n in zip(rk["rang"], rk["n"])],
            "Pour 10 000 habitants": [fmt.fmt_num(v, 1) for v in rk["pour_10k"]],
            "Rang (pour 10 000 hab.)": [_rank(r, n) for r, n in zip(rk["rang_10k"], rk["n_10k"])],
        }
    )
