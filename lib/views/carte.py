"""What the map page (pages/carte.py) draws and lists, built without Streamlit.

``lib/ui/carte.py`` only places these on the page: the values of the choropleth and their
tooltip texts (``map_values``; the shapes are fixed, see lib/offline_map.py), the table on
screen (``screen_table``) and in the CSV (``export_table``), the count of regions by nature
(``summary_caption``), the legend's priority regions (``priority_legend_text``) and the check of
the objectives' sum (``objectives_total_caption``).
"""

from __future__ import annotations

import pandas as pd

from lib import exports, fmt, natures, offline_map, renovation, targets

EXPORT_NATURES = natures.SOURCED

# The map's indicators: those of ``lib.targets`` and two ratios to a target, built here from
# ``lib.pace`` and ``lib.renovation`` (same columns, ``targets.MAP_COLUMNS``).
INDICATOR_CHOICES: dict[str, str] = {
    **targets.INDICATOR_CHOICES,
    "rythme": "Production rapportée au rythme nécessaire pour l'objectif 2015",
    "renovation": "Réhabilitations thermiques rapportées à l'objectif (part du parc)",
}
# the lazy expander under the ranking table holding its grid (sort by any column, search, CSV)
RANKING_GRID_LABEL = "Trier, chercher ou télécharger le classement des régions"
SORT_CAPTION = ("Pour trier, ouvrez « " + RANKING_GRID_LABEL + " » sous le tableau et cliquez sur un en-tête "
                "de colonne (la colonne « Rang » trie par valeur ; rang 1 = valeur la plus haute).")
RATE_INDICATORS = ("taux", "rythme", "renovation")  # a ratio to a target: shown in %, fixed classes
TOTAL_ONLY = ("taux", "rehab", "rythme", "renovation")  # no split by product
# per rate indicator: the names of its two figures in the table (the value, what it is compared with)
COMPARED = {"taux": ("Production", "Objectif"), "rythme": ("Production", "Rythme nécessaire"),
            "renovation": ("Réhabilitations (éco-prêts)", "Objectif de la période")}
PACE_NOTE = ("Rythme nécessaire : ce qu'il restait à financer chaque année pour atteindre l'objectif 2013–2015, "
             "compte tenu de la production des années précédentes ; 100 % = dans le rythme. Les objectifs "
             "régionaux non publiés sont répartis, donc **estimés**, et le rapport l'est aussi.")
INTRO = (
    "Les 27 régions d'avant 2016. Production : logements locatifs sociaux financés (communiqué du "
    "ministère, métropole hors ANRU, quand il existe). Les chiffres **estimés** (contour tireté) sont "
    "des répartitions, jamais des chiffres publiés ; une région **sans donnée** est hachurée, jamais à 0."
)
RATE_NOTE = ("Objectifs : publiés quand ils existent (source indiquée), sinon répartis selon la règle "
             "choisie ci-dessus, donc **estimés** ; le taux hérite de la nature la moins sûre.")
RENOVATION_NOTE = ("Éco-prêts de la période rapportés à l'objectif national de réhabilitation × la part de la "
                   "région dans le parc social (" + renovation.STOCK_RULE + ") : l'objectif régional est toujours "
                   "**estimé**. " + renovation.PERIOD_RULE)


def pace_map_table(production: pd.DataFrame, indicator: pd.DataFrame) -> pd.DataFrame:
    """The map's table of the pace ratio: ``production`` is ``targets.indicator_table`` of the
    production for the same year (names, sources, priority), ``indicator`` is
    ``lib.pace.pace_indicator`` (value = production / required pace, its nature and note)."""
    ind = indicator.set_index("code").reindex(production["code"])
    out = production.copy()
    out["valeur"] = ind["valeur"].astype(float).to_numpy()
    out["nature"] = ind["nature"].fillna(targets.MISSING).to_numpy()
    out["objectif"] = ind["rythme_requis"].astype(float).to_numpy()
    out["note"] = ind["note"].fillna("").to_numpy()
    out["rang"] = targets.rank(out["valeur"])
    return out[targets.MAP_COLUMNS]


