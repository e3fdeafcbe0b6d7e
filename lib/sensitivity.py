"""Which assumption matters? Move each input of the simulator by a stated step, one at a time,
and see how much the fund and one region's net balance move (a « tornado »).

The inputs moved are the national volumes and assumptions (production, PLUS-PLAI share, zone
share, rehabilitations, loan per rehabilitation, restructured dwellings, exempt share), the
pact's amounts (aids, rehabilitation rate, restructuring aid) and the chosen region's own
inputs (its new dwellings, rehabilitation loans, rents, stock and CGLLS dues). Each is moved
down and up by ``STEP`` (±10 %) of its value, all else fixed; a share that is 0 (the exempt
share) is moved by ``ABSOLUTE_STEP`` points instead, since 10 % of 0 is 0. Each row says the
input's nature, so that an estimated input that moves the result a lot stands out.

Note the arithmetic of annex 1: the split of the contribution only depends on each region's
share of a base, so moving all regions' bases together changes nothing; moving one region's
base moves its contribution.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from lib import fmt, palettes
from lib.errors import DataError
from lib.mutualisation import MutualisationParams, aggregate_by_region, simulate
from lib.mutualisation_inputs import VolumeAssumptions, controlled_volumes, load_hypotheses, regional_inputs
from lib.natures import ESTIMATES, HYPOTHESE, OFFICIEL

STEP = 0.10
ABSOLUTE_STEP = 0.05
RATE_FIELDS = ("part_plus_plai", "part_zone_1_1bis", "part_exoneree")


@dataclass(frozen=True)
class Lever:
    key: str
    libelle: str
    cible: str  # "volumes", "params" or "region"
    champ: str  # VolumeAssumptions / MutualisationParams field, or engine input column of the region
    court: str = ""  # short label for the chart's axis


SHORT_LABELS = {
    "production_hlm": "Production Hlm nationale",
    "part_plus_plai": "Part PLUS-PLAI",
    "part_zone_1_1bis": "Part en zones 1/1 bis",
    "rehabilitation_hlm": "Réhabilitations nationales",
    "pret_moyen_rehabilitation_eur": "Prêt par réhabilitation",
    "logements_restructures": "Logements restructurés",
    "part_exoneree": "Part d'organismes exonérés",
    "aide_zone_1_1bis_eur": "Aide zones 1/1 bis (pacte)",
    "aide_zone_2_3_eur": "Aide zones 2/3 (pacte)",
    "taux_rehabilitation": "Taux d'aide réhabilitation (pacte)",
    "aide_restructuration_eur": "Aide restructuration (pacte)",
    "production": "Production de la région",
    "prets_rehabilitation_eur": "Prêts de réhabilitation de la région",
    "loyers_eur": "Loyers de la région",
    "patrimoine_logements": "Patrimoine de la région",
    "cotisation_cglls_eur": "Cotisation CGLLS de la région",
}


def levers() -> tuple[Lever, ...]:
    """The inputs the tornado moves, one at a time: the volume assumptions, then the pact's and the region's."""
    h = load_hypotheses()
    vol = tuple(Lever(f"v:{f}", h[f].libelle, "volumes", f) for f in controlled_volumes())
    pact = (
        Lever("p:aide_zone_1_1bis_eur", "Aide par logement PLUS-PLAI en zone 1 ou 1 bis (pacte)", "params",
              "aide_zone_1_1bis_eur"),
        Lever("p:aide_zone_2_3_eur", "Aide par logement PLUS-PLAI en zone 2 ou 3 (pacte)", "params", "aide_zone_2_3_eur"),
        Lever("p:taux_rehabilitation", "Taux d'aide sur les éco-prêts et prêts PAM (pacte)", "params",
              "taux_rehabilitation"),
        Lever("p:aide_restructuration_eur", "Aide par logement restructuré (pacte)", "params", "aide_restructuration_eur"),
    )
    region = (
        Lever("r:production", "Nouveaux logements PLUS-PLAI de la région", "region", "production"),
        Lever("r:prets_rehabilitation_eur", "Prêts de réhabilitation de la région", "region", "prets_rehabilitation_eur"),
        Lever("r:loyers_eur", "Loyers de la région (base de la cotisation)", "region", "loyers_eur"),
        Lever("r:patrimoine_logements", "Patrimoine de la région (base de la cotisation)", "region",
              "patrimoine_logements"),
        Lever("r:cotisation_cglls_eur", "Cotisation CGLLS de la région (base de la cotisation)", "region",
              "cotisation_cglls_eur"),
    )
    return tuple(Lever(lv.key, lv.libelle, lv.cible, lv.champ, SHORT_LABELS[lv.champ]) for lv in vol + pact + region)


REGION_NATURE_COLUMNS = {
    "production": "nature_production",
    "prets_rehabilitation_eur": "nature_rehabilitation",
    "loyers_eur": "nature_loyers",
    "patrimoine_logements": "nature_patrimoine",
    "cotisation_cglls_eur": "nature_cotisation_cglls",
}


def input_natures(volumes: VolumeAssumptions, params: MutualisationParams, year: int) -> dict[str, str]:
    """Nature of each moved input as the page holds it: a volume equal to the preset or to the
    year's cited figures keeps that nature, a pact amount equal to the pact's is « officiel »,
    and any value typed on the page is an assumption (« hypothèse »)."""
    from lib.mutualisation_inputs import data_assumptions, preset_assumptions

    hyps = load_hypotheses()
    preset = preset_assumptions()
    try:
        cited, cited_natures = data_assumptions(year)
    except DataError:
        cited, cited_natures = None, {}
    out = {}
    for lever in levers():
        if lever.cible == "volumes":
            v = getattr(volumes, lever.champ)
            if cited is not None and v == getattr(cited, lever.champ):
                out[lever.champ] = cited_natures[lever.champ]
            elif v == getattr(preset, lever.champ):
                out[lever.champ] = hyps[lever.champ].nature
            else:
                out[lever.champ] = HYPOTHESE
        elif lever.cible == "params":
            same = getattr(params, lever.champ) == getattr(MutualisationParams.from_pact(year), lever.champ)
            out[lever.champ] = OFFICIEL if same else HYPOTHESE
    return out


def _outcome(inputs: pd.DataFrame, params: MutualisationParams, region: str) -> tuple[float, float]:
    res = simulate(inputs, params)
    reg = aggregate_by_region(res).set_index("region_code")
    return float(res.totals["fonds_total_eur"]), float(reg.loc[region, "solde_net_eur"]) if region in reg.index else np.nan


def _moves(value: float, field: str) -> tuple[float, float, str]:
    """Low and high values of an input, and the step as the page states it."""
    if field in RATE_FIELDS and value == 0:
        return 0.0, ABSOLUTE_STEP, f"+{fmt.fmt_num(ABSOLUTE_STEP * 100)} points (valeur nulle)"
    lo, hi = value * (1 - STEP), value * (1 + STEP)
    if field in RATE_FIELDS:
        hi = min(hi, 1.0)
    return lo, hi, f"±{fmt.fmt_num(STEP * 100)} %"


def tornado(
    volumes: VolumeAssumptions,
    params: MutualisationParams,
    year: int,
    region: str,
    natures: Mapping[str, str] | None = None,
    scenario: str = "base",
) -> pd.DataFrame:
    """One row per input: its value, nature, step, and the fund and the region's balance when it
    is moved down and up (deltas against the base run). Sorted by the fund's amplitude."""
    hyps = load_hypotheses()
    natures = dict(natures or {})
    base_inputs = regional_inputs(volumes, year, scenario)
    if region not in set(base_inputs["region_code"].astype(str)):
        raise DataError(f"Région inconnue pour l'analyse de sensibilité : « {region} ».")
    fund0, bal0 = _outcome(base_inputs, params, region)
    row_of_region = base_inputs["region_code"].astype(str) == region
    rows = []
    for lever in levers():
        if lever.cible == "volumes":
            value = float(getattr(volumes, lever.champ))
            nature = natures.get(lever.champ, hyps[lever.champ].nature)
        elif lever.cible == "params":
            value = float(getattr(params, lever.champ))
            nature = natures.get(lever.champ, OFFICIEL)
        else:
            r = base_inputs[row_of_region].iloc[0]
            value = (float(r["logements_zone_1_1bis"] + r["logements_zone_2_3"]) if lever.champ == "production"
                     else float(r[lever.champ]))
            nature = str(r[REGION_NATURE_COLUMNS[lever.champ]])
        lo, hi, step = _moves(value, lever.champ)
        outcomes = []
        for v in (lo, hi):
            outcomes.append(_run(lever, v, value, volumes, params, year, scenario, base_inputs, row_of_region, region))
        (f_lo, b_lo), (f_hi, b_hi) = outcomes
        rows.append({
            "levier": lever.key, "libelle": lever.libelle, "court": lever.court, "cible": lever.cible,
            "nature": nature,
            "estime": nature in ESTIMATES, "pas": step, "valeur": value, "valeur_basse": lo, "valeur_haute": hi,
            "fonds_base": fund0, "fonds_bas": f_lo, "fonds_haut": f_hi, "solde_base": bal0, "solde_bas": b_lo,
            "solde_haut": b_hi, "d_fonds_bas": f_lo - fund0, "d_fonds_haut": f_hi - fund0,
            "d_solde_bas": b_lo - bal0, "d_solde_haut": b_hi - bal0,
        })
    out = pd.DataFrame(rows)
    out["amplitude_fonds"] = (out["d_fonds_haut"] - out["d_fonds_bas"]).abs()
    out["amplitude_solde"] = (out["d_solde_haut"] - out["d_solde_bas"]).abs()
    return out.sort_values(["amplitude_fonds", "amplitude_solde"], ascending=False, kind="stable").reset_index(drop=True)


