"""Thermal renovation against the pact's target (120 000 a year, of which 100 000 for the HLM bodies).

The only renovation counts we have are eco-loan counts (éco-prêt logement social, Caisse des
dépôts), and most of them cover a multi-year period (« 2012-2013 »). A period's count is never
split into yearly figures: it is compared with the yearly target times the number of years it
covers (``objectif_periode``; ``PERIOD_RULE`` says so where the figures are shown). A period that starts before the pact (2012) is compared at the
pact's yearly pace all the same, and the note says so.

By region, the pact sets no renovation objective: the national target is shared by the region's
share of the social rental stock (the stock key of the mutualisation simulator), so a regional
objective is always an estimate. Natures follow ``lib.targets``. No Streamlit here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib import data, fmt, targets
from lib.natures import CITE, DERIVE, ESTIME, MANQUANT, weakest
from lib.targets import REHAB_READINGS

INDICATOR = "rehab_eco_pls"
COLUMNS = [
    "periode", "annees", "valeur", "nature", "source", "date_source", "objectif_annuel", "objectif_periode",
    "nature_objectif", "taux", "ecart", "nature_taux", "note",
]
PERIOD_RULE = (
    "Un chiffre couvrant plusieurs années est comparé à l'objectif annuel multiplié par le nombre d'années de la "
    "période ; aucune valeur annuelle n'en est déduite. Une année antérieure au pacte (2013) est comptée au même "
    "rythme annuel."
)
STOCK_RULE = "objectif national × part de la région dans le parc locatif social"


def period_years(periode: str) -> list[int]:
    """« 2012-2013 » → [2012, 2013]; « 2014 » → [2014]; anything else → [] (not comparable)."""
    m = re.fullmatch(r"\s*(\d{4})(?:\s*[-–]\s*(\d{4}))?\s*", str(periode))
    if not m:
        return []
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    return list(range(a, b + 1)) if b >= a else []


def yearly_target(params, reading: str = "tous_bailleurs", year: int | None = None) -> float:
    """The pact's yearly renovation target of one reading (data/pacte_parametres.yaml)."""
    if reading not in REHAB_READINGS:
        raise ValueError(f"lecture inconnue : {reading}")
    year = year if year is not None else targets.pact_years(params)[0]
    return float(params[REHAB_READINGS[reading]].value(year))


