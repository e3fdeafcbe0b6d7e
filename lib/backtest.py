"""Replay the real mutualisation campaigns with the simulator and set its results beside the
published outcomes, figure by figure.

A campaign of year N shares out the aids of the loans signed in year N-1 (« activité »). The
replay runs the engine of ``lib.mutualisation`` on that year's cited volumes
(``lib.mutualisation_inputs.data_assumptions``), the regional keys of that year, the base
totals calibrated on the cited national totals (``national_bases``) and the pact's amounts in
force (``MutualisationParams.from_pact``). Nothing is tuned on the outcome: the published
figures are only read, in data/figures.csv (periode = campaign year), and compared.

Each compared figure says what the simulator gives, what was published (with its source, nature
and date), the gap in € (or in units) and in %, which of its inputs are estimated, and why a
figure cannot be simulated (the engine works by region, not by HLM body) or is only partly
comparable. A figure no source publishes for a campaign is listed as « non publié ».
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lib import fmt
from lib.errors import DataError
from lib.mutualisation import (
    STATUT_BENEFICIAIRE,
    STATUT_CONTRIBUTEUR,
    MutualisationParams,
    MutualisationResult,
    aggregate_by_region,
    simulate,
)
from lib.mutualisation_inputs import (
    VolumeAssumptions,
    controlled_volumes,
    data_assumptions,
    load_hypotheses,
    national_bases,
    regional_inputs,
    regional_keys,
)
from lib.natures import ESTIMATES, ESTIME, OFFICIEL
from lib.paths import DATA

CAMPAIGNS_FILE = DATA / "mutualisation_campagnes.yaml"
IDF = "11"
NOT_FOUND = "Non trouvé dans les sources consultées (voir data/SOURCES.md, « Mutualisation : résultats publiés »)."


@dataclass(frozen=True)
class Campaign:
    annee: int
    libelle: str
    activite: int
    regles: str
    ecarts: tuple[str, ...]
    sources: tuple[str, ...] = ()  # addresses the rules were read from (data/sources_adresses.csv)


@lru_cache(maxsize=2)
def load_campaigns(path: Path = CAMPAIGNS_FILE) -> Mapping[int, Campaign]:
    """The campaigns the app can replay (data/mutualisation_campagnes.yaml)."""
    try:
        tree = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"Fichier des campagnes de mutualisation illisible : {Path(path).name}.") from exc
    out = {}
    for year, c in (tree.get("campagnes") or {}).items():
        try:
            out[int(year)] = Campaign(
                annee=int(year),
                libelle=str(c["libelle"]),
                activite=int(c["activite"]),
                regles=" ".join(str(c["regles"]).split()),
                ecarts=tuple(" ".join(str(e).split()) for e in c.get("ecarts") or ()),
                sources=tuple(str(u).strip() for u in c.get("sources") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"Campagne « {year} » incomplète dans {Path(path).name}.") from exc
    return MappingProxyType(dict(sorted(out.items())))


def default_campaign(years: list[int], pact_years: list[int]) -> int:
    """The campaign shown first: that of the pact's last year (2015, from the parameter file),
    the last campaign the pact's amounts were set for; else the latest campaign in the file."""
    last = max(pact_years)
    return last if last in years else max(years)


@dataclass(frozen=True)
class Simulated:
    """What one replay produced, as the comparisons read it."""

    result: MutualisationResult
    regions: pd.DataFrame
    assumptions: VolumeAssumptions
    params: MutualisationParams


@dataclass(frozen=True)
class Comparison:
    key: str
    libelle: str
    indicateur: str  # indicator of data/figures.csv holding the published value
    unite: str  # "€", "organismes", "régions", "oui/non"
    genre: str  # « résultat » (a published outcome), « repère » (a limit), « annonce »
    simulated: Callable[[Simulated], float] | None
    territoire: str = "FR"
    non_simulable: str = ""
    comparabilite: str = ""
    #: besides the national volumes, the figure depends on the regional keys and bases
    par_region: bool = False