def _run(lever: Lever, v: float, value: float, volumes: VolumeAssumptions, params: MutualisationParams, year: int,
         scenario: str, base_inputs: pd.DataFrame, row_of_region: pd.Series, region: str) -> tuple[float, float]:
    if lever.cible == "volumes":
        return _outcome(regional_inputs(volumes.replace(**{lever.champ: v}), year, scenario), params, region)
    if lever.cible == "params":
        return _outcome(base_inputs, params.replace(**{lever.champ: v}), region)
    inputs = base_inputs.copy()
    factor = v / value if value else 0.0
    cols = ["logements_zone_1_1bis", "logements_zone_2_3"] if lever.champ == "production" else [lever.champ]
    for c in cols:
        inputs.loc[row_of_region, c] = inputs.loc[row_of_region, c] * factor
    return _outcome(inputs, params, region)


# ---------------------------------------------------------------------------------------------
# Display


def tornado_screen_table(df: pd.DataFrame, region_name: str) -> pd.DataFrame:
    """The tornado as a French table (M€, signed deltas)."""
    def m(x: float) -> str:
        return fmt.fmt_signed(x / 1e6, 1, "M€")

    return pd.DataFrame({
        "Entrée déplacée": df["libelle"],
        "Nature": df["nature"],
        "Estimée": np.where(df["estime"], "oui", "non"),
        "Pas": df["pas"],
        "Fonds : en baisse": df["d_fonds_bas"].map(m),
        "Fonds : en hausse": df["d_fonds_haut"].map(m),
        f"Solde {region_name} : en baisse": df["d_solde_bas"].map(m),
        f"Solde {region_name} : en hausse": df["d_solde_haut"].map(m),
    })


