"""The guided presentation (page « Présentation », ``?presentation=true&sequence=…``): its steps,
how the address names them, and the one French sentence each screen says, built from the figures.

No Streamlit here: ``lib/ui/presentation.py`` draws the screens with the pages' own drawing
functions. A sentence says « estimé » (or « environ ») wherever a figure it quotes is estimated,
and says what is missing rather than inventing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from lib import fmt, natures, sources
from lib.fmt import is_missing

ESTIMATED = natures.ESTIME
MISSING = "manquant"


@dataclass(frozen=True)
class Step:
    """One screen of the sequence."""

    name: str
    title: str


STEPS: tuple[Step, ...] = (
    Step("national", "Où en est la France"),
    Step("carte", "Les régions prioritaires sur la carte"),
    Step("region", "Une région"),
    Step("scenario", "Un scénario de mutualisation"),
)
STEP_CHOICES: tuple[str, ...] = tuple(str(i) for i in range(1, len(STEPS) + 1))  # ``?sequence=1`` … ``4``


def step_number(text: str | None) -> int:
    """The step an address asks for (``"1"`` … ``"4"``), the first one when absent or unknown
    (``lib.url_state`` has already reported a bad value in French)."""
    return int(text) if text in STEP_CHOICES else 1


def next_step(step: int) -> int | None:
    """The step after ``step``, None on the last one."""
    return step + 1 if step < len(STEPS) else None


def previous_step(step: int) -> int | None:
    """The step before ``step``, None on the first one."""
    return step - 1 if step > 1 else None


def progress_label(step: int) -> str:
    """« Étape 2 sur 4 — Les régions prioritaires sur la carte »."""
    return f"Étape {step} sur {len(STEPS)} — {STEPS[step - 1].title}"


# ---------------------------------------------------------------------------------------------
# Sentences


def _years(years: Sequence[int]) -> str:
    years = [str(int(y)) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " et " + years[-1]


def period_label(years: Sequence[int]) -> str:
    """« 2013–2015 » for the pact's years (from the parameter file), « 2015 » for one year."""
    return f"{min(years)}–{max(years)}" if len(years) > 1 else str(years[0])


def national_sentence(balance: Mapping, reading_label: str = "tous bailleurs") -> str:
    """France over the pact's years, from ``lib.pace.period_balance`` of the national pace:
    what was financed, against the cumulated objective, and what was missing."""
    years = list(balance["annees"])
    if not years:
        return "Aucun chiffre national des années du pacte dans les données en usage : le bilan ne peut pas être établi."
    if balance["annees_manquantes"]:
        return (f"Le chiffre national de {_years(balance['annees_manquantes'])} manque : le bilan de la période "
                f"{period_label(years)} ne peut pas être établi.")
    estimated = list(balance["annees_estimees"])
    approx = "environ " if estimated else ""
    sentence = (f"De {min(years)} à {max(years)}, {approx}{fmt.fmt_int(balance['production'])} logements sociaux "
                f"ont été financés en France, soit {fmt.fmt_rate(balance['taux'], bool(estimated))} de l'objectif de "
                f"{fmt.fmt_int(balance['objectif'])} du pacte ({reading_label})")
    if balance["reste"] > 0:
        sentence += f" : il en manque {approx}{fmt.fmt_int(balance['reste'])}"
    return sentence + (f" ({_years(estimated)} {ESTIMATED})." if estimated else ".")


def priority_sentence(priority: pd.DataFrame, period: str) -> str:
    """The priority regions against their objective of ``period`` (what the map beside it
    shows: « 2015 », or « 2013–2015 »), from rows with columns region, taux, nature."""
    if priority.empty:
        return "Le pacte ne nomme aucune région prioritaire dans les paramètres en usage."
    parts, estimated = [], False
    for r in priority.itertuples():
        if is_missing(r.taux):
            parts.append(f"{r.region} : donnée manquante")
            continue
        estimated = estimated or r.nature == ESTIMATED
        parts.append(f"{r.region} {fmt.fmt_pct(r.taux, 0)}")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]
    behind = [r.region for r in priority.itertuples() if not is_missing(r.taux) and r.taux < 1]
    head = f"Régions prioritaires, part de l'objectif {period} atteinte : "
    tail = (f" — {len(behind)} sur {len(priority)} en retard" if behind else " — aucune en retard")
    return head + listed + tail + (" (objectifs régionaux estimés)." if estimated else ".")