def _t(key: str) -> Callable[[Simulated], float]:
    return lambda s: float(s.result.totals[key])


def _count(statut: str) -> Callable[[Simulated], float]:
    return lambda s: float((s.regions["statut"] == statut).sum())


def _positive_balances(s: Simulated) -> float:
    bal = s.regions["solde_net_eur"].to_numpy(float)
    return float(bal[bal > 0].sum())


def _idf_beneficiary(s: Simulated) -> float:
    row = s.regions[s.regions["region_code"].astype(str) == IDF]
    return float(len(row) == 1 and row["statut"].iloc[0] == STATUT_BENEFICIAIRE)


BY_REGION = "Le simulateur calcule par région (22 unités), pas par organisme Hlm : il ne compte pas les organismes."
COMPARISONS: tuple[Comparison, ...] = (
    Comparison("fonds", "Fonds de la campagne (aides accordées)", "mutualisation_fonds", "€", "résultat",
               _t("fonds_total_eur")),
    Comparison("cotisation_loyers", "dont cotisation répartie selon les loyers", "mutualisation_contribution_loyers",
               "€", "résultat", _t("contribution_loyers_eur")),
    Comparison("cotisation_patrimoine", "dont cotisation répartie selon le patrimoine",
               "mutualisation_contribution_patrimoine", "€", "résultat", _t("contribution_patrimoine_eur")),
    Comparison("cotisation_cglls", "dont cotisation répartie selon la cotisation CGLLS",
               "mutualisation_contribution_cglls", "€", "résultat", _t("contribution_cglls_eur")),
    Comparison("organismes_beneficiaires", "Organismes bénéficiaires nets", "mutualisation_organismes_beneficiaires",
               "organismes", "résultat", None, non_simulable=BY_REGION),
    Comparison("organismes_contributeurs", "Organismes contributeurs nets", "mutualisation_organismes_contributeurs",
               "organismes", "résultat", None, non_simulable=BY_REGION),
    Comparison("organismes_solde_nul", "Organismes au solde nul", "mutualisation_organismes_solde_nul",
               "organismes", "résultat", None, non_simulable=BY_REGION),
    Comparison("organismes_exoneres", "Organismes exonérés (plan CGLLS)", "mutualisation_organismes_exoneres",
               "organismes", "résultat", None,
               non_simulable="La part des organismes sous plan CGLLS dans les volumes n'est pas publiée : le "
               "simulateur la fixe à 0 % et ne compte pas d'organismes."),
    Comparison("transferts_nets", "Transferts nets (soldes positifs cumulés)", "mutualisation_transferts_nets", "€",
               "résultat", _positive_balances,
               comparabilite="Comparaison partielle : le chiffre publié cumule les soldes des organismes ; le "
               "simulateur cumule des soldes régionaux, où contributeurs et bénéficiaires d'une même région se "
               "compensent. Le chiffre simulé est donc plus bas par construction.",
               par_region=True),
    Comparison("regions_beneficiaires", "Régions au solde net positif", "mutualisation_regions_beneficiaires",
               "régions", "résultat", _count(STATUT_BENEFICIAIRE), par_region=True),
    Comparison("regions_contributrices", "Régions au solde net négatif", "mutualisation_regions_contributrices",
               "régions", "résultat", _count(STATUT_CONTRIBUTEUR), par_region=True),
    Comparison("idf_beneficiaire", "Île-de-France au solde net positif", "mutualisation_region_beneficiaire",
               "oui/non", "résultat", _idf_beneficiary, territoire=IDF, par_region=True),
    Comparison("plafond", "Limite du fonds de la campagne", "mutualisation_plafond", "€", "repère",
               _t("fonds_total_eur"),
               comparabilite="Une limite, pas un résultat : l'écart dit de combien le fonds simulé la dépasse "
               "(écart positif) ou reste en deçà (écart négatif)."),
    Comparison("fonds_annonce", "Montant annoncé avant le calcul", "mutualisation_fonds_annonce", "€", "annonce",
               _t("fonds_total_eur"),
               comparabilite="Ordre de grandeur annoncé avant le calcul de la campagne, pas un résultat publié."),
)
#: the pact's own envelope (annex 1), read from data/pacte_parametres.yaml, not from figures.csv
PACT_ENVELOPE = "mutualisation.aides.enveloppe_indicative"
TABLE_COLUMNS = (
    "campagne", "cle", "libelle", "genre", "unite", "simule", "publie", "ecart", "ecart_pct", "statut",
    "nature_publie", "source", "date_source", "entrees_estimees", "remarque",
)


