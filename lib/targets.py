"""Regional objectives, regional production (cited or estimated) and achievement, 2013–2015.

The pact of 8 July 2013 sets national targets only (preamble: 150 000 social rental dwellings a
year for all social landlords; point 1: 120 000 for HLM bodies). To judge a region, it needs an
objective of its own. This module gives, per region and year:

- the objective published for the region where one is known (nature "cité", its source); a
  published objective counts every social landlord, so under the HLM reading it is scaled by
  the HLM share of the national target (nature "estimé", the rule says so);
- otherwise the national target allocated by a rule the user picks (``ALLOCATION_RULES``),
  nature "estimé" with the rule named. The allocated objectives of a year add up to the national
  target minus the published ones, so that the year's regional objectives sum to the national
  target (tests/test_targets.py);
- regional production: the retained cited figure (``lib.data.retained``), or, for the
  metropolitan regions absent from a ministry release that also gives the national total (same
  perimeter, "métropole hors ANRU"), a share of the remainder (national minus the listed
  regions) by population: nature "estimé", and the estimates of a year add up to that remainder
  (37 221 in 2014, 38 331 in 2015 for the 8 unlisted regions);
- achievement = production / objective, with the gap in dwellings.

A figure we do not have stays missing (NaN, nature "manquant"), never 0. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from lib import data, fmt
from lib.frame_memo import content_memo
from lib.natures import ESTIME, IMPORTE, MANQUANT, weakest

MINISTRY_PERIMETER = "métropole hors ANRU"
# the ministry perimeter, also written "métropole hors DOM hors ANRU" (2013 release)
MINISTRY_PATTERN = r"métropole hors (?:DOM hors )?ANRU"
MISSING = MANQUANT  # the nature « manquant »; kept for lib/views/carte.py, new code reads lib.natures

#: reading of the national target -> parameter path (data/pacte_parametres.yaml)
READINGS: Mapping[str, str] = {
    "tous_bailleurs": "objectifs.production_tous_bailleurs",
    "hlm": "objectifs.production_hlm",
}
READING_LABELS: Mapping[str, str] = {
    "tous_bailleurs": "tous bailleurs sociaux",
    "hlm": "organismes Hlm",
}
REHAB_READINGS: Mapping[str, str] = {
    "tous_bailleurs": "objectifs.rehabilitation_tous_bailleurs",
    "hlm": "objectifs.rehabilitation_hlm",
}

#: allocation rule -> French label (shown in the table's "règle" column)
ALLOCATION_RULES: Mapping[str, str] = {
    "population": "part de la population régionale",
    "production": "part de la production de la période de référence",
    "parc": "part du parc locatif social",
}
FALLBACK_TEXT = "part de population, faute de donnée pour la règle choisie"
PUBLISHED_RULE = "objectif publié"
USER_RULE = "saisie de l'utilisateur"
USER_SOURCE = "Tableau des objectifs modifié dans cette session"

#: product -> indicator of financed dwellings
PRODUCTS: Mapping[str, str] = {
    "total": "lls_finances",
    "PLAI": "lls_finances_plai",
    "PLUS": "lls_finances_plus",
    "PLS": "lls_finances_pls",
}

OBJECTIVE_COLUMNS = ["annee", "code", "region", "objectif", "nature", "regle", "source"]
PRODUCTION_COLUMNS = ["annee", "code", "region", "valeur", "nature", "source", "perimetre", "note", "autres_sources",
                      "date_source"]


# ---------------------------------------------------------------------------------------------
# Helpers


def pact_years(params) -> list[int]:
    """The pact's years (2013–2015), from the parameter file."""
    return [int(y) for y in params["objectifs.periode"].value(2013)]


def priority_regions(params) -> list[str]:
    """Codes of the regions the pact names as lagging (Île-de-France, PACA, Languedoc-Roussillon)."""
    return [str(c) for c in params["objectifs.regions_prioritaires"].value(2013)]


