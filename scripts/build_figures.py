"""Build data/figures.csv, the tidy table of every cited figure, from ../shared/data/.

One row per value: territory (code, level, name), period and year, indicator, value, unit,
scope (périmètre), nature (officiel / cité / dérivé / estimé), source address and note. The
shared tables mix wide and long layouts and free-text natures ("cité (communiqué …)"); this
script normalises them once so the app reads a single typed file. A missing value stays
missing: wide rows with an empty PLAI/PLUS/PLS cell produce no row at all.

Two hand-kept files of data/ are read too: ``mutualisation_campagnes_citees.csv`` (published
outcomes of the mutualisation campaigns and national totals, each with its address) and
``sources_adresses.csv`` (one row per source address: publisher, type — publisher's own page,
press, republication, unofficial copy —, the original publication, publication and/or
consultation date). Every figure gets its source's provenance columns. A figure whose source
has neither date is not retainable: it goes to ``data/figures_non_datees.csv`` (kept and shown
on « Données et sources », never used by default). A few rows are derived here by arithmetic on
cited rows (``derived_rows``), each with its method in the note.

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
from lib.paths import DATA, FIGURES_FILE  # noqa: E402

PROVENANCE_COLUMNS = [
    "source_editeur", "source_type", "source_original", "date_publication", "date_consultation", "date_note",
]
COLUMNS = [
    "niveau", "territoire_code", "territoire_nom", "periode", "annee", "indicateur", "valeur",
    "unite", "perimetre", "nature", "source", "note", "fichier_origine", *PROVENANCE_COLUMNS,
]
CAMPAIGNS_FILE = DATA / "mutualisation_campagnes_citees.csv"
REGISTRY_FILE = DATA / "sources_adresses.csv"
UNDATED_FILE = DATA / "figures_non_datees.csv"
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


def from_campaigns(path: Path = CAMPAIGNS_FILE) -> pd.DataFrame:
    """Published outcomes of the mutualisation campaigns and national totals (data/, hand-kept)."""
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame({
        "niveau": d["niveau"], "territoire_code": d["code"], "territoire_nom": d["nom"],
        "periode": d["periode"], "indicateur": d["indicateur"],
        "valeur": pd.to_numeric(d["valeur"].str.replace(",", ".", regex=False)),
        "unite": d["unite"], "perimetre": d["perimetre"], "nature": d["nature"],
        "source": d["source_url"], "note": d["note"],
    })
    out["fichier_origine"] = path.name
    return out


def _fr(x: float, decimals: int = 0) -> str:
    """French number text for notes: 1 234 567 ; 0,7."""
    return f"{x:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def _one(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for col, val in where.items():
        sel = sel[sel[col] == val]
    if len(sel) != 1:
        raise SystemExit(f"build_figures: ligne attendue unique pour {where}, trouvé {len(sel)}")
    return sel.iloc[0]


def derived_rows(out: pd.DataFrame) -> pd.DataFrame:
    """Figures computed here from cited rows; the method is in each note.

    - national eco-loan rehabilitations 2014: the Île-de-France count of the year divided by
      its share of the national eco-loans (both from the DRIHL page, both orders of magnitude);
    - national totals of the three contribution bases of campaign 2015: each part of the
      contribution divided by the average ratio the bilan gives for it (0,7 % of rents,
      13,5 € per dwelling, 85 % of the CGLLS dues). The ratios are rounded, so the totals are
      orders of magnitude (interval in the note).
    """
    rows = []
    idf = _one(out, indicateur="rehab_eco_pls", territoire_code="11", periode="2014")
    share = _one(out, indicateur="part_eco_pls_nationale", territoire_code="11", periode="2014")
    rows.append({
        "niveau": "France", "territoire_code": "FR", "territoire_nom": "France", "periode": "2014",
        "indicateur": "rehab_eco_pls", "valeur": round(idf["valeur"] / (share["valeur"] / 100)),
        "unite": "logements", "perimetre": "tous bailleurs sociaux", "nature": "dérivé", "source": idf["source"],
        "note": (f"{_fr(idf['valeur'])} rénovations en Île-de-France en 2014 (ordre de grandeur) ÷ "
                 f"{_fr(share['valeur'], 1)} % (part de l'Île-de-France dans les éco-prêts accordés en 2014), DRIHL ; "
                 "tous bailleurs sociaux"),
        "fichier_origine": "dérivé par scripts/build_figures.py",
    })
    bases = (
        ("mutualisation_contribution_loyers", "mutualisation_ratio_loyers", 100, 0.05,
         "mutualisation_base_loyers", "€", "loyers et redevances pris en compte"),
        ("mutualisation_contribution_patrimoine", "mutualisation_ratio_patrimoine", 1, 0.05,
         "mutualisation_base_patrimoine", "logements", "logements et unités de logements-foyers"),
        ("mutualisation_contribution_cglls", "mutualisation_ratio_cglls", 100, 0.5,
         "mutualisation_base_cotisation_cglls", "€", "cotisations CGLLS prises en compte"),
    )
    for part_key, ratio_key, scale, half_step, key, unit, label in bases:
        part = _one(out, indicateur=part_key, periode="2015")
        ratio = _one(out, indicateur=ratio_key, periode="2015")
        r = ratio["valeur"] / scale
        lo, hi = part["valeur"] / ((ratio["valeur"] + half_step) / scale), part["valeur"] / ((ratio["valeur"] - half_step) / scale)
        rows.append({
            "niveau": "France", "territoire_code": "FR", "territoire_nom": "France", "periode": "2015",
            "indicateur": key, "valeur": round(part["valeur"] / r),
            "unite": unit, "perimetre": "organismes Hlm cotisants de métropole", "nature": "dérivé",
            "source": part["source"],
            "note": (f"campagne 2015 ; {label} : part de la contribution ({_fr(part['valeur'] / 1e6, 1)} M€) ÷ ratio "
                     f"moyen publié ({_fr(ratio['valeur'], 1)} {ratio['unite']}) ; ratio arrondi, total entre "
                     f"{_fr(lo)} et {_fr(hi)}"),
            "fichier_origine": "dérivé par scripts/build_figures.py",
        })
    return pd.DataFrame(rows)


def attach_provenance(out: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Provenance columns from the source registry. A regional body's page that gives figures
    of other regions (a national table) is a republication (« reprise ») for those regions,
    never their publisher."""
    reg = registry.set_index("url")
    missing = sorted(set(out["source"]) - set(reg.index))
    if missing:
        raise SystemExit("build_figures: adresses absentes de data/sources_adresses.csv : " + ", ".join(missing))
    r = reg.loc[out["source"]].reset_index(drop=True)
    out = out.reset_index(drop=True).copy()
    out["source_editeur"] = r["editeur"]
    out["source_type"] = r["type_source"]
    out["source_original"] = r["original"]
    out["date_publication"] = r["date_publication"]
    out["date_consultation"] = r["date_consultation"]
    out["date_note"] = r["date_note"]
    terr = pd.read_csv(DATA / "territoires.csv", dtype=str)
    dep_reg = dict(zip(terr["dep_code"], terr["reg2015_code"]))
    r15_r16 = dict(zip(terr["reg2015_code"], terr["reg2016_code"]))

    def within(regions: set[str], niveau: str, code: str) -> bool:
        """Is the territory inside the publisher's region(s)? (codes before or after 2016)"""
        if niveau == "region2015":
            return code in regions or r15_r16.get(code) in regions
        if niveau == "region2016":
            return code in regions or any(r15_r16.get(c) == code for c in regions)
        if niveau == "departement":
            reg = dep_reg.get(code)
            return reg in regions or r15_r16.get(reg) in regions
        return False  # France or a group of regions: a regional body republishing national figures

    derived_here = out["fichier_origine"].str.startswith("dérivé")  # our arithmetic on the body's own figures
    foreign = [
        bool(own) and not mine and not within(set(own.split(",")), niv, code)
        for own, mine, niv, code in zip(r["region_editeur"], derived_here, out["niveau"], out["territoire_code"])
    ]
    foreign = pd.Series(foreign)
    out.loc[foreign, "source_type"] = "reprise"
    out.loc[foreign, "source_editeur"] = r.loc[foreign, "editeur"] + " (tableau national)"
    return out