@dataclass(frozen=True)
class BacktestResult:
    campaign: Campaign
    table: pd.DataFrame  # TABLE_COLUMNS, one row per compared figure
    inputs: pd.DataFrame  # the replay's inputs with their nature and source
    simulated: Simulated
    estimated_inputs: tuple[str, ...]  # labels of the inputs that are estimated or assumed


def _figures(figures: pd.DataFrame | None) -> pd.DataFrame:
    if figures is not None:
        return figures
    from lib.data import load_figures

    return load_figures()


def run_campaign(campagne: int, figures: pd.DataFrame | None = None) -> BacktestResult:
    """Replay one campaign and compare it with what was published."""
    campaigns = load_campaigns()
    if int(campagne) not in campaigns:
        raise DataError(f"Campagne non rejouable : {campagne} (campagnes connues : {', '.join(map(str, campaigns))}).")
    c = campaigns[int(campagne)]
    fig = _figures(figures)
    volumes, natures = data_assumptions(c.activite, fig)
    params = MutualisationParams.from_pact(c.activite)
    keys = regional_keys(c.activite) if figures is None else regional_keys(c.activite, fig)
    from lib.mutualisation_inputs import build_inputs

    inputs = regional_inputs(volumes, c.activite) if figures is None else build_inputs(volumes, keys)
    result = simulate(inputs, params)
    regions = aggregate_by_region(result)
    sim = Simulated(result, regions, volumes, params)
    estimated = _estimated_inputs(natures, keys, c.activite, fig)
    table = _compare(c, sim, fig, natures, estimated)
    return BacktestResult(c, table, inputs_table(c, volumes, natures, keys, fig), sim, tuple(estimated))


def _published(fig: pd.DataFrame, indicateur: str, territoire: str, campagne: int) -> pd.Series | None:
    from lib.data import mark_retained

    df = mark_retained(fig)
    df = df[df["retenu"] & (df["indicateur"] == indicateur) & (df["periode"] == str(campagne))]
    df = df[df["territoire_code"] == territoire]
    return df.iloc[0] if len(df) else None


def _estimated_inputs(natures: Mapping[str, str], keys: pd.DataFrame, activite: int, fig: pd.DataFrame) -> list[str]:
    hyps = load_hypotheses()
    out = [f"{hyps[k].libelle} ({natures[k]})" for k in controlled_volumes() if natures.get(k) in ESTIMATES]
    for col, label in (("nature_production", "production par région"), ("nature_patrimoine", "patrimoine par région"),
                       ("nature_loyer", "loyers par région"), ("nature_cotisation_cglls", "cotisation CGLLS par région"),
                       ("nature_zone", "part en zones 1/1 bis par région")):
        n = int(pd.Series(keys[col]).isin(ESTIMATES).sum())
        if n:
            out.append(f"{label} ({n} régions estimées sur {len(keys)})")
    bases = national_bases(activite, fig)
    if bases.nature in ESTIMATES:
        out.append(f"totaux nationaux des bases ({bases.note})")
    return out


def _depends(comp: Comparison, natures: Mapping[str, str], estimated: list[str]) -> str:
    hyps = load_hypotheses()
    names = [hyps[k].libelle for k in controlled_volumes() if natures.get(k) in ESTIMATES]
    if comp.par_region:
        names += [e for e in estimated if "par région" in e or "totaux nationaux" in e]
    return " ; ".join(names)


