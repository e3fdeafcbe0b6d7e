"""What the « Mutualisation » page shows, without Streamlit: controls, conversions, tables, chart,
map, comparisons, export sheets and the page's texts built from the pact's parameters.

Plain functions (no ``st``), unit-tested directly (tests/test_mutualisation_view.py);
``lib/ui/mutualisation.py`` draws them. Every control has a short key, which is also its URL
parameter (``bind="query-params"``); display values are in the control's unit (%, €, M€,
dwellings) and ``to_engine`` turns them into engine parameters and volume assumptions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

import altair as alt
import numpy as np
import pandas as pd

from lib import fmt, palettes
from lib import params as pact_parameters
from lib.errors import DataError
from lib.exports import round_columns
from lib.geo import region_names
from lib.mutualisation import (
    GOALSEEK_FIELDS,
    MutualisationParams,
    MutualisationResult,
    aggregate_by_region,
    count_by_statut,
    simulate,
)
from lib.mutualisation_inputs import (
    HYPOTHESES_FILE,
    SCENARIOS,
    VolumeAssumptions,
    controlled_volumes,
    load_hypotheses,
    preset_assumptions,
    regional_inputs,
)

YEARS = (2013, 2014, 2015)

# ---------------------------------------------------------------------------------------------
# Controls: what the user can move, in display units (%, €, M€, dwellings)


@dataclass(frozen=True)
class Control:
    key: str  # widget key = URL parameter
    group: str
    target: str  # "params" (MutualisationParams field), "volumes" (VolumeAssumptions), "meta"
    field: str
    label: str
    lo: float
    hi: float
    step: float
    scale: float = 1.0  # engine value = display value / scale
    kind: str = "slider"  # slider | toggle | select (a choice among a few: segmented control or radio)
    help: str = ""


def _pct(x: float) -> float:
    return round(x * 100, 6)


def _pact_control(path: str) -> Control:
    """A control for a pact parameter, as its leaf's ``controle`` block describes it."""
    from lib.params import load_params

    spec = load_params()[path].controle
    field = path.rsplit(".", 1)[-1]
    if spec.is_switch:
        return Control(spec.cle_url, spec.groupe, "params", field, spec.libelle, 0, 1, 1, kind="toggle")
    lo, hi, step = spec.bornes
    return Control(spec.cle_url, spec.groupe, "params", field, spec.libelle, lo, hi, step, scale=spec.echelle)


def _volume_control(field: str) -> Control:
    """A control for a volume assumption; key, scale, label, bounds and step from the
    hypotheses file (its ``controle`` block and ``bornes``)."""
    h = load_hypotheses()[field]
    if not h.cle_url:
        raise DataError(f"Hypothèse « {field} » sans bloc controle (cle_url) dans {HYPOTHESES_FILE.name}.")
    lo, hi, step = h.bornes
    scale = h.echelle
    return Control(h.cle_url, "volumes", "volumes", field, h.libelle, lo * scale, hi * scale, step * scale, scale,
                   help=h.justification)




def build_controls() -> tuple[Control, ...]:
    """The page's controls: the pact's parameters (data/pacte_parametres.yaml, ``controle``),
    then the volume assumptions (data/mutualisation_hypotheses.yaml), then the year and scenario."""
    from lib.mutualisation import pact_paths

    return (
        *(_pact_control(path) for path in pact_paths().values()),
        *(_volume_control(field) for field in controlled_volumes()),  # in the hypotheses file's order
        Control(
            "annee", "volumes", "meta", "annee", "Année des clés régionales", min(YEARS), max(YEARS), 1, kind="select"
        ),
        Control("scen", "volumes", "meta", "scenario", "Scénario de volumes", 0, 0, 0, kind="select"),
    )


@lru_cache(maxsize=1)
def controls() -> tuple[Control, ...]:
    """``build_controls()``, built on first use rather than on import: importing this module reads
    no data file, so a page can check its files first and name a damaged one in French
    (``lib.ui.data_check``), and ``run.py`` can preload it whatever the data."""
    return build_controls()


def control_by_key() -> Mapping[str, Control]:
    """Each control by its key (= its URL parameter)."""
    return _control_by_key(controls())


