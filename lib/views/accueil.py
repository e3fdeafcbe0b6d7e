"""What the Accueil page shows, built without Streamlit: its introduction, the pact's years of the
national series, the caption of the two readings of the target and the figures' table.

``lib/ui/accueil.py`` only draws these (metrics, chart, expander, links).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lib import fmt, natures

# the lazy expander under the national reading table holding its grid (sort, search, CSV)
READING_GRID_LABEL = "Trier, chercher ou télécharger les lectures de l'objectif national"
TABLE_COLUMNS = {
    "annee": "Année", "serie": "Série", "valeur": "Logements", "nature": "Nature", "perimetre": "Périmètre",
    "source": "Source", "date_source": "Date de la source", "note": "Note",
}


def intro(pact_years: Sequence[int]) -> str:
    """The page's first paragraph; the pact's years come from the parameter file."""
    return (
        "Le pacte d'objectifs et de moyens du **8 juillet 2013** entre l'État et le mouvement Hlm vise "
        f"chaque année, de {min(pact_years)} à {max(pact_years)}, le financement de logements locatifs sociaux et "
        "la réhabilitation thermique du parc. Ce tableau de bord suit la production par région, la compare aux "
        "objectifs et simule la mutualisation financière prévue par l'annexe 1 du pacte."
    )


def chart_alt(national: pd.DataFrame, pact_years: Sequence[int]) -> str:
    """The national chart's text alternative: the years it shows (the data's) and the pact's."""
    shown = national_total(national)["annee"].astype(int)
    return (f"Logements locatifs sociaux financés par an de {shown.min()} à {shown.max()} et objectifs du pacte pour "
            f"{min(pact_years)} à {max(pact_years)}")


def national_total(national: pd.DataFrame) -> pd.DataFrame:
    """The national series' « Total » rows (every product together)."""
    return national[national["serie"] == "Total"]


def pact_years(national: pd.DataFrame) -> pd.DataFrame:
    """The « Total » rows of the years the pact sets a target for (one metric each)."""
    total = national_total(national)
    return total[total["objectif_hlm"].notna()]


def metric_delta(row: pd.Series) -> str:
    """A year's share of the all-landlords target, the metric's delta."""
    return f"{fmt.fmt_pct(row['taux_tous_bailleurs'])} de l'objectif tous bailleurs"


def readings_caption(params) -> str:
    """The two readings of the national target, each with the article that sets it."""
    p_all = params["objectifs.production_tous_bailleurs"]
    p_hlm = params["objectifs.production_hlm"]
    return (
        f"Deux lectures de l'objectif : {fmt.fmt_int(p_all.value(2013))} logements par an tous bailleurs "
        f"({p_all.reference}) ; {fmt.fmt_int(p_hlm.value(2013))} pour les seuls organismes Hlm "
        f"({p_hlm.reference}). Le chiffre national publié couvre tous les bailleurs sociaux : le comparer "
        "à la cible Hlm surestime la part des organismes Hlm."
    )


def missing_years_warning(national: pd.DataFrame) -> str | None:
    """The sentence naming the years without a national figure, or None when every year has one."""
    total = national_total(national)
    missing = total[total["nature"] == natures.MANQUANT]["annee"].tolist()
    if not missing:
        return None
    return "Années sans chiffre national : " + ", ".join(map(str, missing)) + "."


def figures_table(national: pd.DataFrame) -> pd.DataFrame:
    """Every national figure with its nature and source, columns in French, numbers formatted."""
    table = national[list(TABLE_COLUMNS)].copy()
    table["valeur"] = table["valeur"].map(fmt.fmt_int)
    return table.rename(columns=TABLE_COLUMNS)