def national_target(params, year: int, reading: str = "tous_bailleurs") -> float:
    """National production target for ``year`` under one reading of the pact."""
    if reading not in READINGS:
        raise ValueError(f"lecture inconnue : {reading}")
    return float(params[READINGS[reading]].value(year))


def hlm_share(params, year: int) -> float:
    """Share of the HLM bodies in the national production target (point 1 against the preamble:
    ``objectifs.production_hlm / objectifs.production_tous_bailleurs``)."""
    return national_target(params, year, "hlm") / national_target(params, year, "tous_bailleurs")


def published_hlm_rule(share: float) -> str:
    """The ``regle`` text of a published (all-landlord) objective scaled to the HLM reading."""
    return f"{PUBLISHED_RULE} (tous bailleurs) × part Hlm de l'objectif national ({fmt.fmt_pct(share, 0)})"


def _metro(regions: pd.DataFrame) -> pd.DataFrame:
    return regions[~regions["outre_mer"].astype(bool)]


def allocate(total: float, base: pd.Series, population: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Share ``total`` among regions by ``base``; regions without a base get their population share.

    Regions whose base is missing receive ``total × population_r / population_all`` (the rule's
    fallback, stated in the table); the rest of the total is shared among the regions with a base
    in proportion to it. Regions with neither base nor population get NaN. The result adds up to
    ``total`` whenever at least one region has a base or a population.

    Returns (amounts, used_fallback) indexed like ``base``.
    """
    base = base.astype(float)
    population = population.reindex(base.index).astype(float)
    has_base = base.notna() & (base > 0)
    fallback = ~has_base & population.notna() & (population > 0)
    out = pd.Series(np.nan, index=base.index, dtype=float)
    pop_all = population[has_base | fallback].sum()
    if fallback.any() and pop_all > 0:
        out[fallback] = total * population[fallback] / pop_all
    rest = total - out[fallback].sum()
    if has_base.any():
        out[has_base] = rest * base[has_base] / base[has_base].sum()
    elif fallback.any():  # nobody has a base: population shares for all, rescaled to the total
        out[fallback] = total * population[fallback] / population[fallback].sum()
    return out, fallback & has_base.any()


# ---------------------------------------------------------------------------------------------
# Regional production


def _single_year(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["periode"].str.fullmatch(r"\d{4}")].assign(annee=lambda d: d["periode"].astype(int))


@content_memo()  # the same figures, asked by every regional view (lib.frame_memo)
def regional_production(
    figures: pd.DataFrame,
    regions: pd.DataFrame,
    indicateur: str = "lls_finances",
    years: Iterable[int] = range(2010, 2017),
    estimate: bool = True,
) -> pd.DataFrame:
    """One row per region and year: the retained figure, or an estimate, or missing.

    Estimates (``estimate=True``, total production only): in a year where the national figure of
    the ministry perimeter ("métropole hors ANRU") and regional figures of that same perimeter
    exist, the metropolitan regions without a figure share the remainder (national minus listed
    regions, minus other cited figures of unlisted regions) in proportion to their population.
    Overseas regions are outside that perimeter and are never estimated.
    """
    years = list(years)
    reg = _single_year(data.retained(figures, indicateur, "region2015"))
    nat = _single_year(data.retained(figures, indicateur, "France"))
    out = _retained_or_missing(reg, regions, years)
    if not (estimate and indicateur == "lls_finances"):
        return out
    metro = _metro(regions)
    for year in years:
        _estimate_unpublished(out, reg, nat, metro, year)
    return out


def _retained_or_missing(reg: pd.DataFrame, regions: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """One row per region and year: the retained regional figure, or a « manquant » row."""
    rows = []
    for year in years:
        y_reg = reg[reg["annee"] == year].set_index("territoire_code")
        for code, nom in zip(regions["code"], regions["nom"]):
            if code in y_reg.index:
                h = y_reg.loc[code]
                rows.append(
                    {
                        "annee": year,
                        "code": code,
                        "region": nom,
                        "valeur": float(h["valeur"]),
                        "nature": h["nature"],
                        "source": h["source"],
                        "perimetre": h["perimetre"] or "",
                        "note": h["note"] or "",
                        "autres_sources": "" if pd.isna(h.get("autres_sources")) else h["autres_sources"],
                        "date_source": str(h.get("date_source", "") or ""),
                    }
                )
            else:
                rows.append(
                    {
                        "annee": year,
                        "code": code,
                        "region": nom,
                        "valeur": np.nan,
                        "nature": MANQUANT,
                        "source": "",
                        "perimetre": "",
                        "note": "",
                        "autres_sources": "",
                        "date_source": "",
                    }
                )
    out = pd.DataFrame(rows, columns=PRODUCTION_COLUMNS)
    out["autres_sources"] = out["autres_sources"].fillna("")
    return out


def _estimate_unpublished(out: pd.DataFrame, reg: pd.DataFrame, nat: pd.DataFrame, metro: pd.DataFrame,
                          year: int) -> None:
    """In ``out``, in place: the metropolitan regions without a figure of ``year`` share the
    national remainder by population (the rule of ``regional_production``), if there is one."""
    n = nat[(nat["annee"] == year) & nat["perimetre"].fillna("").str.contains(MINISTRY_PATTERN)]
    listed = reg[
        (reg["annee"] == year)
        & reg["perimetre"].fillna("").str.contains(MINISTRY_PATTERN)
        & reg["territoire_code"].isin(metro["code"])
    ]
    if n.empty or listed.empty:
        return
    sel = (out["annee"] == year) & out["code"].isin(metro["code"])
    known = sel & out["valeur"].notna()
    missing = sel & out["valeur"].isna()
    if not missing.any():
        return
    remainder = float(n["valeur"].iloc[0]) - float(out.loc[known, "valeur"].sum())
    if remainder <= 0:
        return
    pop = metro.set_index("code")["population"].astype(float)
    codes = out.loc[missing, "code"]
    share = pop.reindex(codes.values)
    if share.isna().any() or share.sum() <= 0:
        return
    values = remainder * share / share.sum()
    out.loc[missing, "valeur"] = values.values
    out.loc[missing, "nature"] = ESTIME
    out.loc[missing, "source"] = (
        f"Estimation : national {year} ({n['source'].iloc[0]}) moins les régions publiées, "
        "réparti au prorata de la population"
    )
    out.loc[missing, "perimetre"] = MINISTRY_PERIMETER
    out.loc[missing, "date_source"] = str(n["date_source"].iloc[0]) if "date_source" in n.columns else ""
    out.loc[missing, "note"] = f"{len(codes)} régions non publiées se partagent {fmt.fmt_int(remainder)} logements"


def estimated_remainder(production: pd.DataFrame, year: int) -> float:
    """Sum of the estimated regional values of a year (equals the national remainder)."""
    sel = (production["annee"] == year) & (production["nature"] == ESTIME)
    return float(production.loc[sel, "valeur"].sum())


# ---------------------------------------------------------------------------------------------
# Objectives


def published_objectives(figures: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Regional objectives found in the sources (indicator ``objectif_lls``), retained value."""
    ret = _single_year(data.retained(figures, "objectif_lls", "region2015"))
    ret = ret[ret["annee"].isin(list(years))]
    return ret[["annee", "territoire_code", "valeur", "nature", "source"]].rename(columns={"territoire_code": "code"})


def allocation_base(
    rule: str, figures: pd.DataFrame, regions: pd.DataFrame, reference_years: Iterable[int] = (2013, 2014, 2015)
) -> pd.Series:
    """The quantity each region's share is computed on, by code (NaN where unknown).

    - ``population``: regional population (data/regions.csv);
    - ``production``: dwellings financed over ``reference_years`` (cited or estimated, see
      ``regional_production``); a region is counted only if every reference year is known;
    - ``parc``: the latest known social rental stock of the region.
    """
    codes = regions["code"]
    if rule == "population":
        return regions.set_index("code")["population"].astype(float)
    if rule == "production":
        prod = regional_production(figures, regions, "lls_finances", list(reference_years))
        wide = prod.pivot(index="code", columns="annee", values="valeur")
        return wide.sum(axis=1, min_count=len(wide.columns)).where(wide.notna().all(axis=1)).reindex(codes)
    if rule == "parc":
        ret = data.retained(figures, "parc_locatif_social", "region2015")
        ret = ret.assign(_date=ret["periode"].str.extract(r"^(\d{4})", expand=False))
        ret = ret.sort_values("_date").groupby("territoire_code")["valeur"].last()
        return ret.reindex(codes).astype(float).set_axis(codes)
    raise ValueError(f"règle de répartition inconnue : {rule}")


def rule_label(rule: str, reference_years: Iterable[int] = ()) -> str:
    label = ALLOCATION_RULES[rule]
    ref = list(reference_years)
    if rule == "production" and ref:
        label += f" {min(ref)}–{max(ref)}" if len(ref) > 1 else f" {ref[0]}"
    return label


def regional_objectives(
    figures: pd.DataFrame,
    regions: pd.DataFrame,
    params,
    rule: str = "population",
    reading: str = "tous_bailleurs",
    reference_years: Iterable[int] = (2013, 2014, 2015),
    use_published: bool = True,
) -> pd.DataFrame:
    """Objectives per region and pact year: published where known, otherwise allocated.

    Each year's objectives add up to the national target of the chosen ``reading``: the
    published ones are kept, the rest of the national target is shared by ``rule`` among the
    other regions (``allocate``). Columns: ``OBJECTIVE_COLUMNS``.

    Published regional objectives are all-landlord figures (the regional programming of the
    State's aid covers every social landlord). Under the "hlm" reading they are scaled by the HLM
    share of the national target (``hlm_share``): the region's own HLM share is not published,
    so the scaled objective is an estimate, and its ``regle`` and ``source`` say how it was made.
    """
    years = pact_years(params)
    ref = list(reference_years)
    base = allocation_base(rule, figures, regions, ref)
    population = regions.set_index("code")["population"].astype(float)
    published = (
        published_objectives(figures, years)
        if use_published
        else pd.DataFrame(columns=["annee", "code", "valeur", "nature", "source"])
    )
    label = rule_label(rule, ref)
    target_ref = params[READINGS[reading]].reference
    names = regions.set_index("code")["nom"]
    rows = []
    for year in years:
        total = national_target(params, year, reading)
        pub = published[published["annee"] == year].set_index("code")
        scale = hlm_share(params, year) if reading == "hlm" else 1.0
        pub_values = pub["valeur"].astype(float) * scale
        others = [c for c in regions["code"] if c not in pub.index]
        amounts, fell_back = allocate(total - float(pub_values.sum()), base.reindex(others), population)
        for code in regions["code"]:
            if code in pub.index:
                rows.append(_published_row(params, year, code, names[code], pub.loc[code], float(pub_values[code]),
                                           scale, reading))
            else:
                rows.append(_allocated_row(year, code, names[code], amounts.get(code, np.nan),
                                           fell_back.get(code, False), label, reading, target_ref))
    return pd.DataFrame(rows, columns=OBJECTIVE_COLUMNS)


def _published_row(params, year: int, code: str, name: str, p: pd.Series, value: float, scale: float,
                   reading: str) -> dict:
    """A region's published objective; under the "hlm" reading, scaled by the HLM share of the
    national target, hence estimated, and its source says how."""
    scaled = reading == "hlm"
    return {
        "annee": year,
        "code": code,
        "region": name,
        "objectif": value,
        "nature": ESTIME if scaled else p["nature"],
        "regle": published_hlm_rule(scale) if scaled else PUBLISHED_RULE,
        "source": (
            f"{p['source']} — objectif publié tous bailleurs de {fmt.fmt_int(p['valeur'])} "
            f"logements × {fmt.fmt_pct(scale, 0)}, part Hlm de l'objectif national du pacte "
            f"({fmt.fmt_int(national_target(params, year, 'hlm'))} sur "
            f"{fmt.fmt_int(national_target(params, year, 'tous_bailleurs'))})"
            if scaled
            else p["source"]
        ),
    }


def _allocated_row(year: int, code: str, name: str, value: float, fell_back: bool, label: str, reading: str,
                   target_ref: str) -> dict:
    """A region's share of the rest of the national target, by the rule (or its fallback);
    « manquant » when the rule gives it nothing to share by."""
    missing = pd.isna(value)
    return {
        "annee": year,
        "code": code,
        "region": name,
        "objectif": value,
        "nature": MANQUANT if missing else ESTIME,
        "regle": "" if missing else (FALLBACK_TEXT if fell_back else label),
        "source": "" if missing else f"Objectif national {READING_LABELS[reading]} ({target_ref}) réparti : {label}",
    }


def is_published(objectives: pd.DataFrame) -> pd.Series:
    """Rows whose objective comes from a published regional objective (scaled or not)."""
    return objectives["regle"].fillna("").str.startswith(PUBLISHED_RULE)


# ---------------------------------------------------------------------------------------------
# The user's edits of the objectives table
#
# The page shows ``editor_table`` (one row per region, one column per pact year, whole
# dwellings) and keeps only the cells the user changed, as a long frame ``EDIT_COLUMNS``
# (``changed_cells``). ``apply_edits`` lays those cells over the objectives of the current rule,
# so a change of rule, reading or reference years still moves every cell the user left alone.

EDIT_COLUMNS = ["code", "annee", "objectif"]


def no_edits() -> pd.DataFrame:
    """An empty edits frame (``EDIT_COLUMNS``)."""
    return pd.DataFrame(
        {"code": pd.Series(dtype=str), "annee": pd.Series(dtype=int), "objectif": pd.Series(dtype=float)}
    )


def apply_edits(objectives: pd.DataFrame, edits: pd.DataFrame | None) -> pd.DataFrame:
    """Lay the user's changed cells (long frame ``code, annee, objectif``) over ``objectives``.

    An edited value becomes nature "importé" (source: the session's table); a cleared value
    becomes missing. Cells not in ``edits`` keep their value, nature, rule and source.
    """
    out = objectives.copy().reset_index(drop=True)
    if edits is None or len(edits) == 0:
        return out
    e = pd.DataFrame(
        {
            "annee": pd.to_numeric(edits["annee"], errors="coerce"),
            "code": edits["code"].astype(str),
            "objectif": pd.to_numeric(edits["objectif"], errors="coerce"),
        }
    ).dropna(subset=["annee"])
    e = e.astype({"annee": int}).drop_duplicates(["annee", "code"], keep="last")
    new = e.set_index(["annee", "code"])["objectif"]
    idx = pd.MultiIndex.from_arrays([out["annee"].astype(int), out["code"].astype(str)])
    hit = np.asarray(idx.isin(new.index))
    values = new.reindex(idx).to_numpy(dtype=float)
    out["objectif"] = out["objectif"].astype(float)
    out.loc[hit, "objectif"] = values[hit]
    filled = hit & ~np.isnan(values)
    out.loc[filled, ["nature", "regle", "source"]] = [IMPORTE, USER_RULE, USER_SOURCE]
    out.loc[hit & ~filled, ["nature", "regle", "source"]] = [MANQUANT, "", ""]
    return out


def editor_table(objectives: pd.DataFrame, edits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The editable table as the page shows it: ``objectives_wide`` of the objectives with the
    user's edits laid over them, values in whole dwellings. ``editor_table(objectives)`` (no
    edits) is what ``changed_cells`` compares the user's table with."""
    wide = objectives_wide(apply_edits(objectives, edits))
    years = _year_columns(wide)
    wide[years] = wide[years].astype(float).round(0)
    return wide


def _year_columns(wide: pd.DataFrame) -> list[str]:
    return [c for c in wide.columns if str(c).isdigit()]


def _long(wide: pd.DataFrame, years: list[str], name: str) -> pd.DataFrame:
    frame = wide[years].apply(pd.to_numeric, errors="coerce").rename_axis("code").reset_index()
    frame["code"] = frame["code"].astype(str)
    return frame.melt(id_vars="code", var_name="annee", value_name=name)


def changed_cells(base_table: pd.DataFrame, edited_table: pd.DataFrame) -> pd.DataFrame:
    """The cells of ``edited_table`` that differ from ``base_table`` (both as ``editor_table``
    gives them: same index of region codes, whole dwellings), as a long frame ``EDIT_COLUMNS``.

    Comparing with the rounded table the user saw means an untouched cell is never taken for an
    edit; a cleared cell is kept with a missing value.
    """
    years = _year_columns(base_table)
    old = _long(base_table, years, "avant")
    new = _long(edited_table.reindex(base_table.index), years, "objectif")
    m = old.merge(new, on=["code", "annee"], how="left")
    same = (m["avant"] == m["objectif"]) | (m["avant"].isna() & m["objectif"].isna())
    out = m.loc[~same, EDIT_COLUMNS].reset_index(drop=True)
    return out.astype({"annee": int, "objectif": float})


def objectives_total(objectives: pd.DataFrame) -> pd.DataFrame:
    """Sum of the regional objectives per year (to show against the national target)."""
    return objectives.groupby("annee", as_index=False)["objectif"].sum(min_count=1)


# ---------------------------------------------------------------------------------------------
# Achievement


def achievement(production: pd.DataFrame, objectives: pd.DataFrame) -> pd.DataFrame:
    """Production against objective, per region and pact year.

    ``taux`` = production / objective; ``ecart`` = production − objective (negative: behind).
    Missing on either side gives a missing rate, never 0. ``nature`` is the weakest of the two.
    """
    obj = objectives.rename(columns={"nature": "nature_objectif", "source": "source_objectif"})
    prod = production.rename(
        columns={"valeur": "production", "nature": "nature_production", "source": "source_production",
                 "date_source": "date_source_production"}
    )
    out = obj.merge(prod.drop(columns=["region"]), on=["annee", "code"], how="left")
    out["nature_production"] = out["nature_production"].fillna(MANQUANT)
    out["taux"] = out["production"] / out["objectif"].where(out["objectif"] > 0)
    out["ecart"] = out["production"] - out["objectif"]
    out["nature"] = [weakest(a, b) for a, b in zip(out["nature_production"], out["nature_objectif"])]
    return out


def per_inhabitants(values: pd.Series, population: pd.Series, per: float = 10_000) -> pd.Series:
    """Values per ``per`` inhabitants (NaN where the population is unknown)."""
    pop = population.astype(float).where(population.astype(float) > 0)
    return values.astype(float) / pop * per


def rank(values: pd.Series) -> pd.Series:
    """Rank 1 = highest, among the regions with a value (NaN for the others)."""
    return values.rank(ascending=False, method="min")


# ---------------------------------------------------------------------------------------------
# The map's table: one indicator, one period, one value per region

INDICATOR_CHOICES: Mapping[str, str] = {
    "production": "Logements sociaux financés",
    "production_10k": "Logements sociaux financés pour 10 000 habitants",
    "taux": "Taux de réalisation de l'objectif",
    "rehab": "Réhabilitations thermiques financées par éco-prêt",
}
INDICATOR_UNITS: Mapping[str, str] = {
    "production": "logements",
    "production_10k": "logements pour 10 000 habitants",
    "taux": "% de l'objectif",
    "rehab": "logements",
}
REHAB_WARNING = (
    "Les chiffres de réhabilitation viennent des éco-prêts logement social de la Caisse des dépôts : "
    "ils ne couvrent pas les réhabilitations financées autrement et sont moins sûrs que les chiffres "
    "de production (infocentre SISAL)."
)
MAP_COLUMNS = [
    "code",
    "region",
    "valeur",
    "nature",
    "source",
    "date_source",
    "autres_sources",
    "note",
    "production",
    "objectif",
    "population",
    "prioritaire",
    "rang",
]


def indicator_periods(figures: pd.DataFrame, indicator: str, params) -> list[str]:
    """Periods offered for an indicator (years as text; a span such as "2012-2013" for éco-prêts)."""
    if indicator == "taux":
        return [str(y) for y in pact_years(params)]
    if indicator == "rehab":
        df = figures[(figures["niveau"] == "region2015") & (figures["indicateur"] == "rehab_eco_pls")]
        counts = df.groupby("periode").size()
        return sorted(counts[counts >= 2].index.tolist()) or sorted(counts.index.tolist())
    return [str(y) for y in range(2010, 2017)]


def indicator_table(
    figures: pd.DataFrame,
    regions: pd.DataFrame,
    params,
    indicator: str,
    periode: str,
    product: str = "total",
    objectives: pd.DataFrame | None = None,
    estimate: bool = True,
) -> pd.DataFrame:
    """One row per region (all 27): the indicator's value for ``periode``, its nature and source.

    ``objectives`` (from ``regional_objectives``, maybe edited) is needed for ``taux``. Missing
    values stay NaN with nature "manquant". ``rang`` ranks the regions that have a value.
    """
    pop = regions.set_index("code")["population"].astype(float)
    prio = set(priority_regions(params))
    if indicator in ("production", "production_10k", "taux"):
        out = _production_indicator(figures, regions, pop, indicator, int(periode), product, objectives, estimate)
    elif indicator == "rehab":
        out = _renovation_indicator(figures, regions, periode)
    else:
        raise ValueError(f"indicateur inconnu : {indicator}")
    out.index.name = "code"
    out = out.reset_index()
    out["population"] = out["code"].map(pop)
    out["prioritaire"] = out["code"].isin(prio)
    out["rang"] = rank(out["valeur"])
    return out[MAP_COLUMNS]


def _production_indicator(figures: pd.DataFrame, regions: pd.DataFrame, pop: pd.Series, indicator: str, year: int,
                          product: str, objectives: pd.DataFrame | None, estimate: bool) -> pd.DataFrame:
    """The year's production by region (indexed by code), as a count, per 10 000 inhabitants or
    as a share of the objective; the rate always reads the total, as the pact's objectives do."""
    ind = PRODUCTS["total" if indicator == "taux" else product]
    prod = regional_production(figures, regions, ind, [year], estimate=estimate)
    prod = prod.set_index("code")
    out = prod[["region", "valeur", "nature", "source", "date_source", "autres_sources", "note"]].copy()
    out["production"] = prod["valeur"]
    out["objectif"] = np.nan
    if indicator == "production_10k":
        out["valeur"] = per_inhabitants(prod["valeur"], pop.reindex(prod.index))
        out.loc[out["valeur"].isna(), "nature"] = MANQUANT
    elif indicator == "taux":
        if objectives is None:
            raise ValueError("objectives required for the achievement rate")
        _as_achievement(out, prod, objectives[objectives["annee"] == year])
    return out


def _as_achievement(out: pd.DataFrame, prod: pd.DataFrame, objectives: pd.DataFrame) -> None:
    """Turn ``out`` into the achievement rate: value, objective and a source naming both the
    production's and the objective's, so a reader can check either."""
    ach = achievement(prod.reset_index()[PRODUCTION_COLUMNS], objectives)
    ach = ach.set_index("code")
    out["objectif"] = ach["objectif"]
    out["valeur"] = ach["taux"]
    out["nature"] = ach["nature"].where(ach["taux"].notna(), MANQUANT)
    out["source"] = [
        f"Production : {sp or 'n.d.'} — Objectif : {so or 'n.d.'}"
        for sp, so in zip(ach["source_production"].fillna(""), ach["source_objectif"].fillna(""))
    ]
    out["date_source"] = ach["date_source_production"].fillna("")  # of the production figure


def _renovation_indicator(figures: pd.DataFrame, regions: pd.DataFrame, periode: str) -> pd.DataFrame:
    """The period's eco-loan renovations by region (indexed by code); a region with no figure
    stays NaN with nature "manquant", never an estimate."""
    df = data.retained(figures, "rehab_eco_pls", "region2015")
    df = df[df["periode"] == periode].set_index("territoire_code")
    out = pd.DataFrame(index=regions["code"].values)
    out["region"] = regions.set_index("code")["nom"]
    out["valeur"] = df["valeur"].reindex(out.index).astype(float)
    out["nature"] = df["nature"].reindex(out.index).fillna(MANQUANT)
    out["source"] = df["source"].reindex(out.index).fillna("")
    out["date_source"] = (df["date_source"].reindex(out.index).fillna("") if "date_source" in df.columns
                          else "")
    out["autres_sources"] = df["autres_sources"].reindex(out.index).fillna("")
    out["note"] = df["note"].reindex(out.index).fillna("")
    out["production"] = np.nan
    out["objectif"] = np.nan
    return out


# ---------------------------------------------------------------------------------------------
# The editable objectives table (one row per region, one column per pact year)


def _origin_text(g: pd.DataFrame) -> str:
    kinds = (g["nature"] + g["regle"].where(g["regle"] == "", " (" + g["regle"] + ")")).tolist()
    if len(set(kinds)) == 1:
        return kinds[0]
    return " ; ".join(f"{a} : {k}" for a, k in zip(g["annee"], kinds))


def objectives_wide(objectives: pd.DataFrame) -> pd.DataFrame:
    """Region × year table of objectives, with a text column saying where each comes from."""
    wide = objectives.pivot(index="code", columns="annee", values="objectif")
    wide.columns = [str(c) for c in wide.columns]
    names = objectives.drop_duplicates("code").set_index("code")["region"]
    origin = objectives
    origin = origin.groupby("code").apply(_origin_text, include_groups=False)
    out = wide.copy()
    out.insert(0, "region", names.reindex(out.index))
    out["origine"] = origin.reindex(out.index)
    return out.reindex(objectives["code"].drop_duplicates())


def apply_imported(objectives: pd.DataFrame, imported: pd.DataFrame | None) -> pd.DataFrame:
    """Replace objectives by those of an imported file (columns annee, code, objectif; optional
    source), nature "importé". Rows of unknown regions or years are ignored."""
    if imported is None or imported.empty or not {"annee", "code", "objectif"} <= set(imported.columns):
        return objectives
    imp = imported.assign(
        annee=pd.to_numeric(imported["annee"], errors="coerce"),
        code=imported["code"].astype(str).str.zfill(2),
        objectif=pd.to_numeric(imported["objectif"], errors="coerce"),
    ).dropna(subset=["annee", "objectif"])
    out = objectives.copy()
    for _, r in imp.iterrows():
        sel = (out["annee"] == int(r["annee"])) & (out["code"] == r["code"])
        out.loc[sel, ["objectif", "nature", "regle", "source"]] = [
            float(r["objectif"]),
            IMPORTE,
            "fichier importé",
            str(r.get("source", "") or "fichier importé"),
        ]
    return out