@lru_cache(maxsize=1)
def _control_by_key(all_controls: tuple[Control, ...]) -> Mapping[str, Control]:
    return MappingProxyType({c.key: c for c in all_controls})


GROUP_LABELS = {
    "aides": "Aides (annexe 1, calcul des aides)",
    "cotisation": "Répartition de la cotisation",
    "exonerations": "Exonérations (organismes sous plan CGLLS)",
    "volumes": "Volumes et hypothèses",
}


def default_values(year: int = 2013) -> dict[str, Any]:
    """Display values of every control for the pact's parameters and the preset (a new dict:
    the caller may change it)."""
    return dict(_default_values(controls(), _Loaded(pact_parameters.load_params()), _Loaded(load_hypotheses()), int(year)))


class _Loaded:
    """A loaded data file (immutable mapping) as a cache key: equal only to itself, so a file
    read again (caches emptied, another file) gives other defaults; the key holds its file, whose
    id cannot be reused while it is cached."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Loaded) and other.data is self.data

    def __hash__(self) -> int:
        return id(self.data)


@lru_cache(maxsize=8)
def _default_values(all_controls: tuple[Control, ...], _params: _Loaded, _hypotheses: _Loaded,
                    year: int) -> Mapping[str, Any]:
    """``default_values`` once per version of the pact's parameters and of the preset: a page
    run asks for them several times (controls, engine, share link, goal-seek), no control changes
    them. Read-only (shared between sessions)."""
    p = pact_params(year)
    v = preset_assumptions()
    out: dict[str, Any] = {}
    for c in all_controls:
        if c.target == "params":
            raw = getattr(p, c.field)
        elif c.target == "volumes":
            raw = getattr(v, c.field)
        else:
            raw = {"annee": year, "scenario": "base"}[c.field]
        out[c.key] = control_value(c, raw)
    return MappingProxyType(out)


def pact_params(year: int) -> MutualisationParams:
    """``MutualisationParams.from_pact(year)``, read once per version of the parameters file
    (the dataclass is frozen: sessions share it safely)."""
    return _pact_params(_Loaded(pact_parameters.load_params()), int(year))


@lru_cache(maxsize=8)
def _pact_params(_params: _Loaded, year: int) -> MutualisationParams:
    return MutualisationParams.from_pact(year)


def control_value(c: Control, raw: Any) -> Any:
    if c.kind == "toggle":
        return bool(raw)
    if c.kind == "select":
        return int(raw) if c.field == "annee" else str(raw)
    return float(round(float(raw) * c.scale, 6))


def to_engine(values: Mapping[str, Any]) -> tuple[MutualisationParams, VolumeAssumptions, int, str]:
    """Display values (widgets, URL, saved scenario) → engine parameters and volume assumptions."""
    base = default_values()
    by_key = control_by_key()
    merged = {**base, **{k: v for k, v in values.items() if k in by_key}}
    p_vals: dict[str, Any] = {}
    v_vals: dict[str, Any] = {}
    for c in controls():
        raw = merged[c.key]
        if c.target == "meta":
            continue
        val = bool(raw) if c.kind == "toggle" else float(raw) / c.scale
        (p_vals if c.target == "params" else v_vals)[c.field] = val
    year = int(merged["annee"])
    if year not in YEARS:
        raise DataError(f"Année non simulée : {year}.")
    scenario = str(merged["scen"])
    if scenario not in SCENARIOS:
        raise DataError(f"Scénario inconnu : « {scenario} ».")
    params = pact_params(year).replace(**p_vals)
    volumes = VolumeAssumptions.from_dict(v_vals)
    return params, volumes, year, scenario


def share_query(values: Mapping[str, Any]) -> str:
    """Query string holding the values that differ from the defaults (as bind does)."""
    base = default_values()
    diff = {}
    for k, v in values.items():
        if k in base and v != base[k]:
            # a choice (segmented control, radio) binds its displayed label, a toggle true/false
            if k == "scen":
                v = SCENARIOS[v].libelle
            diff[k] = str(v).lower() if isinstance(v, bool) else v
    return ("?" + urlencode(diff)) if diff else ""


def regional_only_keys() -> frozenset[str]:
    """The controls that describe volumes of the regional defaults: meaningless with a per-body file."""
    return frozenset(c.key for c in controls() if c.target in ("volumes", "meta"))


def engine_inputs(
    values: Mapping[str, Any], bodies: pd.DataFrame | None = None
) -> tuple[MutualisationParams, pd.DataFrame]:
    """Parameters from the controls and the units to simulate: ``bodies`` (engine inputs from
    ``inputs_from_bodies``) when given, else the regional defaults of the volume controls."""
    params, volumes, year, scenario = to_engine(values)
    if bodies is not None:
        return params, bodies
    return params, _regional_inputs(volumes, year, scenario).copy()


@lru_cache(maxsize=64)
def _regional_inputs(volumes: VolumeAssumptions, year: int, scenario: str) -> pd.DataFrame:
    """The regional defaults of a set of volume controls: moving an aid or a share does not
    rebuild them (shared between sessions: callers get a copy)."""
    return regional_inputs(volumes, year, scenario)


def compute(values: Mapping[str, Any], bodies: pd.DataFrame | None = None) -> tuple[MutualisationResult, pd.DataFrame]:
    """One call from control values to results: per-region result table (engine units).

    With ``bodies`` the engine runs per HLM body and the regions are sums of their bodies
    (``result.units`` keeps the per-body rows); otherwise it runs on the regional defaults.
    """
    result, inputs = simulation(values, bodies)
    return result, result_regions(result, inputs, bodies is not None)


def simulation(values: Mapping[str, Any], bodies: pd.DataFrame | None = None) -> tuple[MutualisationResult, pd.DataFrame]:
    """The engine's result for the control values, and the units it ran on. The totals (the
    fund) are known here: the page shows them before it sums the regions (``result_regions``)."""
    params, inputs = engine_inputs(values, bodies)
    return simulate(inputs, params), inputs


def result_regions(result: MutualisationResult, inputs: pd.DataFrame, bodies_in_use: bool) -> pd.DataFrame:
    """The per-region table of a ``simulation``, with each region's name and the nature of its inputs."""
    regions = aggregate_by_region(result)
    if bodies_in_use:
        names = region_names()
        regions["nom"] = [names.get(c, c) for c in regions["region_code"]]
        regions["nature"] = inputs["nature_generale"].iloc[0] if len(inputs) else ""
        return regions
    names = dict(zip(inputs["code"], inputs["nom"]))
    natures = dict(zip(inputs["code"], inputs["nature_generale"]))
    regions["nom"] = [names.get(c) for c in regions["region_code"]]
    regions["nature"] = [natures.get(c) for c in regions["region_code"]]
    return regions