def build(shared: Path, data: Path = DATA) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures, undated figures) — the second are kept aside, never retained."""
    out = pd.concat([from_national(shared), from_regional(shared), from_stock(shared), from_pact(shared),
                     from_campaigns(data / CAMPAIGNS_FILE.name)], ignore_index=True)
    out = pd.concat([out, derived_rows(out)], ignore_index=True)
    registry = pd.read_csv(data / REGISTRY_FILE.name, dtype=str, keep_default_na=False)
    out = attach_provenance(out, registry)
    out["annee"] = out["periode"].map(year_of).astype("Int64")
    out = out[COLUMNS].sort_values(["indicateur", "niveau", "territoire_code", "periode", "source"], kind="stable")
    out = out.reset_index(drop=True)
    undated = (out["date_publication"] == "") & (out["date_consultation"] == "")
    return out[~undated].reset_index(drop=True), out[undated].reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    out, undated = build(args.shared)
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(FIGURES_FILE, index=False, encoding="utf-8")
    undated.to_csv(UNDATED_FILE, index=False, encoding="utf-8")
    print(f"{FIGURES_FILE.relative_to(ROOT)}: {len(out)} lignes, "
          f"{out['nature'].value_counts().to_dict()} ; "
          f"{UNDATED_FILE.relative_to(ROOT)}: {len(undated)} lignes sans date écartées")


if __name__ == "__main__":
    main()
