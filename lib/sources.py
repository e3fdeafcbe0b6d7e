"""Tables for the page "Données et sources": the data catalogue, figures per indicator, the
figures on which sources disagree, the pact parameters and the coverage matrix in wide form."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from lib import fmt
from lib.data import INDICATORS, mark_retained
from lib.errors import DataError
from lib.paths import DATA

CATALOGUE_FILE = DATA / "catalogue.yaml"
CATALOGUE_KEYS = ("fichier", "titre", "origine", "licence", "nature", "reconstruction")


def load_catalogue(path: Path = CATALOGUE_FILE) -> list[dict]:
    try:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"Catalogue des données illisible : {Path(path).name} ({exc}).") from exc
    if not isinstance(entries, list):
        raise DataError(f"Catalogue des données mal formé : {Path(path).name}.")
    for e in entries:
        missing = [k for k in CATALOGUE_KEYS if k not in e]
        if missing:
            raise DataError(f"Catalogue : l'entrée « {e.get('fichier', '?')} » n'a pas {', '.join(missing)}.")
    return entries


def catalogue_table(entries: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(entries, columns=list(CATALOGUE_KEYS))
    df.columns = ["Fichier (data/)", "Contenu", "Origine", "Licence", "Nature", "Reconstruction"]
    return df


def figures_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: rows, territories, periods, natures and number of distinct sources."""
    g = figures.groupby("indicateur")
    out = pd.DataFrame({
        "Indicateur": [INDICATORS.get(k, (k,))[0] for k in g.groups],
        "Code": list(g.groups),
        "Lignes": g.size().values,
        "Territoires": g["territoire_code"].nunique().values,
        "Périodes": g["periode"].apply(lambda s: ", ".join(sorted(set(s)))).values,
        "Natures": g["nature"].apply(lambda s: ", ".join(f"{k} ({v})" for k, v in s.value_counts().items())).values,
        "Sources distinctes": g["source"].nunique().values,
    })
    return out.sort_values("Lignes", ascending=False).reset_index(drop=True)


def conflicts_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Every figure for which another source gives another value, retained one first."""
    df = mark_retained(figures)
    df = df[df["n_sources"] > 1].sort_values(
        ["indicateur", "territoire_code", "periode", "retenu"], ascending=[True, True, True, False])
    return pd.DataFrame({
        "Territoire": df["territoire_nom"].fillna(df["territoire_code"]),
        "Période": df["periode"],
        "Indicateur": df["indicateur"].map(lambda k: INDICATORS.get(k, (k,))[0]),
        "Valeur": df["valeur"].map(fmt.fmt_int),
        "Retenue": df["retenu"].map({True: "oui", False: "non"}),
        "Nature": df["nature"],
        "Périmètre": df["perimetre"],
        "Source": df["source"],
        "Note": df["note"],
    }).reset_index(drop=True)


def _fmt_param(value, unite: str) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if unite == "taux":
        return fmt.fmt_pct(value, 0)
    if unite.startswith("€"):
        return fmt.fmt_eur(value)
    if isinstance(value, (int, float)):
        return fmt.fmt_int(value)
    return str(value)


def params_table(params) -> pd.DataFrame:
    rows = []
    for path, p in params.items():
        for year, v in sorted(p.valeurs.items()):
            rows.append({"Paramètre": p.description, "Valeur": _fmt_param(v, p.unite), "Unité": p.unite,
                         "À partir de": str(year), "Référence": p.reference, "Clé": path})
    return pd.DataFrame(rows)


def coverage_wide(coverage: pd.DataFrame, labels: dict) -> pd.DataFrame:
    wide = coverage.pivot_table(index=["region", "indicateur"], columns="annee", values="nature",
                                aggfunc="first").reset_index()
    wide["indicateur"] = wide["indicateur"].map(lambda k: labels.get(k, k))
    wide.columns = [str(c) for c in wide.columns]
    return wide.rename(columns={"region": "Région", "indicateur": "Indicateur"})