# ---------------------------------------------------------------------------------------------
# Tables, exports, chart, map (pure builders)

EXPORT_COLUMNS = {
    "region_code": "Code région",
    "nom": "Région",
    "logements_zone_1_1bis": "Logements PLUS-PLAI zones 1/1 bis",
    "logements_zone_2_3": "Logements PLUS-PLAI zones 2/3",
    "prets_rehabilitation_eur": "Éco-prêts et PAM signés (€)",
    "logements_restructures": "Logements restructurés",
    "aide_zone_1_1bis_eur": "Aide production zones 1/1 bis (€)",
    "aide_zone_2_3_eur": "Aide production zones 2/3 (€)",
    "aide_rehabilitation_eur": "Aide réhabilitation (€)",
    "aide_restructuration_eur": "Aide restructuration (€)",
    "aide_totale_eur": "Aides reçues (€)",
    "contribution_loyers_eur": "Cotisation part loyers (€)",
    "contribution_patrimoine_eur": "Cotisation part patrimoine (€)",
    "contribution_cglls_eur": "Cotisation part CGLLS (€)",
    "contribution_totale_eur": "Cotisation versée (€)",
    "solde_net_eur": "Solde net (€)",
    "statut": "Statut",
    "nature": "Nature des données d'entrée",
}