def tornado_alt(df: pd.DataFrame, measure: str, subject: str) -> str:
    """The French sentence a screen reader hears for a tornado: what it shows and its three most
    influential inputs with their swing (the full figures are in the table below the charts)."""
    top = df.sort_values(f"amplitude_{measure}", ascending=False, kind="stable").head(3)
    parts = [f"{lib} (de {fmt.fmt_signed(lo / 1e6, 1, 'M€')} à {fmt.fmt_signed(hi / 1e6, 1, 'M€')})"
             for lib, lo, hi in zip(top["libelle"], top[f"d_{measure}_bas"], top[f"d_{measure}_haut"])]
    return (f"{subject} : écart au calcul de base quand chaque entrée est déplacée vers le bas puis vers le "
            f"haut, entrées classées par influence. Les plus influentes : {' ; '.join(parts)}.")


#: the euro columns of ``tornado_export_frame`` (rounded to the euro in files)
_EURO_COLUMNS = ("fonds_base", "fonds_bas", "fonds_haut", "solde_base", "solde_bas", "solde_haut")


def _round_input(x: float) -> float:
    """An input's value as it means: counts and euros (100 or more) whole, shares and rates to
    the hundredth of a point (0,6498), never 16 digits."""
    if x is None or not np.isfinite(x):
        return x
    return float(round(x)) if abs(x) >= 100 else round(float(x), 4)