def compare(rows: pd.DataFrame, params, reading: str = "tous_bailleurs", share: float = 1.0,
            share_nature: str = CITE) -> pd.DataFrame:
    """Renovation counts by period (``periode``, ``valeur``, ``nature``, ``source``,
    ``date_source``) against ``share`` × the yearly target × the period's years.

    ``share`` = 1 for France; a region's share of the stock otherwise (``share_nature`` then
    says how sure it is). ``taux`` = count / period objective, ``ecart`` = count − objective.
    """
    pact = targets.pact_years(params)
    out = []
    for r in rows.itertuples(index=False):
        years = period_years(r.periode)
        notes = []
        if not years:
            target_y = obj = np.nan
            notes.append("période non comparable à un objectif annuel")
        else:
            in_pact = [y for y in years if y in pact]
            before = [y for y in years if y < min(pact)]
            target_y = sum(yearly_target(params, reading, y if y in pact else pact[0]) for y in years) / len(years)
            target_y *= share
            obj = target_y * len(years)
            if len(years) > 1:
                notes.append(f"{len(years)} ans : {len(years)} × l'objectif annuel")
            if before:
                span = str(before[0]) if len(before) == 1 else f"{before[0]}–{before[-1]}"
                notes.append(f"{span} avant le pacte, au même rythme")
            if not in_pact:
                notes.append("période hors du pacte")
        value = float(r.valeur) if pd.notna(r.valeur) else np.nan
        nat_obj = MANQUANT if np.isnan(obj) else weakest(CITE, share_nature)
        out.append(
            {
                "periode": r.periode,
                "annees": len(years),
                "valeur": value,
                "nature": r.nature if not np.isnan(value) else MANQUANT,
                "source": r.source or "",
                "date_source": getattr(r, "date_source", "") or "",
                "objectif_annuel": target_y,
                "objectif_periode": obj,
                "nature_objectif": nat_obj,
                "taux": value / obj if obj and not np.isnan(obj) else np.nan,
                "ecart": value - obj,
                "nature_taux": MANQUANT if np.isnan(value) or np.isnan(obj) else weakest(DERIVE, r.nature,
                                                                                                 nat_obj),
                "note": " ; ".join(notes),
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def _retained(figures: pd.DataFrame, niveau: str, code: str | None = None) -> pd.DataFrame:
    df = data.retained(figures, INDICATOR, niveau)
    if code is not None:
        df = df[df["territoire_code"] == code]
    df = df.assign(_y=[(period_years(p) or [0])[0] for p in df["periode"]]).sort_values(["_y", "periode"])
    return df[["periode", "valeur", "nature", "source", "date_source"]].reset_index(drop=True)


def national_renovation(figures: pd.DataFrame, params, reading: str = "tous_bailleurs") -> pd.DataFrame:
    """France's eco-loan renovations by period against the pact's target (``compare``)."""
    return compare(_retained(figures, "France"), params, reading)


def stock_shares(stock: pd.Series) -> pd.Series:
    """Each region's share of the summed stock (NaN where the stock is unknown)."""
    s = stock.astype(float)
    total = s.sum(min_count=1)
    return s / total if total and not np.isnan(total) else s * np.nan


def regional_renovation(figures: pd.DataFrame, params, code: str, stock: pd.Series, stock_natures: pd.Series,
                        reading: str = "tous_bailleurs") -> pd.DataFrame:
    """Region ``code``'s eco-loan renovations by period against its share of the national
    target (``STOCK_RULE``; ``stock`` and ``stock_natures`` indexed by region code). A region
    without a stock figure gets no objective (missing), never a zero."""
    rows = _retained(figures, "region2015", code)
    shares = stock_shares(stock)
    share = float(shares.get(code, np.nan))
    nature = weakest(ESTIME, str(stock_natures.get(code, MANQUANT))) if not np.isnan(share) else MANQUANT
    out = compare(rows, params, reading, share if not np.isnan(share) else np.nan, nature)
    out["part_parc"] = share
    return out


def renovation_sentence(table: pd.DataFrame, territory: str, reading_label: str) -> str:
    """One French sentence on the latest comparable period, « estimé » where it is."""
    known = table[table["taux"].notna()]
    if known.empty:
        return f"{territory} : aucun chiffre de réhabilitation thermique comparable à l'objectif du pacte."
    r = known.iloc[-1]
    approx = "environ " if r["nature_taux"] == ESTIME else ""
    span = f"sur {r['periode']}" if r["annees"] > 1 else f"en {r['periode']}"
    obj = "objectif estimé" if r["nature_objectif"] == ESTIME else "objectif"
    return (
        f"{span[:1].upper()}{span[1:]}, {fmt.fmt_int(r['valeur'])} logements sociaux ont été réhabilités avec un "
        f"éco-prêt ({territory}), soit {approx}{fmt.fmt_pct(r['taux'], 0)} de l'{obj} du pacte "
        f"({reading_label}) de {fmt.fmt_int(r['objectif_periode'])} pour "
        f"{'ces ' + str(r['annees']) + ' ans' if r['annees'] > 1 else 'cette année'}"
        + (" (estimation)." if approx else ".")
    )


def screen_table(t: pd.DataFrame) -> pd.DataFrame:
    """A renovation table in French for the screen (numbers formatted), the twin of its chart."""
    return pd.DataFrame({
        "Période": t["periode"],
        "Logements réhabilités (éco-prêt)": [fmt.fmt_int(v) for v in t["valeur"]],
        "Nature": t["nature"],
        "Objectif de la période": [fmt.fmt_int(v) for v in t["objectif_periode"]],
        "Nature de l'objectif": t["nature_objectif"],
        "Réalisation": [fmt.fmt_pct(v, 0) for v in t["taux"]],
        "Note": t["note"],
        "Source": t["source"],
        "Date de la source": t["date_source"],
    })