def _compare(c: Campaign, sim: Simulated, fig: pd.DataFrame, natures: Mapping[str, str],
             estimated: list[str]) -> pd.DataFrame:
    rows = []
    for comp in COMPARISONS:
        pub = _published(fig, comp.indicateur, comp.territoire, c.annee)
        if pub is None and comp.genre != "résultat":
            continue  # a limit or an announcement only where one exists
        simulated = comp.simulated(sim) if comp.simulated is not None else np.nan
        published = float(pub["valeur"]) if pub is not None else np.nan
        if pub is None:
            statut, remarque = "non publié", NOT_FOUND + (f" {comp.non_simulable}" if comp.simulated is None else "")
        elif comp.simulated is None:
            statut, remarque = "non simulable", comp.non_simulable
        else:
            statut, remarque = ("comparé" if comp.genre == "résultat" else comp.genre), comp.comparabilite
        rows.append(_row(c.annee, comp.key, comp.libelle, comp.genre, comp.unite, simulated, published, statut,
                         pub, _depends(comp, natures, estimated) if comp.simulated is not None else "", remarque))
    rows.append(_pact_row(c, sim, natures, estimated))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def _row(campagne, key, libelle, genre, unite, simulated, published, statut, pub, entrees, remarque) -> dict[str, Any]:
    gap = simulated - published if np.isfinite(simulated) and np.isfinite(published) else np.nan
    pct = gap / published if np.isfinite(gap) and published != 0 else np.nan
    return {
        "campagne": campagne, "cle": key, "libelle": libelle, "genre": genre, "unite": unite,
        "simule": simulated, "publie": published, "ecart": gap, "ecart_pct": pct, "statut": statut,
        "nature_publie": _nature(pub), "source": "" if pub is None else str(pub["source"]),
        "date_source": "" if pub is None else str(pub.get("date_source", "") or ""),
        "entrees_estimees": entrees, "remarque": remarque,
    }


def _nature(pub: pd.Series | None) -> str:
    if pub is None:
        return ""
    from lib.sources import nature_label

    return nature_label(str(pub["nature"]), str(pub.get("source_type", "") or ""))


def pact_envelope_volumes(year: int = 2013) -> str:
    """« 120 000 logements produits et 100 000 réhabilités »: the volumes annex 1 priced its
    envelope on, read from data/pacte_parametres.yaml."""
    from lib.params import value

    built = value("mutualisation.aides.production_indicative", year)
    renovated = value("mutualisation.aides.rehabilitation_indicative", year)
    return f"{fmt.fmt_int(built)} logements produits et {fmt.fmt_int(renovated)} réhabilités"


def pact_envelope_note(year: int = 2013) -> str:
    """The help of the pact's envelope: « Annexe 1 du pacte : 280 M€ pour … réhabilités. »"""
    from lib.params import value

    envelope = fmt.fmt_meur(value(PACT_ENVELOPE, year), 0)
    return f"Annexe 1 du pacte\u00a0: {envelope} pour {pact_envelope_volumes(year)}."


def _pact_row(c: Campaign, sim: Simulated, natures: Mapping[str, str], estimated: list[str]) -> dict[str, Any]:
    """The pact's announced envelope beside the simulated fund (annex 1, 280 M€ for 2013)."""
    from lib.params import load_params
    from lib.sources import date_label

    p = load_params()[PACT_ENVELOPE]
    ref = p.references[0]
    row = _row(c.annee, "enveloppe_pacte", "Enveloppe annoncée par le pacte (annexe 1)", "repère", "€",
               float(sim.result.totals["fonds_total_eur"]), float(p.value(c.activite)), "repère", None,
               _depends(COMPARISONS[0], natures, estimated),
               f"Montant que le pacte annonçait pour {pact_envelope_volumes(c.activite)}, pas un résultat.")
    row.update(nature_publie=OFFICIEL, source=ref.href, date_source=date_label(ref.date))
    return row


