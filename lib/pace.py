"""Pace to target: what yearly production the pact's 2015 objective required from each year on.

The pact's objective is a cumulated one over 2013–2015 (the sum of its yearly objectives). At the
start of each pact year, the production still needed is that objective minus what was financed
in the earlier pact years; shared over the years left, it gives the **required pace** of the
year, against which the year's actual production is set (``ecart``, ``ratio``).

Gaps stay gaps: if an earlier year's production is missing, the required pace of every later
year is unknown (NaN, nature "manquant", the note names the year); if it is an estimate, the
required pace is an estimate too. The natures follow ``lib.natures.BY_CERTAINTY``: a pace is a
computation (``dérivé``) unless one of its inputs is less certain. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lib import fmt
from lib.natures import CITE, DERIVE, ESTIME, MANQUANT, weakest

#: the columns ``pace_table`` needs (those of ``lib.targets.achievement``)
INPUT_COLUMNS = ["annee", "production", "nature_production", "objectif", "nature_objectif"]
PACE_COLUMNS = [
    "annee",
    "objectif_periode",
    "cumul_avant",
    "annees_restantes",
    "rythme_requis",
    "nature_rythme",
    "production",
    "nature_production",
    "ecart",
    "ratio",
    "nature_ecart",
    "note",
]
INDICATOR_COLUMNS = ["code", "valeur", "nature", "rythme_requis", "production", "note"]


def _years(frame: pd.DataFrame, years: Iterable[int] | None) -> list[int]:
    return sorted(int(y) for y in (years if years is not None else frame["annee"].unique()))


def _list(years: list[int]) -> str:
    return ", ".join(str(y) for y in years[:-1]) + (f" et {years[-1]}" if len(years) > 1 else str(years[-1]))


def _agree(word: str, years: list[int]) -> str:
    return word + ("s" if len(years) > 1 else "")


def pace_table(frame: pd.DataFrame, years: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per pact year: the required pace of the year and the actual production against it.

    ``frame`` has one row per year (``INPUT_COLUMNS``; a year absent from it counts as missing).
    ``rythme_requis`` = (sum of the period's objectives − production of the earlier years) /
    years left, floored at 0 once the objective is reached (the note says so, ``ratio`` is then
    missing); ``ecart`` = production − rythme_requis, ``ratio`` = production / rythme_requis.
    """
    years = _years(frame, years)
    f = frame.set_index(frame["annee"].astype(int)).reindex(years)
    prod = f["production"].astype(float)
    obj = f["objectif"].astype(float)
    nat_prod = f["nature_production"].fillna(MANQUANT).astype(str)
    nat_obj = f["nature_objectif"].fillna(MANQUANT).astype(str)
    missing_obj = [y for y in years if np.isnan(obj[y])]
    total_obj = np.nan if missing_obj else float(obj.sum())
    rows = []
    for i, year in enumerate(years):
        before, left = years[:i], len(years) - i
        cumul, required, nat_req, notes = _required_pace(before, left, prod, nat_prod, nat_obj, total_obj,
                                                         missing_obj)
        rows.append(_pace_row(year, total_obj, cumul, left, required, nat_req, prod, nat_prod, notes))
    return pd.DataFrame(rows, columns=PACE_COLUMNS)


def _required_pace(before: list[int], left: int, prod: pd.Series, nat_prod: pd.Series, nat_obj: pd.Series,
                   total_obj: float, missing_obj: list[int]) -> tuple[float, float, str, list[str]]:
    """(production of the earlier years, required pace, its nature, notes) at the start of a
    year: unknown as soon as an objective or an earlier production is missing, and the notes
    name the years, so that a gap is explained rather than shown as zero."""
    missing_before = [y for y in before if np.isnan(prod[y])]
    estimated_before = [y for y in before if nat_prod[y] == ESTIME]
    notes = []
    if missing_obj:
        notes.append(f"objectif {_list(missing_obj)} {_agree('manquant', missing_obj)} : rythme non calculable")
    if missing_before:
        notes.append(f"production {_list(missing_before)} {_agree('manquante', missing_before)} : "
                     "rythme non calculable")
    cumul = np.nan if missing_before else float(prod[before].sum()) if before else 0.0
    if np.isnan(total_obj) or np.isnan(cumul):
        return cumul, np.nan, MANQUANT, notes
    required = (total_obj - cumul) / left
    nat_req = weakest(DERIVE, *nat_obj.tolist(), *(nat_prod[y] for y in before))
    if estimated_before:
        notes.append(f"calculé sur une production estimée ({_list(estimated_before)})")
    if required <= 0:
        required = 0.0
        notes.append("objectif de la période déjà atteint")
    return cumul, required, nat_req, notes


def _pace_row(year: int, total_obj: float, cumul: float, left: int, required: float, nat_req: str,
              prod: pd.Series, nat_prod: pd.Series, notes: list[str]) -> dict:
    """The year's production set against its required pace; no ratio against a zero pace (the
    objective already reached), and a gap is as uncertain as the less certain of its two terms."""
    actual = float(prod[year])
    if np.isnan(actual):
        notes.append(f"production {year} manquante")
    gap = actual - required
    ratio = actual / required if required and required > 0 else np.nan
    nat_gap = MANQUANT if np.isnan(gap) else weakest(nat_req, nat_prod[year])
    return {
        "annee": year,
        "objectif_periode": total_obj,
        "cumul_avant": cumul,
        "annees_restantes": left,
        "rythme_requis": required,
        "nature_rythme": nat_req,
        "production": actual,
        "nature_production": nat_prod[year] if not np.isnan(actual) else MANQUANT,
        "ecart": gap,
        "ratio": ratio,
        "nature_ecart": nat_gap,
        "note": " ; ".join(notes),
    }