def priority_rows(table: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The priority regions' rows of a map table (``targets.indicator_table`` of the rate: code,
    region, valeur, nature), in the pact's order, as ``priority_sentence`` reads them."""
    rows = table.set_index("code").reindex([c for c in codes if c in set(table["code"])])
    return pd.DataFrame({"region": rows["region"].values, "taux": rows["valeur"].values,
                         "nature": rows["nature"].values})


def region_sentence(balance: Mapping, name: str, objective_nature: str) -> str:
    """A region over the pact's years, from ``lib.pace.period_balance`` of its pace: financed
    against its objective, « estimé » when the objective or a year's production is."""
    years = list(balance["annees"])
    if not years:
        return f"{name} : aucun chiffre des années du pacte dans les données en usage, le bilan ne peut pas être établi."
    if balance["annees_manquantes"] or is_missing(balance["objectif"]):
        what = (f"la production de {_years(balance['annees_manquantes'])}" if balance["annees_manquantes"]
                else "son objectif")
        return f"{name} : {what} manque, le bilan {period_label(years)} ne peut pas être établi."
    approx = "environ " if balance["annees_estimees"] else ""
    objective = "objectif estimé" if objective_nature == ESTIMATED else "objectif"
    rate = fmt.fmt_rate(balance["taux"], bool(balance["annees_estimees"]) or objective_nature == ESTIMATED)
    sentence = (f"De {min(years)} à {max(years)}, {name} a financé {approx}{fmt.fmt_int(balance['production'])} "
                f"logements sociaux, soit {rate} de son {objective} de "
                f"{fmt.fmt_int(balance['objectif'])}")
    if balance["annees_estimees"]:
        sentence += f" (production {ESTIMATED}e en {_years(balance['annees_estimees'])})"
    return sentence + "."


def scenario_sentence(totals: Mapping[str, float], counts: Mapping[str, int], name: str | None,
                      estimated_inputs: bool = True) -> str:
    """A simulation of annex 1 in one sentence: the fund and how many regions pay in or
    receive. ``name`` None: the simulator's default settings (said so)."""
    who = f"Avec le scénario « {name} »" if name else "Avec les réglages par défaut du simulateur (aucun scénario choisi)"
    sentence = (f"{who}, le fonds de mutualisation atteint {fmt.fmt_meur(totals['fonds_total_eur'])} par an : "
                f"{fmt.fmt_int(counts.get('contributeur net', 0))} régions contributrices nettes et "
                f"{fmt.fmt_int(counts.get('bénéficiaire net', 0))} bénéficiaires nettes")
    return sentence + (" (volumes régionaux estimés)." if estimated_inputs else ".")


def sources_text(items: Iterable[tuple[str, str]], limit: int = 4) -> str:
    """The screen's sources in small print, each with its date: « Sources : a (publié le 19
    janvier 2016) ; b (consulté le …) », ``limit`` of them and how many more. ``items`` are
    (source, date) pairs, a date ISO (« 2016-01-19 ») or already a label."""
    shown: list[str] = []
    seen: set[str] = set()
    for src, day in items:
        src = str(src or "").strip()
        if not src or src in seen:
            continue
        seen.add(src)
        day = str(day or "").strip()
        label = sources.date_label(day) if day and day[:4].isdigit() else (day or sources.UNKNOWN_DATE)
        shown.append(f"{src} ({label})")
    if not shown:
        return "Sources : voir la page « Données et sources »."
    more = len(shown) - limit
    text = ("Sources : " if len(shown) > 1 else "Source : ") + " ; ".join(shown[:limit])
    return text + (f" ; et {more} autre{'s' if more > 1 else ''} (page « Données et sources »)." if more > 0 else ".")