def inputs_table(c: Campaign, volumes: VolumeAssumptions, natures: Mapping[str, str], keys: pd.DataFrame,
                 fig: pd.DataFrame) -> pd.DataFrame:
    """The replay's inputs: the national volumes and assumptions of the activity year, the base
    totals and the regional keys, each with its nature and where it comes from."""
    hyps = load_hypotheses()
    rows = []
    for k in controlled_volumes():
        h = hyps[k]
        v = getattr(volumes, k)
        shown = fmt.fmt_pct(v) if h.unite == "taux" else f"{fmt.fmt_int(v)} {h.unite}"
        rows.append({"Entrée": h.libelle, "Valeur": shown, "Nature": natures.get(k, h.nature),
                     "Estimée": "oui" if natures.get(k, h.nature) in ESTIMATES else "non",
                     "D'où vient-elle": _volume_origin(k, c.activite, natures.get(k, h.nature), h.justification)})
    bases = national_bases(c.activite, fig)
    labels = {"loyers_eur": ("Loyers et redevances pris en compte (total)", fmt.fmt_meur),
              "patrimoine_logements": ("Logements et foyers pris en compte (total)", lambda x: f"{fmt.fmt_int(x)} logements"),
              "cotisation_cglls_eur": ("Cotisations CGLLS prises en compte (total)", fmt.fmt_meur)}
    for base, (label, f) in labels.items():
        rows.append({"Entrée": label, "Valeur": f(bases.values[base]), "Nature": bases.nature,
                     "Estimée": "oui" if bases.nature in ESTIMATES else "non",
                     "D'où vient-elle": f"Bilan de la campagne {bases.campagne} ({bases.note}) : {bases.sources[base]}"})
    for col, label in (("nature_production", "Production par région"), ("nature_part_plus_plai", "Part PLUS-PLAI par région"),
                       ("nature_zone", "Part en zones 1/1 bis par région"),
                       ("nature_rehabilitation", "Réhabilitations par région (clé 2012-2013)"),
                       ("nature_patrimoine", "Patrimoine par région"), ("nature_loyer", "Loyers par région"),
                       ("nature_cotisation_cglls", "Cotisation CGLLS par région")):
        counts = pd.Series(keys[col]).value_counts()
        text = ", ".join(f"{fmt.fmt_int(n)} {nat}" for nat, n in counts.items())
        worst = ESTIME if any(n in ESTIMATES for n in counts.index) else str(counts.index[0])
        rows.append({"Entrée": label, "Valeur": f"{len(keys)} régions", "Nature": worst,
                     "Estimée": "oui" if worst in ESTIMATES else "non",
                     "D'où vient-elle": f"Régions : {text} (méthode : data/SOURCES.md)."})
    rows.append({"Entrée": "Montants de l'annexe 1 (aides, taux, répartition 50/25/25)",
                 "Valeur": f"en vigueur en {c.activite}", "Nature": OFFICIEL, "Estimée": "non",
                 "D'où vient-elle": "data/pacte_parametres.yaml (pacte du 8 juillet 2013, annexe 1)."})
    return pd.DataFrame(rows)


def _volume_origin(key: str, activite: int, nature: str, justification: str) -> str:
    origins = {
        "production_hlm": f"Logements sociaux financés en {activite} (métropole hors ANRU) × part Hlm du pacte.",
        "part_plus_plai": f"Répartition nationale PLAI/PLUS/PLS de {activite}"
                          + (" (année la plus proche, faute de chiffre de l'année)" if nature == ESTIME else "") + ".",
        "rehabilitation_hlm": "Réhabilitations par éco-prêt de l'année (tous bailleurs) × part Hlm du pacte"
                              + (" ; année la plus proche, faute de chiffre de l'année" if nature == ESTIME else "") + ".",
    }
    return origins.get(key, justification)


def run_all(figures: pd.DataFrame | None = None) -> dict[int, BacktestResult]:
    """Every campaign of data/mutualisation_campagnes.yaml, replayed."""
    return {year: run_campaign(year, figures) for year in load_campaigns()}