def tornado_export_frame(df: pd.DataFrame, region_name: str) -> pd.DataFrame:
    """The tornado with numbers as numbers (€, rounded to the euro), for CSV/XLSX."""
    from lib.exports import round_columns

    df = round_columns(df, dict.fromkeys(_EURO_COLUMNS, 0))
    for col in ("valeur", "valeur_basse", "valeur_haute"):
        df[col] = df[col].map(_round_input)
    return pd.DataFrame({
        "Entrée déplacée": df["libelle"],
        "Nature": df["nature"],
        "Estimée": np.where(df["estime"], "oui", "non"),
        "Pas": df["pas"],
        "Valeur": df["valeur"],
        "Valeur basse": df["valeur_basse"],
        "Valeur haute": df["valeur_haute"],
        "Fonds de base (€)": df["fonds_base"],
        "Fonds, entrée en baisse (€)": df["fonds_bas"],
        "Fonds, entrée en hausse (€)": df["fonds_haut"],
        f"Solde {region_name} de base (€)": df["solde_base"],
        f"Solde {region_name}, entrée en baisse (€)": df["solde_bas"],
        f"Solde {region_name}, entrée en hausse (€)": df["solde_haut"],
    })


def tornado_chart(df: pd.DataFrame, measure: str, title: str) -> alt.Chart:
    """Horizontal bars from the base: the change of ``measure`` (« fonds » or « solde ») when each
    input goes down and up; inputs sorted by amplitude, estimated inputs marked in the label
    and drawn hatched-looking (lighter, outlined) so the mark does not rest on colour alone."""
    from lib.charts import french

    amp = f"amplitude_{measure}"
    d = df.sort_values(amp, ascending=False)
    label = [f"{lib} — {nat}" if est else lib for lib, nat, est in zip(d["court"], d["nature"], d["estime"])]
    order = list(dict.fromkeys(label))
    long = pd.concat([
        pd.DataFrame({"Entrée": label, "Libellé": d["libelle"], "Sens": "Entrée en baisse",
                      "Écart (M€)": d[f"d_{measure}_bas"] / 1e6,
                      "Nature": d["nature"], "Estimée": np.where(d["estime"], "oui", "non"), "Pas": d["pas"]}),
        pd.DataFrame({"Entrée": label, "Libellé": d["libelle"], "Sens": "Entrée en hausse",
                      "Écart (M€)": d[f"d_{measure}_haut"] / 1e6,
                      "Nature": d["nature"], "Estimée": np.where(d["estime"], "oui", "non"), "Pas": d["pas"]}),
    ], ignore_index=True)
    long["Écart"] = [fmt.fmt_signed(x, 1, "M€") for x in long["Écart (M€)"]]
    chart = (
        alt.Chart(long)
        .mark_bar(strokeWidth=1.5)
        .encode(
            y=alt.Y("Entrée:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("Écart (M€):Q", title="Écart au calcul de base (M€)", axis=alt.Axis(format=",.1f")),
            color=alt.Color("Sens:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=list(palettes.SENSITIVITY),
                                            range=list(palettes.SENSITIVITY.values()))),
            opacity=alt.Opacity("Estimée:N", title="Entrée estimée",
                                scale=alt.Scale(domain=["non", "oui"], range=[1.0, 0.55])),
            stroke=alt.Stroke("Estimée:N", scale=alt.Scale(domain=["non", "oui"], range=["transparent", "#161616"]),
                              legend=None),
            tooltip=[alt.Tooltip("Libellé:N", title="Entrée"), alt.Tooltip("Sens:N"), alt.Tooltip("Pas:N"), alt.Tooltip("Écart:N"),
                     alt.Tooltip("Nature:N")],
        )
        .properties(height=alt.Step(22), width="container", title=title,
                    padding={"top": 10, "left": 5, "right": 5, "bottom": 5})  # room for Î, É above the title
    )
    return french(chart)
