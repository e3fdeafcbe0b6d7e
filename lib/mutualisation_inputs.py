"""Default inputs of the mutualisation simulator: one row per metropolitan region (before 2016).

No public data gives the loans signed, rents or CGLLS dues per HLM body, nor per region. So the
defaults are built in two steps, each value carrying its nature (cité, dérivé, estimé):

1. Regional *keys* (``regional_keys``): how national volumes spread over the 22 metropolitan
   regions (annex 1 concerns « les organismes Hlm métropolitains »):
   - production: the region's cited count of financed social dwellings for the year (retention
     rule of ``lib.data``); regions without one share the national residual by population
     (estimé);
   - PLUS+PLAI share: the region's cited PLAI/PLUS/PLS split for the year, else the national one;
   - zones 1/1 bis: the region's population share in zones 1/1 bis (communes' zoning, estimé);
   - rehabilitations: the region's cited share of eco-loan rehabilitations 2012-2013 (cité);
   - heavy restructuring in slack areas: the region's population in zone 3 (estimé);
   - stock: cited regional stock where it exists, cited shares of the 2010 stock (dérivé),
     else the national residual by population (estimé);
   - rents: stock × cited rent per m² (region, or its post-2016 region); regions without a
     cited rent get the mean of the cited metropolitan rents outside Île-de-France (estimé);
   - the three contribution bases are then *calibrated*: each region's share (of the stock, of
     stock × rent, of rents for the CGLLS dues) times the national total of the base for the
     campaign (``national_bases``: totals derived from the bilan of campaign 2015, the only
     one published), so that the regional bases add up to the cited national totals. The
     split of the contribution only depends on the shares; the totals make the bases readable.
2. National *volumes* (``VolumeAssumptions``): the pact's preset (« Hypothèses du pacte »: the
   pact's HLM targets for new and rehabilitated dwellings, read from data/pacte_parametres.yaml
   through the ``parametre`` entries of data/mutualisation_hypotheses.yaml) or the cited figures
   of a year, editable on the page, spread by the keys (``build_inputs``).
Scenarios (``SCENARIOS``) then change the volumes of named regions.

When a user imports a per-body file (kind « organismes » of ``lib.importer``), ``inputs_from_bodies``
maps it to the engine's columns, one unit per HLM body, nature « importé »; no key, volume
assumption or scenario applies then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lib.errors import DataError
from lib.natures import CITE, DERIVE, ESTIME, HYPOTHESE, IMPORTE, preference_rank
from lib.paths import DATA

HYPOTHESES_FILE = DATA / "mutualisation_hypotheses.yaml"
#: national totals of the contribution bases, in data/figures.csv (periode = year of the campaign)
BASE_INDICATORS: Mapping[str, str] = MappingProxyType(
    {
        "loyers_eur": "mutualisation_base_loyers",
        "patrimoine_logements": "mutualisation_base_patrimoine",
        "cotisation_cglls_eur": "mutualisation_base_cotisation_cglls",
    }
)


# ---------------------------------------------------------------------------------------------
# Assumptions


@dataclass(frozen=True)
class Hypothesis:
    key: str
    libelle: str
    valeur: float
    unite: str
    nature: str
    bornes: tuple[float, float, float]
    justification: str
    parametre: str = ""  # dotted path(s) of data/pacte_parametres.yaml the value is read from
    cle_url: str = ""  # the page's control: widget key and URL parameter ("" when not a control)
    echelle: float = 1.0  # control's value = the file's value × echelle (100: a taux shown in %)
    rang: int = 0  # the control's place among the page's volume controls (0 when not a control)


def _pact_value(path: str) -> float:
    """A pact parameter's value in the first year it is given (the preset describes the pact as
    signed; data/pacte_parametres.yaml keys values by the year they apply from)."""
    from lib.params import ParamsError, load_params

    params = load_params()
    if path not in params:
        raise DataError(f"Paramètre du pacte inconnu : « {path} ».")
    param = params[path]
    try:
        return float(param.value(min(param.valeurs)))
    except (ParamsError, TypeError, ValueError) as exc:
        raise DataError(f"Paramètre du pacte « {path} » : valeur numérique attendue.") from exc


def _hypothesis_value(key: str, leaf: Mapping[str, Any], file_name: str) -> tuple[float, str]:
    """``valeur``, or the pact parameter named by ``parametre`` (divided by ``divise_par`` when
    the assumption is a ratio of two parameters): a pact number is never repeated in the file.
    If both are given they must agree."""
    ref = leaf.get("parametre")
    if not ref:
        return float(leaf["valeur"]), ""
    val = _pact_value(str(ref))
    label = str(ref)
    if leaf.get("divise_par"):
        denom = _pact_value(str(leaf["divise_par"]))
        if denom == 0:
            raise DataError(f"Hypothèse « {key} » : « {leaf['divise_par']} » vaut 0 dans {file_name}.")
        val /= denom
        label = f"{ref} / {leaf['divise_par']}"
    if leaf.get("valeur") is not None and abs(float(leaf["valeur"]) - val) > 1e-9 * max(1.0, abs(val)):
        raise DataError(
            f"Hypothèse « {key} » : la valeur {leaf['valeur']} de {file_name} contredit le paramètre du pacte "
            f"« {label} » ({val:g}). Supprimez « valeur » : elle est lue dans data/pacte_parametres.yaml."
        )
    return val, label


@lru_cache(maxsize=2)
def load_hypotheses(path: Path = HYPOTHESES_FILE) -> Mapping[str, Hypothesis]:
    """The preset's assumptions with their bounds and justification (immutable). An assumption
    that is a pact number names its parameter (``parametre``) and takes its value from
    data/pacte_parametres.yaml."""
    try:
        tree = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"Fichier des hypothèses de mutualisation illisible : {Path(path).name}.") from exc
    out = {}
    for key, leaf in (tree or {}).get("hypotheses", {}).items():
        try:
            lo, hi, step = (float(x) for x in leaf["bornes"])
            valeur, parametre = _hypothesis_value(key, leaf, Path(path).name)
            controle = leaf.get("controle") or {}
            out[key] = Hypothesis(
                key=key,
                libelle=str(leaf["libelle"]),
                valeur=valeur,
                unite=str(leaf["unite"]),
                nature=str(leaf["nature"]),
                bornes=(lo, hi, step),
                justification=" ".join(str(leaf["justification"]).split()),
                parametre=parametre,
                cle_url=str(controle.get("cle_url", "")),
                echelle=float(controle.get("echelle", 1)),
                rang=int(controle["rang"]) if controle else 0,
            )
        except DataError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"Hypothèse « {key} » incomplète dans {Path(path).name}.") from exc
    return MappingProxyType(out)


@dataclass(frozen=True)
class VolumeAssumptions:
    """National volumes and the assumptions that turn them into annex 1 inputs."""

    production_hlm: float
    part_plus_plai: float
    part_zone_1_1bis: float
    rehabilitation_hlm: float
    pret_moyen_rehabilitation_eur: float
    logements_restructures: float
    part_exoneree: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    def replace(self, **changes: Any) -> VolumeAssumptions:
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], base: VolumeAssumptions | None = None) -> VolumeAssumptions:
        base = base or preset_assumptions()
        known = {f.name for f in fields(cls)}
        try:
            changes = {k: float(v) for k, v in values.items() if k in known}
        except (TypeError, ValueError) as exc:
            raise DataError("Hypothèse de volume : valeur numérique attendue.") from exc
        return base.replace(**changes)

    def validate(self) -> VolumeAssumptions:
        hyps = load_hypotheses()
        for name, v in self.to_dict().items():
            if not np.isfinite(v) or v < 0:
                raise DataError(f"« {hyps[name].libelle if name in hyps else name} » doit être positif.")
        for name in ("part_plus_plai", "part_zone_1_1bis", "part_exoneree"):
            if getattr(self, name) > 1:
                raise DataError(f"« {hyps[name].libelle} » ne peut pas dépasser 100 %.")
        return self


def controlled_volumes(path: Path = HYPOTHESES_FILE) -> tuple[str, ...]:
    """The volume assumptions the page lets the user move, in the order the hypotheses file
    gives (``controle.rang``), so that the page's order is data like the controls' keys and
    bounds. Every volume the engine takes must have its control, and only those."""
    hyps = load_hypotheses(path)
    controlled = sorted((h for h in hyps.values() if h.cle_url), key=lambda h: h.rang)
    names = tuple(h.key for h in controlled)
    for name in (f.name for f in fields(VolumeAssumptions)):
        if name not in names:
            raise DataError(f"Hypothèse « {name} » sans bloc controle (cle_url) dans {Path(path).name}.")
    for name in names:
        if name not in VolumeAssumptions.__dataclass_fields__:
            raise DataError(f"Hypothèse « {name} » : bloc controle sur une valeur que le simulateur ne règle pas, "
                            f"dans {Path(path).name}.")
    ranks = [h.rang for h in controlled]
    if len(set(ranks)) != len(ranks):
        raise DataError(f"Deux contrôles de volume ont le même rang dans {Path(path).name}.")
    return names


def preset_assumptions() -> VolumeAssumptions:
    """« Hypothèses du pacte »: the values of data/mutualisation_hypotheses.yaml."""
    hyps = load_hypotheses()
    return VolumeAssumptions(**{f.name: hyps[f.name].valeur for f in fields(VolumeAssumptions)})


def data_assumptions(year: int, figures: pd.DataFrame | None = None) -> tuple[VolumeAssumptions, dict[str, str]]:
    """Volumes of ``year`` from cited national figures (HLM share applied), with their nature.

    Each national figure is the one retained by ``lib.data.mark_retained`` (an imported figure
    first, then the ministry's, …). Production: national financed dwellings × the HLM share of
    the pact (HLM target ÷ all-landlords target, data/pacte_parametres.yaml). PLUS+PLAI share:
    the year's national split when cited, else the nearest year's (estimé). Rehabilitations:
    the national eco-loan count of the year when one is cited or derived (2014), half the
    2012-2013 count for 2012 and 2013, else the nearest year's count (estimé), times the HLM
    share of the pact's rehabilitation targets. The other assumptions stay those of the preset.
    """
    from lib.data import mark_retained

    figures = mark_retained(_figures(figures))  # imported first, then the ministry, … (lib.data)
    hyps = load_hypotheses()
    base = preset_assumptions()
    nat = figures[(figures["niveau"] == "France") & figures["retenu"]]
    prod = nat[(nat["indicateur"] == "lls_finances") & (nat["annee"] == year)]
    if prod.empty:
        raise DataError(f"Aucun chiffre national de logements sociaux financés pour {year}.")
    nature = {}
    production = float(prod["valeur"].iloc[0]) * hyps["part_hlm_production_financee"].valeur
    nature["production_hlm"] = DERIVE
    share, share_nature = _national_plus_plai_share(nat, year)
    nature["part_plus_plai"] = share_nature
    rehab, rehab_nature = national_rehabilitations(year, nat)
    if rehab is None:
        rehab_per_year, nature["rehabilitation_hlm"] = base.rehabilitation_hlm, HYPOTHESE
    else:
        rehab_per_year, nature["rehabilitation_hlm"] = rehab * hyps["part_hlm_rehabilitation"].valeur, rehab_nature
    out = base.replace(
        production_hlm=round(production), part_plus_plai=round(share, 4), rehabilitation_hlm=round(rehab_per_year)
    )
    for f in fields(VolumeAssumptions):
        nature.setdefault(f.name, hyps[f.name].nature)
    return out, nature


def national_rehabilitations(year: int, nat: pd.DataFrame) -> tuple[float | None, str]:
    """Eco-loan rehabilitations of ``year``, all social landlords, from retained national rows:
    the year's own count (its nature), half the 2012-2013 count for those two years (dérivé),
    else the nearest year's yearly count (estimé); ``(None, "")`` when nothing is cited."""
    rows = nat[nat["indicateur"] == "rehab_eco_pls"]
    yearly: dict[int, tuple[float, str]] = {}
    for _, r in rows.iterrows():
        per = str(r["periode"])
        if per.isdigit():
            yearly[int(per)] = (float(r["valeur"]), str(r["nature"]))
        elif per == "2012-2013":
            for y in (2012, 2013):
                yearly.setdefault(y, (float(r["valeur"]) / 2, DERIVE))
    if not yearly:
        return None, ""
    if year in yearly:
        return yearly[year]
    nearest = min(yearly, key=lambda y: (abs(y - year), -y))
    return yearly[nearest][0], ESTIME


def _national_plus_plai_share(nat: pd.DataFrame, year: int) -> tuple[float, str]:
    """PLUS+PLAI share of the national split; ``nat`` holds retained national figures only."""
    if "retenu" in nat.columns:
        nat = nat[nat["retenu"]]
    by_year = {}
    for y in sorted(nat["annee"].dropna().unique()):
        parts = {}
        for kind in ("plai", "plus", "pls"):
            row = nat[(nat["indicateur"] == f"lls_finances_{kind}") & (nat["annee"] == y)]
            if not row.empty:
                parts[kind] = float(row["valeur"].iloc[0])
        if len(parts) == 3 and sum(parts.values()) > 0:
            by_year[int(y)] = (parts["plai"] + parts["plus"]) / sum(parts.values())
    if year in by_year:
        return by_year[year], DERIVE
    if by_year:
        nearest = min(by_year, key=lambda y: abs(y - year))
        return by_year[nearest], ESTIME
    return load_hypotheses()["part_plus_plai"].valeur, HYPOTHESE


# ---------------------------------------------------------------------------------------------
# Regional keys

KEY_COLUMNS = (
    "production",
    "part_plus_plai_region",
    "poids_zone_1_1bis",
    "poids_rehabilitation",
    "poids_restructuration",
    "parc_social",
    "loyer_m2",
    "patrimoine_logements",
    "loyers_eur",
    "cotisation_cglls_eur",
)
#: figures.csv rents are given for post-2016 regions too; Grand Est covers three old regions
CITED_STOCK_SHARES_2010 = (
    "parc_locatif_social 2010-01-01 (France) : note « parts: IDF 27,1 %, Rhône-Alpes 9,5 %, NPdC 8,8 %, PACA 6,1 % »"
)


def _figures(figures: pd.DataFrame | None) -> pd.DataFrame:
    if figures is not None:
        return figures
    from lib.data import load_figures

    return load_figures()


def _regions() -> pd.DataFrame:
    from lib.geo import load_regions

    reg = load_regions()
    reg = reg[~reg["outre_mer"].astype(bool)].copy()
    reg["code"] = reg["code"].astype(str)
    return reg.sort_values("code").reset_index(drop=True)


def _zone_shares() -> pd.DataFrame:
    from lib.geo import load_zonage_regions

    z = load_zonage_regions().copy()
    z["reg2015_code"] = z["reg2015_code"].astype(str)
    pivot = z.pivot_table(index="reg2015_code", columns="zone", values="population", aggfunc="sum").fillna(0.0)
    for zone in ("1bis", "1", "2", "3"):
        if zone not in pivot.columns:
            pivot[zone] = 0.0
    return pivot


def _residual_by_population(known: pd.Series, total: float, population: pd.Series) -> pd.Series:
    """Fill the missing regions of ``known`` with ``total − Σ known`` shared by population."""
    out = known.copy()
    missing = out.isna()
    residual = max(total - float(out[~missing].sum()), 0.0)
    pop = population[missing]
    if missing.any() and pop.sum() > 0:
        out[missing] = residual * pop / pop.sum()
    return out


@lru_cache(maxsize=8)
def _regional_keys_cached(year: int) -> pd.DataFrame:
    return _build_regional_keys(year, _figures(None))


def regional_keys(year: int = 2013, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per metropolitan region: the keys that spread national volumes, with natures.

    Returns a new frame each call (callers may modify it).
    """
    if figures is None:
        return _regional_keys_cached(int(year)).copy()
    return _build_regional_keys(int(year), figures)


def _build_regional_keys(year: int, figures: pd.DataFrame) -> pd.DataFrame:
    """The keys, one block of columns at a time, each with its nature: a figure missing for a
    region is estimated (from population or the national value), never left blank."""
    from lib.data import mark_retained

    reg = _regions()
    codes = reg["code"]
    pop = reg.set_index("code")["population"].astype(float)
    fig = mark_retained(figures)
    fig = fig[fig["retenu"]]
    r15 = fig[fig["niveau"] == "region2015"]
    nat = fig[fig["niveau"] == "France"]
    keys = pd.DataFrame({"code": codes, "nom": reg["nom"].to_numpy()}).set_index("code")
    keys["population"] = pop
    _add_production(keys, r15, nat, pop, year)
    _add_plus_plai_share(keys, r15, nat, year)
    _add_zone_weights(keys)
    _add_rehabilitation(keys, r15)
    # stock (all social landlords) and rents per m²
    keys["parc_social"], keys["nature_parc"] = _stock(fig, codes, pop, year)
    keys["loyer_m2"], keys["nature_loyer_m2"] = _rents(fig, reg)
    _add_contribution_bases(keys, year, figures)
    return keys.reset_index()


def _add_production(keys: pd.DataFrame, r15: pd.DataFrame, nat: pd.DataFrame, pop: pd.Series, year: int) -> None:
    """The year's production (all social landlords): a region without a figure gets its
    population's share of what the published regions leave of the national total."""
    codes = keys.index
    prod = r15[(r15["indicateur"] == "lls_finances") & (r15["annee"] == year)]
    known = prod.set_index("territoire_code")["valeur"].reindex(codes)
    nat_prod = nat[(nat["indicateur"] == "lls_finances") & (nat["annee"] == year)]
    if nat_prod.empty:
        raise DataError(f"Aucun chiffre national de logements sociaux financés pour {year}.")
    total = float(nat_prod["valeur"].iloc[0])
    keys["production"] = _residual_by_population(known, total, pop).to_numpy()
    keys["nature_production"] = np.where(
        known.isna(), ESTIME, prod.set_index("territoire_code")["nature"].reindex(codes).fillna(ESTIME)
    )


def _add_plus_plai_share(keys: pd.DataFrame, r15: pd.DataFrame, nat: pd.DataFrame, year: int) -> None:
    """Each region's PLUS+PLAI share of its production; the national share where the region's
    split is not published."""
    codes = keys.index
    parts = {}
    for kind in ("plai", "plus", "pls"):
        rows = r15[(r15["indicateur"] == f"lls_finances_{kind}") & (r15["annee"] == year)]
        parts[kind] = rows.set_index("territoire_code")["valeur"].reindex(codes)
    denom = parts["plai"] + parts["plus"] + parts["pls"]
    regional_share = (parts["plai"] + parts["plus"]) / denom
    national_share, _ = _national_plus_plai_share(nat, year)
    keys["part_plus_plai_region"] = regional_share.fillna(national_share).to_numpy()
    keys["nature_part_plus_plai"] = np.where(regional_share.isna(), ESTIME, CITE)


def _add_zone_weights(keys: pd.DataFrame) -> None:
    """The tense-zone weight (the population's share living in zones 1bis and 1) and the
    restructuring weight (the population of zone 3): estimates, population standing for housing."""
    zones = _zone_shares().reindex(keys.index).fillna(0.0)
    zone_pop = zones[["1bis", "1", "2", "3"]].sum(axis=1).replace(0, np.nan)
    keys["poids_zone_1_1bis"] = ((zones["1bis"] + zones["1"]) / zone_pop).fillna(0.0).to_numpy()
    keys["poids_restructuration"] = zones["3"].to_numpy()
    keys["nature_zone"] = ESTIME


def _add_rehabilitation(keys: pd.DataFrame, r15: pd.DataFrame) -> None:
    """The renovation weight: the cited 2012-2013 eco-loan counts (0 where a region has none)."""
    rehab = r15[(r15["indicateur"] == "rehab_eco_pls") & (r15["periode"] == "2012-2013")]
    rehab = rehab.set_index("territoire_code")["valeur"].reindex(keys.index)
    keys["poids_rehabilitation"] = rehab.fillna(0.0).to_numpy()
    keys["nature_rehabilitation"] = np.where(rehab.isna(), ESTIME, CITE)


def _add_contribution_bases(keys: pd.DataFrame, year: int, figures: pd.DataFrame) -> None:
    """The three contribution bases, calibrated on the campaign's national totals and spread by
    stock (dwellings) or by stock × rent (rents, CGLLS contribution)."""
    totals = national_bases(year, figures)
    stock = keys["parc_social"].to_numpy(float)
    rent_weight = stock * keys["loyer_m2"].to_numpy(float)
    keys["patrimoine_logements"] = totals.values["patrimoine_logements"] * stock / stock.sum()
    keys["loyers_eur"] = totals.values["loyers_eur"] * rent_weight / rent_weight.sum()
    keys["cotisation_cglls_eur"] = totals.values["cotisation_cglls_eur"] * rent_weight / rent_weight.sum()
    floor = DERIVE if totals.nature == DERIVE else ESTIME
    keys["nature_patrimoine"] = _worst(keys["nature_parc"], floor)
    # rents by region rest on a uniform surface per dwelling and a uniform HLM share: a model
    keys["nature_loyer"] = ESTIME
    keys["nature_cotisation_cglls"] = ESTIME  # rents share: the CGLLS reductions by region are unknown


@dataclass(frozen=True)
class NationalBases:
    """National totals of the three contribution bases used for one activity year."""

    campagne: int  # campaign whose bilan gave the totals
    values: Mapping[str, float]
    nature: str  # dérivé when the campaign of the year published them, estimé when borrowed
    sources: Mapping[str, str]
    note: str


def national_bases(year: int, figures: pd.DataFrame | None = None) -> NationalBases:
    """Totals of rents, stock and CGLLS dues of the contributing HLM bodies for the campaign on
    the activity of ``year`` (campaign ``year + 1``). Only campaign 2015 published them (as
    average ratios, lib.data / scripts/build_figures.py derive the totals); another year borrows
    the nearest campaign's totals, nature « estimé »."""
    from lib.data import mark_retained

    fig = mark_retained(_figures(figures))
    fig = fig[fig["retenu"] & (fig["niveau"] == "France")]
    campaign = int(year) + 1
    rows = fig[fig["indicateur"].isin(list(BASE_INDICATORS.values()))]
    available = sorted({int(p) for p in rows["periode"] if str(p).isdigit()})
    if not available:
        raise DataError("Aucun total national des bases de la cotisation dans les données (campagne 2015 attendue).")
    used = campaign if campaign in available else min(available, key=lambda c: (abs(c - campaign), -c))
    values, sources = {}, {}
    for base, indicator in BASE_INDICATORS.items():
        hit = rows[(rows["indicateur"] == indicator) & (rows["periode"] == str(used))]
        if hit.empty:
            raise DataError(f"Total national manquant pour la base « {base} » (campagne {used}).")
        values[base] = float(hit["valeur"].iloc[0])
        sources[base] = str(hit["source"].iloc[0])
    nature = DERIVE if used == campaign else ESTIME
    note = (
        f"totaux de la campagne {used}"
        if used == campaign
        else f"totaux de la campagne {used} repris pour la campagne {campaign}, qui n'a pas publié les siens"
    )
    return NationalBases(used, MappingProxyType(values), nature, MappingProxyType(sources), note)


def _stock(fig: pd.DataFrame, codes: pd.Series, pop: pd.Series, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Social rental stock per region near 1 January of ``year``."""
    r15 = fig[(fig["niveau"] == "region2015") & (fig["indicateur"] == "parc_locatif_social")].copy()
    r15["dist"] = (r15["annee"].astype(float) - year).abs()
    r15 = r15.sort_values(["territoire_code", "dist"]).drop_duplicates("territoire_code")
    known = r15.set_index("territoire_code")["valeur"].reindex(codes)
    nature = pd.Series(np.where(known.isna(), ESTIME, CITE), index=codes.to_numpy())
    # national metropolitan stock: France stock nearest the year minus the cited DOM stock
    fr = fig[(fig["niveau"] == "France") & (fig["indicateur"] == "parc_locatif_social")].copy()
    fr["dist"] = (fr["annee"].astype(float) - year).abs()
    national = float(fr.sort_values("dist")["valeur"].iloc[0])
    dom = fig[(fig["niveau"] == "groupe") & (fig["indicateur"] == "parc_locatif_social")]
    metro = national - (float(dom["valeur"].iloc[0]) if not dom.empty else 0.0)
    # cited shares of the 2010 metropolitan stock (note of the national 2010 row)
    shares = load_stock_shares()
    for code, share in shares.items():
        if code in known.index and pd.isna(known[code]):
            known[code] = share * metro
            nature[code] = DERIVE
    filled = _residual_by_population(known, metro, pop.reindex(codes.to_numpy()))
    return filled.to_numpy(), nature.to_numpy()


def load_stock_shares() -> Mapping[str, float]:
    """Cited regional shares of the social stock (data/mutualisation_hypotheses.yaml)."""
    tree = yaml.safe_load(HYPOTHESES_FILE.read_text(encoding="utf-8"))
    block = tree.get("parts_parc_citees", {})
    return MappingProxyType({str(k): float(v) for k, v in block.get("parts", {}).items()})


def _rents(fig: pd.DataFrame, reg: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    rents = fig[fig["indicateur"] == "loyer_moyen_m2"]
    by_r15 = rents[rents["niveau"] == "region2015"].sort_values("annee").drop_duplicates("territoire_code", keep="last")
    by_r16 = rents[rents["niveau"] == "region2016"].sort_values("annee").drop_duplicates("territoire_code", keep="last")
    r15 = by_r15.set_index("territoire_code")["valeur"]
    r16 = by_r16.set_index("territoire_code")["valeur"]
    values, natures = [], []
    metro_codes = set(reg["code"])
    for code, code16 in zip(reg["code"], reg["reg2016_code"].astype(str), strict=False):
        if code in r15.index:
            values.append(float(r15[code]))
            natures.append(CITE)
        elif code16 in r16.index:
            values.append(float(r16[code16]))
            natures.append(DERIVE)
        else:
            values.append(np.nan)
            natures.append(ESTIME)
    values = np.array(values)
    cited_outside_idf = [float(v) for c, v in r15.items() if c in metro_codes and c != "11"]
    cited_outside_idf += [
        float(v) for c, v in r16.items() if c not in ("11",) and c in set(reg["reg2016_code"].astype(str))
    ]
    fallback = float(np.mean(cited_outside_idf)) if cited_outside_idf else float(np.nanmean(values))
    values = np.where(np.isnan(values), fallback, values)
    return values, np.array(natures)


# ---------------------------------------------------------------------------------------------
# Inputs for the engine


def _water_fill(total: float, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Share ``total`` in proportion to ``weights`` without exceeding ``caps`` (leftover re-shared)."""
    out = np.zeros_like(weights, dtype=float)
    remaining = float(min(total, caps.sum()))
    active = (weights > 0) & (caps > 0)
    for _ in range(len(weights) + 1):
        if remaining <= 1e-9 or not active.any():
            break
        share = remaining * weights * active / (weights * active).sum()
        room = caps - out
        take = np.minimum(share, room)
        out += take
        remaining -= take.sum()
        active &= (caps - out) > 1e-9
    if remaining > 1e-6:  # zone weights cannot absorb it: fall back to production weights
        room = caps - out
        out += remaining * room / room.sum()
    return out


def build_inputs(
    assumptions: VolumeAssumptions, keys: pd.DataFrame, multipliers: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Engine inputs per region: national volumes spread by the keys (see module docstring).

    ``multipliers`` (region code → factor on that region's new production and rehabilitations)
    implement scenarios; the national totals then move with them.
    """
    a = assumptions.validate()
    k = keys.reset_index(drop=True)
    mult = np.array([float((multipliers or {}).get(c, 1.0)) for c in k["code"]])
    prod_w = k["production"].to_numpy(float)
    prod_w = prod_w / prod_w.sum() if prod_w.sum() > 0 else np.full(len(k), 1 / len(k))
    pp = prod_w * k["part_plus_plai_region"].to_numpy(float)
    pp = pp / pp.sum() if pp.sum() > 0 else prod_w
    plus_plai = a.production_hlm * a.part_plus_plai * pp
    z1_w = plus_plai * k["poids_zone_1_1bis"].to_numpy(float)
    z1 = _water_fill(a.part_zone_1_1bis * plus_plai.sum(), z1_w, plus_plai)
    z23 = plus_plai - z1
    rehab_w = k["poids_rehabilitation"].to_numpy(float)
    rehab_w = rehab_w / rehab_w.sum() if rehab_w.sum() > 0 else prod_w
    restr_w = k["poids_restructuration"].to_numpy(float)
    restr_w = restr_w / restr_w.sum() if restr_w.sum() > 0 else prod_w
    loyers = k["loyers_eur"].to_numpy(float)
    df = pd.DataFrame(
        {
            "code": k["code"].astype(str),
            "nom": k["nom"],
            "region_code": k["code"].astype(str),
            "logements_zone_1_1bis": z1 * mult,
            "logements_zone_2_3": z23 * mult,
            "prets_rehabilitation_eur": a.rehabilitation_hlm * rehab_w * a.pret_moyen_rehabilitation_eur * mult,
            "logements_restructures": a.logements_restructures * restr_w,
            "loyers_eur": loyers,
            "patrimoine_logements": k["patrimoine_logements"].to_numpy(float),
            "cotisation_cglls_eur": k["cotisation_cglls_eur"].to_numpy(float),
            "part_exoneree": a.part_exoneree,
        }
    )
    df["nature_production"] = _worst(k["nature_production"], DERIVE)
    df["nature_zone"] = k["nature_zone"].to_numpy()
    df["nature_rehabilitation"] = _worst(k["nature_rehabilitation"], DERIVE)
    df["nature_restructuration"] = ESTIME
    df["nature_patrimoine"] = k["nature_patrimoine"].to_numpy()
    df["nature_loyers"] = k["nature_loyer"].to_numpy()
    df["nature_cotisation_cglls"] = k["nature_cotisation_cglls"].to_numpy()
    df["nature_generale"] = [
        _worst_of(row) for row in df[[c for c in df.columns if c.startswith("nature_")]].itertuples(index=False)
    ]
    return df


def _worst(natures: pd.Series, floor: str) -> np.ndarray:
    """A regional share of a national assumption is at best ``floor`` (a cited share × an
    assumption is derived)."""
    return np.array([n if preference_rank(n) >= preference_rank(floor) else floor for n in natures])


def _worst_of(row) -> str:
    return max(row, key=preference_rank)


# ---------------------------------------------------------------------------------------------
# Scenarios


@dataclass(frozen=True)
class Scenario:
    key: str
    libelle: str
    description: str
    regions: tuple[str, ...] = ()


SCENARIOS: Mapping[str, Scenario] = MappingProxyType(
    {
        "base": Scenario("base", "Volumes de base", "Les volumes nationaux répartis par les clés régionales."),
        "prioritaires_objectif": Scenario(
            "prioritaires_objectif",
            "Île-de-France, PACA et Languedoc-Roussillon atteignent leur objectif",
            "Les trois régions nommées par le pacte (point 6 et annexe 5) portent leur production "
            "et leurs réhabilitations au niveau de leur objectif ; les autres régions ne changent "
            "pas, le total national augmente d'autant.",
        ),
    }
)


def objective_multipliers(year: int = 2013, figures: pd.DataFrame | None = None) -> dict[str, float]:
    """Factor that brings each priority region's production to its objective.

    Objective: the region's cited objective for the year when there is one (``objectif_lls``);
    otherwise the national gap applied to the region (national target for all social landlords
    ÷ national dwellings financed that year) — an estimate, since the pact gives no regional
    objective. Factors below 1 are kept at 1 (a region above its objective does not slow down).
    """
    from lib.data import mark_retained
    from lib.params import value

    fig = mark_retained(_figures(figures))
    fig = fig[fig["retenu"]]
    regions = [str(c) for c in value("objectifs.regions_prioritaires", year)]
    target_national = float(value("objectifs.production_tous_bailleurs", year))
    nat = fig[(fig["niveau"] == "France") & (fig["indicateur"] == "lls_finances") & (fig["annee"] == year)]
    national_gap = target_national / float(nat["valeur"].iloc[0]) if not nat.empty else 1.0
    keys = regional_keys(year, figures).set_index("code")
    out = {}
    for code in regions:
        obj = fig[
            (fig["niveau"] == "region2015")
            & (fig["territoire_code"] == code)
            & (fig["indicateur"] == "objectif_lls")
            & (fig["annee"] == year)
        ]
        if not obj.empty and code in keys.index and keys.loc[code, "production"] > 0:
            factor = float(obj["valeur"].iloc[0]) / float(keys.loc[code, "production"])
        else:
            factor = national_gap
        out[code] = max(factor, 1.0)
    return out


def scenario_multipliers(scenario: str, year: int = 2013) -> dict[str, float]:
    if scenario not in SCENARIOS:
        raise DataError(f"Scénario inconnu : « {scenario} ».")
    if scenario == "prioritaires_objectif":
        return objective_multipliers(year)
    return {}


# ---------------------------------------------------------------------------------------------
# One call for the page


def volume_modes() -> Mapping[str, str]:
    """French labels of the volume modes; the pact's volumes are read from the preset (itself
    read from data/pacte_parametres.yaml), never typed here."""
    from lib.fmt import fmt_int

    a = preset_assumptions()
    return MappingProxyType(
        {
            "pacte": f"Hypothèses du pacte ({fmt_int(a.production_hlm)} logements produits, "
            f"{fmt_int(a.rehabilitation_hlm)} réhabilités)",
            "donnees": "Chiffres cités de l'année (complétés par estimation)",
        }
    )


def default_assumptions(mode: str, year: int) -> VolumeAssumptions:
    """Starting values of the volume controls for a mode."""
    if mode == "pacte":
        return preset_assumptions()
    if mode == "donnees":
        return data_assumptions(year)[0]
    raise DataError(f"Mode de volumes inconnu : « {mode} ».")


def regional_inputs(assumptions: VolumeAssumptions, year: int = 2013, scenario: str = "base") -> pd.DataFrame:
    """Engine inputs for the page: keys of ``year``, national assumptions, scenario."""
    return build_inputs(assumptions, regional_keys(year), scenario_multipliers(scenario, year))


# ---------------------------------------------------------------------------------------------
# Inputs from an imported per-body file

#: engine input column <- column of the imported « organismes » frame (lib.importer)
BODY_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "logements_zone_1_1bis": "lls_zone_1_1bis",
        "logements_zone_2_3": "lls_zone_2_3",
        "prets_rehabilitation_eur": "prets_rehab_eur",
        "logements_restructures": "logements_restructures",
        "loyers_eur": "loyers_eur",
        "patrimoine_logements": "patrimoine_logements",
        "cotisation_cglls_eur": "cotisation_cglls_eur",
    }
)
BODY_NATURE_COLUMNS = (
    "nature_production",
    "nature_zone",
    "nature_rehabilitation",
    "nature_restructuration",
    "nature_patrimoine",
    "nature_loyers",
    "nature_cotisation_cglls",
    "nature_generale",
)
BODY_REQUIRED = ("organisme_id", "organisme_nom", "reg2015_code", *BODY_COLUMNS.values())


def inputs_from_bodies(frame: pd.DataFrame) -> pd.DataFrame:
    """Engine inputs from an imported « organismes » frame: one unit per HLM body.

    ``code`` = organisme_id, ``nom`` = organisme_nom (kept as given: it is data, escaped where it
    is displayed), ``region_code`` = reg2015_code, volumes and bases copied, ``part_exoneree`` =
    1 for a body marked ``exonere`` (missing = 0); ``dep_code`` kept when present. Every nature
    column is « importé ». Pure: the argument is not modified; the engine validates the values.
    """
    missing = [c for c in BODY_REQUIRED if c not in frame.columns]
    if missing:
        raise DataError("Fichier par organisme incomplet : colonnes manquantes " + ", ".join(missing) + ".")
    if "exonere" in frame.columns:
        exempt = frame["exonere"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        exempt = np.zeros(len(frame), dtype=bool)
    out = pd.DataFrame(
        {
            "code": frame["organisme_id"].astype(str).to_numpy(),
            "nom": frame["organisme_nom"].astype(str).to_numpy(),
            "region_code": frame["reg2015_code"].astype(str).to_numpy(),
            "dep_code": (
                frame["dep_code"].astype(object).to_numpy()
                if "dep_code" in frame.columns
                else np.full(len(frame), None, dtype=object)
            ),
            **{
                engine: pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                for engine, col in BODY_COLUMNS.items()
            },
            "part_exoneree": exempt.astype(float),
            **{col: np.full(len(frame), IMPORTE, dtype=object) for col in BODY_NATURE_COLUMNS},
        }
    )
    return out