def regions_screen_table(regions: pd.DataFrame) -> pd.DataFrame:
    """The results table as French text (exact formats, no locale surprises in the grid)."""
    t = regions.sort_values("solde_net_eur", ascending=False)
    return pd.DataFrame(
        {
            "Région": t["nom"].astype(str),
            "Aides reçues": t["aide_totale_eur"].map(fmt.fmt_meur),
            "dont production": (t["aide_zone_1_1bis_eur"] + t["aide_zone_2_3_eur"]).map(fmt.fmt_meur),
            "dont réhabilitation": t["aide_rehabilitation_eur"].map(fmt.fmt_meur),
            "dont restructuration": t["aide_restructuration_eur"].map(lambda x: fmt.fmt_meur(x, 2)),
            "Cotisation versée": t["contribution_totale_eur"].map(fmt.fmt_meur),
            "Solde net": t["solde_net_eur"].map(lambda x: fmt.fmt_signed(x / 1e6, 1, "M€")),
            "Statut": t["statut"],
            "Données": t["nature"],
        }
    )


def _fast_num(values: Sequence[float]) -> list[str]:
    """Whole numbers in French format, as ``fmt.fmt_num(x, 0)`` writes them (narrow no-break
    space between thousands), without babel's per-cell cost: a table of 800 bodies is formatted
    on every slider move (tests/test_page_mutualisation.py checks it against lib.fmt)."""
    return [f"{abs(float(x)):,.0f}".replace(",", "\u202f") for x in values]


def _fast_eur(values: Sequence[float]) -> list[str]:
    return [f"{n}\u00a0€" for n in _fast_num(values)]


def _fast_signed_eur(values: Sequence[float]) -> list[str]:
    signs = ["+" if float(x) > 0 else ("−" if float(x) < 0 else "") for x in values]
    return [f"{s}{n}\u00a0€" for s, n in zip(signs, _fast_num(values), strict=True)]


def body_table(units: pd.DataFrame) -> pd.DataFrame:
    """Results per HLM body as French text, for ``st.dataframe`` (which shows names as text)."""
    t = units.sort_values("solde_net_eur", ascending=False)
    names = region_names()
    return pd.DataFrame(
        {
            "Organisme": t["nom"].astype(str),
            "Identifiant": t["code"].astype(str),
            "Région": [names.get(c, c) for c in t["region_code"].astype(str)],
            "Exonéré": np.where(t["part_exoneree"].to_numpy(float) > 0, "oui", "non"),
            "Aides reçues": _fast_eur(t["aide_totale_eur"]),
            "dont production": _fast_eur(t["aide_zone_1_1bis_eur"] + t["aide_zone_2_3_eur"]),
            "dont réhabilitation": _fast_eur(t["aide_rehabilitation_eur"]),
            "dont restructuration": _fast_eur(t["aide_restructuration_eur"]),
            "Cotisation versée": _fast_eur(t["contribution_totale_eur"]),
            "Solde net": _fast_signed_eur(t["solde_net_eur"]),
            "Statut": t["statut"].astype(str),
        }
    )


BODY_EXPORT_COLUMNS = {
    "code": "Identifiant",
    "nom": "Organisme",
    "region_code": "Code région",
    "part_exoneree": "Exonéré (1 = oui)",
    **{k: v for k, v in EXPORT_COLUMNS.items() if k not in ("region_code", "nom", "nature")},
}


def _export_decimals(columns) -> dict[str, int]:
    """Euros to the euro, dwellings whole; a body's exempt share to the hundredth."""
    return {c: (2 if c.startswith("Exonéré") else 0) for c in columns
            if c.endswith("(€)") or c.startswith("Logements") or c.startswith("Exonéré")}


def regions_export_frame(regions: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in EXPORT_COLUMNS if c in regions.columns]
    out = regions[cols].rename(columns=EXPORT_COLUMNS)
    return round_columns(out, _export_decimals(out.columns))


def export_bodies(units: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in BODY_EXPORT_COLUMNS if c in units.columns]
    out = units[cols].rename(columns=BODY_EXPORT_COLUMNS)
    return round_columns(out, _export_decimals(out.columns))



