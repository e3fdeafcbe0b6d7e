"""Build data/figures.csv, the tidy table of every cited figure, from ../shared/data/.

One row per value: territory (code, level, name), period and year, indicator, value, unit,
scope (périmètre), nature (officiel / cité / dérivé / estimé), source address and note. The
shared tables mix wide and long layouts and free-text natures ("cité (communiqué …)"); this
script normalises them once so the app reads a single typed file. A missing value stays
missing: wide rows with an empty PLAI/PLUS/PLS cell produce no row at all.

usage: .venv/bin/python scripts/build_figures.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lib.paths import FIGURES_FILE  # noqa: E402

COLUMNS = [
    "niveau", "territoire_code", "territoire_nom", "periode", "annee", "indicateur", "valeur",
    "unite", "perimetre", "nature", "source", "note", "fichier_origine",
]
FRANCE = ("France", "FR", "France")


def normalise_nature(raw: str) -> tuple[str, str]:
    """'cité (communiqué …)' -> ('cité', 'communiqué …'); keeps the detail for the note."""
    raw = (raw or "").strip()
    low = raw.lower()
    for nature in ("officiel", "dérivé", "estimé", "cité"):
        if low.startswith(nature) or (nature == "dérivé" and "dérivés" in low and not low.startswith("total")):
            return nature, raw
    if low.startswith("total cité"):
        return "cité", raw
    return "cité", raw


def year_of(periode: str) -> int | None:
    """A single year ('2014', '2015-01-01', '2015 (janv-mai)') -> 2014; a span ('2012-2013') -> None."""
    p = str(periode).strip()
    if re.fullmatch(r"\d{4}-\d{4}", p):
        return None
    m = re.match(r"(\d{4})", p)
    return int(m.group(1)) if m else None


def from_regional(shared: Path) -> pd.DataFrame:
    d = pd.read_csv(shared / "figures_regionales_citees.csv", dtype=str, keep_default_na=False)
    out = pd.DataFrame({
        "niveau": d["niveau"],
        "territoire_code": d["code"],
        "territoire_nom": d["nom"],
        "periode": d["periode"],
        "indicateur": d["indicateur"],
        "valeur": pd.to_numeric(d["valeur"].str.replace(",", ".", regex=False)),
        "unite": d["unite"],
        "perimetre": d["perimetre"],
        "nature": d["nature"].map(lambda s: normalise_nature(s)[0]),
        "source": d["source_url"],
        "note": d["note"],
    })
    france = out["niveau"] == "France"
    out.loc[france & (out["territoire_code"] == ""), "territoire_code"] = "FR"
    # one row concerns the four historical DOM together: a group, not France
    dom4 = out["territoire_code"] == "DOM4"
    out.loc[dom4, "niveau"] = "groupe"
    out.loc[dom4, "territoire_nom"] = "Guadeloupe, Martinique, Guyane, La Réunion"
    out["fichier_origine"] = "figures_regionales_citees.csv"
    return out


def from_national(shared: Path) -> pd.DataFrame:
    d = pd.read_csv(shared / "lls_finances_national_cite.csv", dtype=str, keep_default_na=False)
    rows = []
    for _, r in d.iterrows():
        nature_total, detail = normalise_nature(r["nature"])
        products_derived = "DÉRIVÉS" in r["nature"]
        for col, indicator in (("total_lls_finances", "lls_finances"), ("plai", "lls_finances_plai"),
                               ("plus", "lls_finances_plus"), ("pls", "lls_finances_pls")):
            if not r[col].strip():
                continue  # missing stays missing
            nature = "dérivé" if (products_derived and col != "total_lls_finances") else "cité"
            note = "; ".join(x for x in (detail if detail != nature else "", r["note"]) if x)
            rows.append({
                "niveau": FRANCE[0], "territoire_code": FRANCE[1], "territoire_nom": FRANCE[2],
                "periode": r["annee"], "indicateur": indicator, "valeur": float(r[col]),
                "unite": "logements", "perimetre": r["perimetre"], "nature": nature,
                "source": r["source_url"], "note": note,
            })
    out = pd.DataFrame(rows)
    out["fichier_origine"] = "lls_finances_national_cite.csv"
    return out


STOCK_INDICATORS = {
    "parc social total": "parc_social_total",
    "parc locatif social": "parc_locatif_social",
    "parc locatif des bailleurs sociaux": "parc_bailleurs_sociaux",
    "parc locatif social (RPLS)": "parc_locatif_social",
}
STOCK_TERRITORIES = {
    "France": ("France", "FR", "France"),
    "France hors Martinique et Guyane": ("France", "FR", "France"),
    "Rhône-Alpes": ("region2015", "82", "Rhône-Alpes"),
    "Pays de la Loire": ("region2015", "52", "Pays de la Loire"),
    "La Réunion": ("region2015", "04", "La Réunion"),
}


def from_stock(shared: Path) -> pd.DataFrame:
    d = pd.read_csv(shared / "parc_social_national_et_regional_cite.csv", dtype=str, keep_default_na=False)
    rows = []
    for _, r in d.iterrows():
        niveau, code, nom = STOCK_TERRITORIES[r["territoire"]]
        perimetre = r["territoire"] if r["territoire"].startswith("France hors") else ""
        rows.append({
            "niveau": niveau, "territoire_code": code, "territoire_nom": nom,
            "periode": r["date_ref"], "indicateur": STOCK_INDICATORS[r["indicateur"]],
            "valeur": float(r["valeur"]), "unite": r["unite"], "perimetre": perimetre,
            "nature": "cité", "source": r["source_url"], "note": r["note"],
        })
    out = pd.DataFrame(rows)
    out["fichier_origine"] = "parc_social_national_et_regional_cite.csv"
    return out


PACT_INDICATORS = {
    ("mutualisation", "enveloppe 2013"): ("mutualisation_enveloppe", "2013", 1e6, "€"),
    ("mutualisation", "contributions brutes 2015 (investissements 2014)"): ("mutualisation_contributions_brutes", "2015", 1e6, "€"),
    ("mutualisation", "plafond 2016 (investissements 2015)"): ("mutualisation_plafond", "2016", 1e6, "€"),
    ("eco_pls", "réhabilitations financées 2012-2013"): ("rehab_eco_pls", "2012-2013", 1, "logements"),
    ("eco_pls", "logements réhabilités 2009-fin 2015"): ("rehab_eco_pls_borne_basse", "2009-2015", 1, "logements"),
}


def from_pact(shared: Path) -> pd.DataFrame:
    """Mutualisation and eco-loan figures quoted in the press; the pact targets themselves live
    in data/pacte_parametres.yaml, read from the pact's text."""
    d = pd.read_csv(shared / "pacte_et_mutualisation_cite.csv", dtype=str, keep_default_na=False)
    rows = []
    for _, r in d.iterrows():
        key = (r["theme"], r["parametre"])
        if key not in PACT_INDICATORS:
            continue
        indicator, periode, factor, unit = PACT_INDICATORS[key]
        rows.append({
            "niveau": FRANCE[0], "territoire_code": FRANCE[1], "territoire_nom": FRANCE[2],
            "periode": periode, "indicateur": indicator, "valeur": float(r["valeur"]) * factor,
            "unite": unit, "perimetre": "", "nature": "cité", "source": r["source_url"], "note": r["note"],
        })
    out = pd.DataFrame(rows)
    out["fichier_origine"] = "pacte_et_mutualisation_cite.csv"
    return out


def build(shared: Path) -> pd.DataFrame:
    out = pd.concat([from_national(shared), from_regional(shared), from_stock(shared), from_pact(shared)],
                    ignore_index=True)
    out["annee"] = out["periode"].map(year_of).astype("Int64")
    out = out[COLUMNS].sort_values(["indicateur", "niveau", "territoire_code", "periode", "source"], kind="stable")
    return out.reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    out = build(args.shared)
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(FIGURES_FILE, index=False, encoding="utf-8")
    print(f"{FIGURES_FILE.relative_to(ROOT)}: {len(out)} lignes, "
          f"{out['nature'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