def period_balance(pace: pd.DataFrame) -> dict:
    """The period as a whole: production financed over the pact years against the cumulated
    objective (``reste`` = objective − production; missing if any year is missing)."""
    prod = pace["production"].astype(float)
    total_obj = float(pace["objectif_periode"].iloc[0]) if len(pace) else np.nan
    missing = pace.loc[prod.isna(), "annee"].astype(int).tolist()
    produced = np.nan if missing else float(prod.sum())
    nature = MANQUANT if missing or np.isnan(total_obj) else weakest(
        DERIVE, *pace["nature_production"], *pace["nature_rythme"].iloc[:1])
    return {
        "annees": pace["annee"].astype(int).tolist(),
        "objectif": total_obj,
        "production": produced,
        "reste": total_obj - produced,
        "taux": produced / total_obj if total_obj and not np.isnan(total_obj) else np.nan,
        "nature": nature,
        "annees_manquantes": missing,
        "annees_estimees": pace.loc[pace["nature_production"] == ESTIME, "annee"].astype(int).tolist(),
    }


def national_pace(national: pd.DataFrame, params, reading: str = "tous_bailleurs") -> pd.DataFrame:
    """France: ``pace_table`` of the national production (``lib.data.national_production``)
    against the pact's yearly target of the chosen reading (``lib.targets.READINGS``). The
    target is the pact's own figure (nature « cité »)."""
    from lib import targets

    years = targets.pact_years(params)
    tot = national[(national["serie"] == "Total") & national["annee"].isin(years)]
    frame = pd.DataFrame(
        {
            "annee": tot["annee"].astype(int).to_numpy(),
            "production": tot["valeur"].astype(float).to_numpy(),
            "nature_production": tot["nature"].to_numpy(),
        }
    )
    frame["objectif"] = [targets.national_target(params, int(y), reading) for y in frame["annee"]]
    frame["nature_objectif"] = CITE
    return pace_table(frame, years)


def regional_pace(achievement: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Every region's ``pace_table``, from ``lib.targets.achievement`` (production against the
    session's objectives, one row per region and pact year). Long frame, ``code`` first."""
    years = list(years)
    parts = []
    for code, g in achievement.groupby("code", sort=False):
        t = pace_table(g[INPUT_COLUMNS], years)
        t.insert(0, "code", code)
        parts.append(t)
    if not parts:
        return pd.DataFrame(columns=["code", *PACE_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def pace_indicator(regional: pd.DataFrame, year: int) -> pd.DataFrame:
    """For a map: one row per region for ``year``, ``valeur`` = production / required pace
    (1 = on pace), with its nature (the weakest of pace and production) and the note."""
    y = regional[regional["annee"] == int(year)]
    out = pd.DataFrame(
        {
            "code": y["code"].to_numpy(),
            "valeur": y["ratio"].astype(float).to_numpy(),
            "nature": np.where(y["ratio"].isna(), MANQUANT, y["nature_ecart"]),
            "rythme_requis": y["rythme_requis"].to_numpy(),
            "production": y["production"].to_numpy(),
            "note": y["note"].to_numpy(),
        }
    )
    return out[INDICATOR_COLUMNS].reset_index(drop=True)


def pace_sentence(pace: pd.DataFrame, territory: str) -> str:
    """One French sentence a room should retain: the last year with a required pace and a
    production, said « estimé » where it is; or what is missing."""
    known = pace[pace["rythme_requis"].notna() & pace["production"].notna()]
    if known.empty:
        notes = "; ".join(n for n in pace["note"] if n) or "données manquantes"
        return f"{territory} : le rythme nécessaire pour atteindre l'objectif 2015 ne peut pas être calculé ({notes})."
    r = known.iloc[-1]
    estimated = ESTIME in (r["nature_rythme"], r["nature_production"])
    approx = "environ " if estimated else ""
    verb = "aurait financé" if r["nature_production"] == ESTIME else "a financé"
    if r["rythme_requis"] <= 0:
        return (f"{territory} avait déjà atteint son objectif de la période avant {int(r['annee'])} ; "
                f"elle {verb} {fmt.fmt_int(r['production'])} logements cette année-là.")
    sentence = (
        f"En {int(r['annee'])}, pour atteindre l'objectif de la période {int(pace['annee'].min())}–"
        f"{int(pace['annee'].max())}, il fallait financer {approx}{fmt.fmt_int(r['rythme_requis'])} logements ; "
        f"{territory} en {verb} {fmt.fmt_int(r['production'])}, soit {approx}{fmt.fmt_pct(r['ratio'], 0)} "
        f"du rythme nécessaire"
    )
    return sentence + (" (chiffres estimés)." if estimated else ".")


def screen_table(t: pd.DataFrame) -> pd.DataFrame:
    """``pace_table`` in French for the screen (numbers formatted), the twin of its chart."""
    return pd.DataFrame({
        "Année": t["annee"].astype(int).astype(str),
        "Logements financés": [fmt.fmt_int(v) for v in t["production"]],
        "Nature de la production": t["nature_production"],
        "Rythme nécessaire": [fmt.fmt_int(v) for v in t["rythme_requis"]],
        "Nature du rythme": t["nature_rythme"],
        "Écart au rythme": [fmt.fmt_signed(v) for v in t["ecart"]],
        "Production / rythme": [fmt.fmt_pct(v, 0) for v in t["ratio"]],
        "Note": t["note"],
    })