# ---------------------------------------------------------------------------------------------
# French text for the page and the exports


def _value(x: float, unite: str) -> str:
    if fmt.is_missing(x):
        return "—"
    if unite == "€":
        return fmt.fmt_meur(x)
    if unite == "oui/non":
        return "oui" if x >= 0.5 else "non"
    return fmt.fmt_int(x)


def _gap(x: float, unite: str) -> str:
    if fmt.is_missing(x):
        return "—"
    if unite == "€":
        return fmt.fmt_signed(x / 1e6, 1, "M€")
    if unite == "oui/non":
        return "identique" if abs(x) < 0.5 else "différent"
    return fmt.fmt_signed(x)


def campaign_screen_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as French text, figure by figure."""
    return pd.DataFrame({
        "Chiffre": table["libelle"],
        "Simulé": [_value(v, u) for v, u in zip(table["simule"], table["unite"])],
        "Publié": [_value(v, u) for v, u in zip(table["publie"], table["unite"])],
        "Écart": [_gap(v, u) for v, u in zip(table["ecart"], table["unite"])],
        "Écart (%)": [("—" if fmt.is_missing(p) or u == "oui/non" else fmt.fmt_signed(p * 100, 1, "%"))
                      for p, u in zip(table["ecart_pct"], table["unite"])],
        "Statut": table["statut"],
        "Nature du chiffre publié": table["nature_publie"],
        "Source": table["source"],
        "Date de la source": table["date_source"],
        "Entrées estimées en jeu": table["entrees_estimees"],
        "Remarque": table["remarque"],
    })


def campaign_export_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with numbers as numbers (CSV/XLSX), sources and their dates included; euros
    to the euro, counts whole, the relative gap to a tenth of a percent (0,280)."""
    from lib.exports import round_columns

    table = round_columns(table, {"simule": 0, "publie": 0, "ecart": 0, "ecart_pct": 3})
    return table.rename(columns={
        "campagne": "Campagne", "cle": "Clé", "libelle": "Chiffre", "genre": "Genre", "unite": "Unité",
        "simule": "Simulé", "publie": "Publié", "ecart": "Écart", "ecart_pct": "Écart relatif",
        "statut": "Statut", "nature_publie": "Nature du chiffre publié", "source": "Source",
        "date_source": "Date de la source", "entrees_estimees": "Entrées estimées en jeu", "remarque": "Remarque",
    })


def pact_gap_delta(fund_eur: float, year: int = 2013) -> tuple[str, str]:
    """(« −1,0 M€ », « par rapport aux 280,0 M€ du pacte ») for a metric's delta and its description."""
    from lib.params import value

    envelope = float(value(PACT_ENVELOPE, year))
    return fmt.fmt_signed((fund_eur - envelope) / 1e6, 1, "M€"), f"par rapport aux {fmt.fmt_meur(envelope)} du pacte"


def pact_gap_label(fund_eur: float, year: int = 2013) -> str:
    """« −121,0 M€ par rapport aux 280,0 M€ du pacte » for the fund's metric."""
    from lib.params import value

    envelope = float(value(PACT_ENVELOPE, year))
    return f"{fmt.fmt_signed((fund_eur - envelope) / 1e6, 1, 'M€')} par rapport aux {fmt.fmt_meur(envelope)} du pacte"


def campaign_sources(c: Campaign) -> pd.DataFrame:
    """The addresses a campaign's rules were read from, with publisher, type and date."""
    from lib.sources import date_label, load_registry

    reg = load_registry().set_index("url")
    rows = []
    for url in c.sources:
        r = reg.loc[url] if url in reg.index else None
        rows.append({
            "Source": url,
            "Éditeur": "" if r is None else r["editeur"],
            "Type d'adresse": "" if r is None else r["type_source"],
            "Date de la source": "" if r is None else date_label(r["date_publication"], r["date_consultation"],
                                                                  r["type_source"]),
        })
    return pd.DataFrame(rows, columns=["Source", "Éditeur", "Type d'adresse", "Date de la source"])