def renovation_map_table(rehab: pd.DataFrame, figures: pd.DataFrame, params, stock: pd.Series,
                         stock_natures: pd.Series, periode: str) -> pd.DataFrame:
    """The map's table of eco-loan renovations against each region's estimated objective for
    ``periode``: ``rehab`` is ``targets.indicator_table`` of the counts (names, sources)."""
    out = rehab.copy()
    values, natures, objectives = [], [], []
    for code in out["code"]:
        t = renovation.regional_renovation(figures, params, code, stock, stock_natures)
        row = t[t["periode"] == periode]
        r = row.iloc[0] if len(row) else None
        values.append(float(r["taux"]) if r is not None else float("nan"))
        natures.append(r["nature_taux"] if r is not None else targets.MISSING)
        objectives.append(float(r["objectif_periode"]) if r is not None else float("nan"))
    out["production"] = out["valeur"]
    out["valeur"], out["nature"], out["objectif"] = values, natures, objectives
    out["rang"] = targets.rank(out["valeur"])
    return out[targets.MAP_COLUMNS]


def format_value(value, indicator: str) -> str:
    """An indicator's value in French format (rate in %, per 10 000 inhabitants with a decimal)."""
    if indicator in RATE_INDICATORS:
        return fmt.fmt_pct(value)
    if indicator == "production_10k":
        return fmt.fmt_num(value, 1)
    return fmt.fmt_int(value)


def short_text(text: str, limit: int = 70) -> str:
    """A long text (an address) cut to ``limit`` characters with an ellipsis."""
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAP_TOOLTIP = (
    ("t_nom", "Région"),
    ("t_indicateur", "Indicateur"),
    ("t_valeur", "Valeur"),
    ("t_nature", "Nature"),
    ("t_rang", "Rang"),
    ("t_source", "Source"),
    ("t_date", "Date de la source"),
    ("t_autres", "Autres sources"),
)  # fixed titles: the map's spec stays the same whatever the indicator (recoloured in place)

# What assistive technology announces for the map: fixed as well (a changed name would rebuild the
# map); the heading above it names the indicator and the period, the table below has the figures.
MAP_ALT = ("Carte des régions de France (découpage d'avant 2016, outre-mer en encarts) colorée selon "
           "l'indicateur du titre ci-dessus ; les mêmes chiffres sont dans le tableau sous la carte")


def map_values(table: pd.DataFrame, indicator: str, label: str, periode: str) -> tuple[pd.DataFrame, list]:
    """The values the map shows, one row per region of ``table`` (``targets.indicator_table``):
    ``code``, the colour of its class (empty where missing), its nature, what a screen reader
    says of it and the tooltip texts of ``MAP_TOOLTIP``, in French format. Plain text: the map's
    tooltip escapes it (lib/offline_map.py).

    Returns (values, legend).
    """
    colours, legend = offline_map.classify(
        table["valeur"], rate=indicator in RATE_INDICATORS, fmt=lambda x: format_value(x, indicator)
    )
    nature = table["nature"].fillna(targets.MISSING)
    n_ranked = int(table["valeur"].notna().sum())
    noms = [n + (" — région prioritaire du pacte" if p else "")
            for n, p in zip(table["region"], table["prioritaire"].fillna(False))]
    valeurs = [("donnée manquante" if pd.isna(v) else format_value(v, indicator)) for v in table["valeur"]]
    indicateur = f"{label}, {periode}"
    dates = table["date_source"].fillna("") if "date_source" in table.columns else [""] * len(table)
    out = pd.DataFrame(
        {
            "code": table["code"].astype(str).to_numpy(),
            "couleur": [c or "" for c in colours],
            "nature": nature.to_numpy(),
            "t_nom": noms,
            "t_indicateur": indicateur,
            "t_valeur": valeurs,
            "t_nature": nature.to_numpy(),
            "t_rang": ["—" if pd.isna(r) else f"{fmt.fmt_ordinal(r, feminine=True)} sur {n_ranked}"
                       for r in table["rang"]],
            "t_source": [short_text(s) if s else "—" for s in table["source"].fillna("")],
            "t_date": [d if d else "—" for d in dates],
            "t_autres": [short_text(s, 120) if s else "—" for s in table["autres_sources"].fillna("")],
        }
    )
    out["description"] = [f"{n} : {v} ({nat})" for n, v, nat in zip(noms, valeurs, out["nature"])]
    return out, legend


def priority_names(params, regions: pd.DataFrame) -> list[str]:
    """Names of the regions the pact names (``objectifs.regions_prioritaires``), in its order."""
    names = dict(zip(regions["code"], regions["nom"]))
    return [names.get(c, c) for c in targets.priority_regions(params)]