def flows_frame(regions: pd.DataFrame) -> pd.DataFrame:
    """Aids received and contribution paid by region, one row per region and flow (M€ and the
    amount in French text), with the net balance the chart sorts on."""
    names = regions["nom"].astype(str).to_numpy()
    aids, paid = regions["aide_totale_eur"].to_numpy(float), regions["contribution_totale_eur"].to_numpy(float)
    solde = regions["solde_net_eur"].to_numpy(float)
    n = len(names)
    return pd.DataFrame({
        "Région": np.concatenate([names, names]),
        "Flux": ["Aides reçues"] * n + ["Cotisation versée"] * n,
        "M€": np.concatenate([aids, paid]) / 1e6,
        "Montant": [fmt.fmt_meur(x) for x in (*aids, *paid)],
        "solde": np.concatenate([solde, solde]),
    })


@lru_cache(maxsize=1)
def _flows_chart_template() -> str:
    from lib.charts import french, to_spec

    chart = (
        alt.Chart(flows_frame(pd.DataFrame(columns=["nom", "aide_totale_eur", "contribution_totale_eur",
                                                    "solde_net_eur"])))
        .mark_bar()
        .encode(
            y=alt.Y("Région:N", sort=alt.EncodingSortField(field="solde", op="max", order="descending"), title=None),
            yOffset="Flux:N",
            x=alt.X("M€:Q", title="Millions d'euros", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "Flux:N",
                title=None,
                scale=alt.Scale(domain=list(palettes.FLOWS), range=list(palettes.FLOWS.values())),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[alt.Tooltip("Région:N"), alt.Tooltip("Flux:N"), alt.Tooltip("Montant:N")],
        )
        .properties(height=alt.Step(12), width="container")
    )
    return json.dumps(to_spec(french(chart, FLOWS_ALT)), ensure_ascii=False)


def flows_chart(regions: pd.DataFrame) -> dict:
    """Aids received vs contribution paid by region (M€, French formats), as a Vega-Lite spec for
    ``st.vega_lite_chart``. The spec is built once; only its data changes with the simulation,
    so the browser updates the chart in place when a slider moves."""
    spec = json.loads(_flows_chart_template())
    (name,) = spec["datasets"]
    spec["datasets"][name] = flows_frame(regions)
    return spec


FLOWS_ALT = ("Aides reçues et cotisation versée par région, en millions d'euros, régions classées du "
             "solde le plus favorable au moins favorable")


def flows_scale(regions: pd.DataFrame) -> palettes.DivergingScale:
    """Seven classes of net balance centred on zero, clipped at the 90th percentile of the
    absolute balances (``palettes.diverging_scale``): Île-de-France's balance alone no longer
    washes every other region out to white."""
    return palettes.diverging_scale(regions["solde_net_eur"].tolist(), quantile=0.9)


def flows_legend(scale: palettes.DivergingScale) -> list[tuple[str, str]]:
    """The value legend of the balance map, in M€, from the largest contribution to the largest aid."""
    return scale.legend(lambda x: fmt.fmt_signed(x / 1e6, 1, "M€"))


def flow_colour(solde: float, bound: float) -> str:
    """Colour of a balance on a scale clipped at ±``bound`` (orange = net contributor, blue = net
    beneficiary, light grey ≈ 0)."""
    scale = palettes.DivergingScale(bound, tuple(bound * k / 5 for k in (-5, -3, -1, 1, 3, 5))) if bound > 0 \
        else palettes.DivergingScale(0.0, ())
    return scale.colour(solde)


FLOWS_TOOLTIP = (
    ("Région", "Région"),
    ("Solde", "Solde net"),
    ("Aides", "Aides reçues"),
    ("Cotisation", "Cotisation versée"),
    ("Statut", "Statut"),
)
NO_BODY = "aucun organisme dans le fichier"
NOT_SIMULATED = "hors de la simulation (pas de données d'entrée)"


def flows_values(regions: pd.DataFrame, absent: str = NOT_SIMULATED,
                 scale: palettes.DivergingScale | None = None) -> pd.DataFrame:
    """The values of the map of net balances: one row for each of the 27 regions, its colour in
    the classes of ``scale`` (default ``flows_scale``: the colour is computed here, the map's spec
    never changes) and French tooltip texts (plain text: the map escapes them). A region without result
    (outside the regional defaults, or no body of an imported file in it) is left uncoloured and
    says so (``absent``). The nature of the inputs is said under the map, not drawn (``nature``
    empty: no outline)."""
    by_code = {str(c): i for i, c in enumerate(regions["region_code"])}
    solde = regions["solde_net_eur"].to_numpy(float)
    scale = scale or flows_scale(regions)
    aides, cotis = regions["aide_totale_eur"].to_numpy(float), regions["contribution_totale_eur"].to_numpy(float)
    statuts = regions["statut"].astype(str).to_numpy()
    rows = []
    for code, name in region_names().items():
        i = by_code.get(code)
        if i is not None:
            rows.append({"code": code, "couleur": scale.colour(solde[i]), "nature": "",
                         "Région": name, "Solde": fmt.fmt_signed(solde[i] / 1e6, 1, "M€"),
                         "Aides": fmt.fmt_meur(aides[i]), "Cotisation": fmt.fmt_meur(cotis[i]), "Statut": statuts[i]})
        else:
            rows.append({"code": code, "couleur": "", "nature": "", "Région": name, "Solde": "—", "Aides": "—",
                         "Cotisation": "—", "Statut": absent})
    out = pd.DataFrame(rows)
    out["description"] = [f"{n} : solde net {s} ({st})" for n, s, st in zip(out["Région"], out["Solde"], out["Statut"])]
    return out


FLOWS_MAP_TITLE = "Solde net de la mutualisation par région"
FLOWS_MAP_ALT = ("Carte des soldes nets de la mutualisation par région : orange, région contributrice nette ; "
                 "bleu, bénéficiaire nette ; chiffres dans l'onglet Tableau")
FLOWS_SOURCES = "Source : simulation de l'annexe 1 du pacte (paramètres et hypothèses affichés)"
FLOWS_SCALE_NOTE = ("Échelle bornée au 9e décile des soldes : les soldes plus grands sont dans les classes "
                    "extrêmes.")
FLOWS_READING = "Orange : contributrice nette ; bleu : bénéficiaire nette."


def flows_map(regions: pd.DataFrame, bodies_in_use: bool = False, height: int = 520,
              scale: palettes.DivergingScale | None = None) -> dict:
    """Choropleth of net balances by region (Vega-Lite spec, lib/offline_map.py): the geometry is
    fixed, only the values change, so the map is recoloured in place when a slider moves. Its
    accessible name (``FLOWS_MAP_ALT``) is fixed too."""
    from lib.offline_map import choropleth_spec

    values = flows_values(regions, NO_BODY if bodies_in_use else NOT_SIMULATED, scale)
    return choropleth_spec(values, FLOWS_TOOLTIP, height=height, hatch_missing=False, description=FLOWS_MAP_ALT)


def flows_map_legend(values: pd.DataFrame, scale: palettes.DivergingScale) -> list[tuple[str, str]]:
    """``flows_legend``, plus the grey of the regions without result when the map has any."""
    from lib.offline_map import MISSING_FILL

    legend = flows_legend(scale)
    absent = values.loc[values["couleur"] == "", "Statut"]
    if len(absent):
        legend.append((str(absent.iloc[0]), MISSING_FILL))
    return legend


def flows_sentence(regions: pd.DataFrame) -> str:
    """The map in one sentence (its twin for a reader who does not see it): how many regions pay
    and receive, and the largest balance on each side."""
    r = regions.dropna(subset=["solde_net_eur"])
    if r.empty:
        return "Aucune région simulée."
    pay, get = r[r["solde_net_eur"] < 0], r[r["solde_net_eur"] > 0]
    parts = [f"{len(pay)} région{'s' if len(pay) > 1 else ''} contributrice{'s' if len(pay) > 1 else ''} nette"
             f"{'s' if len(pay) > 1 else ''}, {len(get)} bénéficiaire{'s' if len(get) > 1 else ''} nette"
             f"{'s' if len(get) > 1 else ''}"]
    if len(pay):
        low = pay.loc[pay["solde_net_eur"].idxmin()]
        parts.append(f"plus forte contribution nette : {low['nom']} ({fmt.fmt_signed(low['solde_net_eur'] / 1e6, 1, 'M€')})")
    if len(get):
        high = get.loc[get["solde_net_eur"].idxmax()]
        parts.append(f"plus forte aide nette : {high['nom']} ({fmt.fmt_signed(high['solde_net_eur'] / 1e6, 1, 'M€')})")
    return "En bref : " + " ; ".join(parts) + "."


def compare_scenarios(
    named: Mapping[str, Mapping[str, Any]], bodies: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Totals side by side and net balance by region with deltas against the first scenario
    (on the imported bodies when ``bodies`` is given)."""
    totals, balances = {}, {}
    for name, values in named.items():
        result, regions = compute(values, bodies)
        t = result.totals
        totals[name] = {
            "Fonds total": t["fonds_total_eur"],
            "Aides production": t["aide_zone_1_1bis_eur"] + t["aide_zone_2_3_eur"],
            "Aides réhabilitation": t["aide_rehabilitation_eur"],
            "Aides restructuration": t["aide_restructuration_eur"],
            "Contributeurs nets": count_by_statut(regions)["contributeur net"],
            "Bénéficiaires nets": count_by_statut(regions)["bénéficiaire net"],
        }
        balances[name] = regions.set_index("nom")["solde_net_eur"]
    names = list(named)
    tot = pd.DataFrame(totals)
    bal = pd.DataFrame(balances)
    ref = names[0]
    for other in names[1:]:
        tot[f"Écart {other} − {ref}"] = tot[other] - tot[ref]
        bal[f"Écart {other} − {ref}"] = bal[other] - bal[ref]
    return tot, bal


def format_compare(tot: pd.DataFrame, bal: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    def cell(row_name, col, v):
        if row_name in ("Contributeurs nets", "Bénéficiaires nets"):
            return fmt.fmt_signed(v) if col.startswith("Écart") else fmt.fmt_int(v)
        return fmt.fmt_signed(v / 1e6, 1, "M€") if col.startswith("Écart") else fmt.fmt_meur(v)

    t = pd.DataFrame({c: [cell(r, c, tot.loc[r, c]) for r in tot.index] for c in tot.columns}, index=tot.index)
    b = bal.map(lambda v: fmt.fmt_signed(v / 1e6, 1, "M€"))
    return t.reset_index(names=""), b.reset_index(names="Région (solde net)")


def goalseek_controls() -> Mapping[str, Control]:
    """The controls the goal-seek can adjust, by engine field, in the page's order."""
    return MappingProxyType({c.field: c for c in controls() if c.field in GOALSEEK_FIELDS})


# the lazy expanders under the two breakdown tables, holding their grids (sort, CSV)
PARTS_GRID_LABEL = "Trier ou télécharger les aides"
CONTRIB_GRID_LABEL = "Trier ou télécharger la cotisation"


def breakdown_tables(totals: Mapping[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fund's aids by kind and the contribution by base, as French text."""
    parts = pd.DataFrame(
        {
            "Aides": [
                "Production zones 1/1 bis",
                "Production zones 2/3",
                "Réhabilitation",
                "Restructuration",
                "Frais de gestion",
            ],
            "Montant": [
                fmt.fmt_meur(totals[k])
                for k in (
                    "aide_zone_1_1bis_eur",
                    "aide_zone_2_3_eur",
                    "aide_rehabilitation_eur",
                    "aide_restructuration_eur",
                    "frais_gestion_eur",
                )
            ],
        }
    )
    contrib = pd.DataFrame(
        {
            "Cotisation": ["Selon les loyers", "Selon le patrimoine", "Selon la cotisation CGLLS"],
            "Montant": [
                fmt.fmt_meur(totals[k])
                for k in ("contribution_loyers_eur", "contribution_patrimoine_eur", "contribution_cglls_eur")
            ],
        }
    )
    return parts, contrib


def hypotheses_table() -> pd.DataFrame:
    """The preset's assumptions, their value, nature and justification (French text)."""
    h = load_hypotheses()
    return pd.DataFrame(
        {
            "Hypothèse": [x.libelle for x in h.values()],
            "Valeur": [
                fmt.fmt_pct(x.valeur) if x.unite == "taux" else f"{fmt.fmt_num(x.valeur)} {x.unite}"
                for x in h.values()
            ],
            "Nature": [x.nature for x in h.values()],
            "Justification": [x.justification for x in h.values()],
        }
    )


# ---------------------------------------------------------------------------------------------
# Texts of the page that quote the pact: built from data/pacte_parametres.yaml, never typed


def split_note(year: int = 2013) -> str:
    """« Les trois parts doivent totaliser 100 % (annexe 1 : 50 %, 25 %, 25 %). » from the parameters."""
    from lib.params import value

    shares = [
        fmt.fmt_pct(value(f"mutualisation.cotisation.{name}", year), 0)
        for name in ("part_loyers", "part_patrimoine", "part_cotisation_cglls")
    ]
    return f"Les trois parts doivent totaliser {fmt.fmt_pct(1, 0)} (annexe 1 : {', '.join(shares)})."


def data_volumes_help() -> str:
    """Help of the « chiffres cités de l'année » button, with the HLM share of the preset."""
    share = load_hypotheses()["part_hlm_production_financee"].valeur
    return (
        f"Production financée de l'année × part Hlm ({fmt.fmt_pct(share, 0)}), réhabilitations "
        "par éco-prêt 2012-2013 ÷ 2."
    )


def goalseek_intro(year: int = 2013) -> str:
    """Text above the goal-seek, quoting the pact's indicative fund."""
    from lib.params import value

    fund = fmt.fmt_meur(value("mutualisation.aides.enveloppe_indicative", year), 0)
    return (
        "Trouver la valeur d'un paramètre qui amène le fonds à un total donné "
        f"(par exemple l'aide en zone 1/1 bis qui garde le fonds à {fund} quand les volumes changent)."
    )


# ---------------------------------------------------------------------------------------------
# The « Paramètres » sheet of the Excel export


def _unit(c: Control) -> str:
    """The unit of a control's display value."""
    from lib.mutualisation import pact_paths
    from lib.params import load_params

    if c.kind == "toggle":
        return ""
    if c.target == "params":
        return load_params()[pact_paths()[c.field]].controle.unite
    if c.scale == 100:
        return "%"
    if c.target == "volumes":
        return load_hypotheses()[c.field].unite
    return "année" if c.field == "annee" else ""


def _description(c: Control, raw: Any) -> str:
    from lib.mutualisation import pact_paths
    from lib.params import load_params

    if c.target == "params":
        p = load_params()[pact_paths()[c.field]]
        return f"{p.description} ({p.reference})"
    if c.target == "volumes":
        return load_hypotheses()[c.field].justification
    if c.field == "scenario":
        scenario = SCENARIOS.get(str(raw))
        return scenario.description if scenario else ""
    return "Année dont les chiffres cités répartissent les volumes nationaux entre les régions."


def parameters_sheet(values: Mapping[str, Any]) -> pd.DataFrame:
    """One row per control: French label, value (a number as a number, « oui »/« non » for a
    switch, the scenario's French name), unit and the parameter's description."""
    rows = []
    for key, raw in values.items():
        c = control_by_key().get(key)
        if c is None:
            continue
        if c.kind == "toggle":
            shown: Any = "oui" if bool(raw) else "non"
        elif c.field == "scenario":
            shown = SCENARIOS[str(raw)].libelle if str(raw) in SCENARIOS else str(raw)
        else:
            try:
                shown = float(raw) if c.kind == "slider" else int(raw)
                if isinstance(shown, float) and shown.is_integer():
                    shown = int(shown)
            except (TypeError, ValueError):
                shown = str(raw)
        rows.append({"Paramètre": c.label, "Valeur": shown, "Unité": _unit(c), "Description": _description(c, raw)})
    return pd.DataFrame(rows, columns=["Paramètre", "Valeur", "Unité", "Description"])