def priority_legend_text(params, regions: pd.DataFrame) -> str:
    """Legend entry of the priority outline, naming the regions (plain text)."""
    return "région prioritaire du pacte (" + ", ".join(priority_names(params, regions)) + ")"


def export_table(table: pd.DataFrame, indicator: str, label: str) -> pd.DataFrame:
    """The map's figures with numbers kept numeric (for the CSV; empty cell = missing), rounded to
    what they mean: dwellings and ranks whole, a rate in % or a count per 10 000 inhabitants to
    one decimal."""
    out = pd.DataFrame(
        {
            "Code": table["code"],
            "Région": table["region"],
            label: table["valeur"] * (100 if indicator in RATE_INDICATORS else 1),
            "Nature": table["nature"],
            "Rang": table["rang"],
            "Prioritaire (pacte)": table["prioritaire"].map({True: "oui", False: ""}),
            "Source": table["source"],
            "Date de la source": table["date_source"] if "date_source" in table.columns else "",
            "Autres sources": table["autres_sources"],
        }
    )
    if indicator in COMPARED:
        done, target = COMPARED[indicator]
        out.insert(3, done, table["production"])
        out.insert(4, target, table["objectif"])
    value_decimals = 1 if indicator in (*RATE_INDICATORS, "production_10k") else 0
    whole = {c: 0 for pair in COMPARED.values() for c in pair}
    return exports.round_columns(out, {label: value_decimals, **whole, "Rang": 0})


def screen_table(table: pd.DataFrame, indicator: str, label: str) -> pd.DataFrame:
    """The same figures for the screen: values in French format ("donnée manquante", never 0),
    sorted by rank (sorting the "Rang" column sorts by value)."""
    out = export_table(table, indicator, label).drop(columns=["Code"])
    out[label] = [("donnée manquante" if pd.isna(v) else format_value(v, indicator)) for v in table["valeur"]]
    for col in {c for pair in COMPARED.values() for c in pair}:
        if col in out:
            out[col] = [fmt.fmt_int(v) for v in out[col]]
    return out.assign(_r=table["rang"].fillna(1e9).values).sort_values("_r", kind="stable").drop(columns="_r")


def summary_caption(table: pd.DataFrame) -> str:
    """Count of regions by nature, e.g. « 27 régions : 4 cité, 8 estimé, 15 sans donnée. » (plain text)."""
    counts = table["nature"].value_counts()
    parts = [f"{counts.get(k, 0)} {k}" for k in EXPORT_NATURES if counts.get(k, 0)]
    parts.append(f"{counts.get(targets.MISSING, 0)} sans donnée")
    return f"{len(table)} régions : " + ", ".join(parts) + "."


def objectives_total_caption(objectives: pd.DataFrame, params, reading: str) -> str:
    """The sum of the regional objectives of each year beside the national target it must match."""
    parts = [
        f"{int(r.annee)} : {fmt.fmt_int(r.objectif)} "
        f"(national {fmt.fmt_int(targets.national_target(params, int(r.annee), reading))})"
        for r in targets.objectives_total(objectives).itertuples()
    ]
    return "Somme des objectifs régionaux — " + " ; ".join(parts)


def default_period(periods: list[str], last_year: int) -> str:
    """The period shown first: the pact's last year (from the parameter file) when it has figures,
    else the latest."""
    return str(last_year) if str(last_year) in periods else periods[-1]


def period_label(indicator: str) -> str:
    """« Année », or « Période » for the renovation indicators (counted over periods)."""
    return "Période" if indicator in ("rehab", "renovation") else "Année"


def product_label(product: str) -> str:
    """A product's name in the picker; « total » names the three products together."""
    return "Total (PLAI + PLUS + PLS)" if product == "total" else product


def indicator_label(indicator: str, product: str) -> str:
    """The map's title: the indicator, with the product when it is not the total."""
    return INDICATOR_CHOICES[indicator] + ("" if product == "total" else f" ({product})")


def notes(indicator: str) -> list[tuple[str, str]]:
    """The notes above the map for ``indicator``, each (kind, text), kind « warning » or « info »."""
    shown = []
    if indicator in ("rehab", "renovation"):
        shown.append(("warning", targets.REHAB_WARNING))
    if indicator == "renovation":
        shown.append(("info", RENOVATION_NOTE))
    if indicator == "rythme":
        shown.append(("info", PACE_NOTE))
    if indicator == "taux":
        shown.append(("info", RATE_NOTE))
    return shown
