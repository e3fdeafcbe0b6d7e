"""Page « Mutualisation »: controls, live results, scenarios, goal-seek (Streamlit glue).

Pure builders (controls spec, conversions, tables, chart, map, exports, URL) come first and never
call ``st``; ``render_page`` wires them. Every control has a short key bound to the URL
(``bind="query-params"``): a value that differs from the default appears in the query string, so
the address of the page reproduces the scenario. Session state keys of this page all start with
``mut_`` (declared in ``STATE_KEYS``); the controls' keys are the ``Control.key`` below.

When the session holds an imported per-body file (``lib.ui.imported()["organismes"]``), the engine
runs on one unit per HLM body (``inputs_from_bodies``) with the current aid, split and exemption
controls, and results are summed into regions for the chart, map and table; the volume controls
(national volumes, year of the regional keys, scenario, exempt share) are then disabled, since
the file gives each body's volumes and exemption.
"""

from __future__ import annotations

import html
import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import altair as alt
import folium
import numpy as np
import pandas as pd
import streamlit as st

from lib import fmt, store
from lib.errors import DataError
from lib.mutualisation import (
    GOALSEEK_FIELDS,
    MutualisationParams,
    MutualisationResult,
    aggregate_by_region,
    count_by_statut,
    goal_seek,
    simulate,
)
from lib.mutualisation_inputs import (
    SCENARIOS,
    VolumeAssumptions,
    data_assumptions,
    inputs_from_bodies,
    load_hypotheses,
    preset_assumptions,
    regional_inputs,
)

YEARS = (2013, 2014, 2015)
STATE_KEYS = {
    "message": "mut_message",  # one-shot message after a callback (saved, loaded, applied)
    "goalseek": "mut_goalseek",  # last goal-seek result
    "timing": "mut_timing_ms",  # last compute time, for the page and the bench
}


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
    kind: str = "slider"  # slider | toggle | select
    help: str = ""


def _pct(x: float) -> float:
    return round(x * 100, 6)


def build_controls() -> tuple[Control, ...]:
    """The page's controls; bounds of the volume assumptions come from the hypotheses file."""
    h = load_hypotheses()

    def vol(key, field, scale=1.0):
        lo, hi, step = h[field].bornes
        return Control(
            key,
            "volumes",
            "volumes",
            field,
            h[field].libelle,
            lo * scale,
            hi * scale,
            step * scale,
            scale,
            help=h[field].justification,
        )

    return (
        Control(
            "a_z1",
            "aides",
            "params",
            "aide_zone_1_1bis_eur",
            "Aide par logement PLUS/PLAI en zone 1 ou 1 bis (€)",
            0,
            10000,
            100,
        ),
        Control(
            "a_z23",
            "aides",
            "params",
            "aide_zone_2_3_eur",
            "Aide par logement PLUS/PLAI en zone 2 ou 3 (€)",
            0,
            10000,
            100,
        ),
        Control(
            "t_rehab",
            "aides",
            "params",
            "taux_rehabilitation",
            "Aide à la réhabilitation (% des éco-prêts et prêts PAM)",
            0,
            20,
            0.5,
            100,
        ),
        Control(
            "a_restr",
            "aides",
            "params",
            "aide_restructuration_eur",
            "Aide par logement restructuré en zone détendue (€)",
            0,
            5000,
            50,
        ),
        Control(
            "plaf_restr",
            "aides",
            "params",
            "plafond_restructuration_logements",
            "Limite annuelle de logements restructurés aidés",
            0,
            50000,
            500,
        ),
        Control("p_loyers", "cotisation", "params", "part_loyers", "Part selon les loyers (%)", 0, 100, 1, 100),
        Control("p_patr", "cotisation", "params", "part_patrimoine", "Part selon le patrimoine (%)", 0, 100, 1, 100),
        Control(
            "p_cglls",
            "cotisation",
            "params",
            "part_cotisation_cglls",
            "Part selon la cotisation CGLLS (%)",
            0,
            100,
            1,
            100,
        ),
        Control(
            "frais",
            "cotisation",
            "params",
            "frais_gestion_eur",
            "Frais de gestion du dispositif (M€)",
            0,
            50,
            0.5,
            1e-6,
        ),
        Control(
            "exo_cot",
            "exonerations",
            "params",
            "exoneres_cotisent",
            "Les organismes sous plan CGLLS cotisent",
            0,
            1,
            1,
            kind="toggle",
        ),
        Control(
            "exo_aides",
            "exonerations",
            "params",
            "exoneres_recoivent_aides",
            "Les organismes sous plan CGLLS reçoivent les aides",
            0,
            1,
            1,
            kind="toggle",
        ),
        vol("part_exo", "part_exoneree", 100),
        vol("v_prod", "production_hlm"),
        vol("v_pp", "part_plus_plai", 100),
        vol("v_z1", "part_zone_1_1bis", 100),
        vol("v_rehab", "rehabilitation_hlm"),
        vol("v_pret", "pret_moyen_rehabilitation_eur"),
        vol("v_restr", "logements_restructures"),
        Control(
            "annee", "volumes", "meta", "annee", "Année des clés régionales", min(YEARS), max(YEARS), 1, kind="select"
        ),
        Control("scen", "volumes", "meta", "scenario", "Scénario de volumes", 0, 0, 0, kind="select"),
    )


CONTROLS = build_controls()
CONTROL_BY_KEY = {c.key: c for c in CONTROLS}
GROUP_LABELS = {
    "aides": "Aides (annexe 1, calcul des aides)",
    "cotisation": "Répartition de la cotisation",
    "exonerations": "Exonérations (organismes sous plan CGLLS)",
    "volumes": "Volumes et hypothèses",
}


def default_values(year: int = 2013) -> dict[str, Any]:
    """Display values of every control for the pact's parameters and the preset."""
    p = MutualisationParams.from_pact(year)
    v = preset_assumptions()
    out: dict[str, Any] = {}
    for c in CONTROLS:
        if c.target == "params":
            raw = getattr(p, c.field)
        elif c.target == "volumes":
            raw = getattr(v, c.field)
        else:
            raw = {"annee": year, "scenario": "base"}[c.field]
        out[c.key] = _display(c, raw)
    return out


def _display(c: Control, raw: Any) -> Any:
    if c.kind == "toggle":
        return bool(raw)
    if c.kind == "select":
        return int(raw) if c.field == "annee" else str(raw)
    return float(round(float(raw) * c.scale, 6))


def to_engine(values: Mapping[str, Any]) -> tuple[MutualisationParams, VolumeAssumptions, int, str]:
    """Display values (widgets, URL, saved scenario) → engine parameters and volume assumptions."""
    base = default_values()
    merged = {**base, **{k: v for k, v in values.items() if k in CONTROL_BY_KEY}}
    p_vals: dict[str, Any] = {}
    v_vals: dict[str, Any] = {}
    for c in CONTROLS:
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
    params = MutualisationParams.from_pact(year).replace(**p_vals)
    volumes = VolumeAssumptions.from_dict(v_vals)
    return params, volumes, year, scenario


def share_query(values: Mapping[str, Any]) -> str:
    """Query string holding the values that differ from the defaults (as bind does)."""
    base = default_values()
    diff = {}
    for k, v in values.items():
        if k in base and v != base[k]:
            # selectboxes bind their displayed label, toggles true/false
            if k == "scen":
                v = SCENARIOS[v].libelle
            diff[k] = str(v).lower() if isinstance(v, bool) else v
    return ("?" + urlencode(diff)) if diff else ""


#: controls that describe volumes of the regional defaults: meaningless with a per-body file
REGIONAL_ONLY_KEYS = frozenset(c.key for c in CONTROLS if c.target in ("volumes", "meta"))


def engine_inputs(
    values: Mapping[str, Any], bodies: pd.DataFrame | None = None
) -> tuple[MutualisationParams, pd.DataFrame]:
    """Parameters from the controls and the units to simulate: ``bodies`` (engine inputs from
    ``inputs_from_bodies``) when given, else the regional defaults of the volume controls."""
    params, volumes, year, scenario = to_engine(values)
    if bodies is not None:
        return params, bodies
    return params, regional_inputs(volumes, year, scenario)


@lru_cache(maxsize=1)
def region_names() -> Mapping[str, str]:
    """Code → name of the regions before 2016 (all 27; bodies may sit in any)."""
    from lib.geo import load_regions

    reg = load_regions()
    return dict(zip(reg["code"].astype(str), reg["nom"].astype(str), strict=True))


def compute(values: Mapping[str, Any], bodies: pd.DataFrame | None = None) -> tuple[MutualisationResult, pd.DataFrame]:
    """One call from control values to results: per-region result table (engine units).

    With ``bodies`` the engine runs per HLM body and the regions are sums of their bodies
    (``result.units`` keeps the per-body rows); otherwise it runs on the regional defaults.
    """
    params, inputs = engine_inputs(values, bodies)
    result = simulate(inputs, params)
    regions = aggregate_by_region(result)
    if bodies is not None:
        names = region_names()
        regions["nom"] = [names.get(c, c) for c in regions["region_code"]]
        regions["nature"] = inputs["nature_generale"].iloc[0] if len(inputs) else ""
        return result, regions
    natures = inputs.set_index("code")["nature_generale"]
    names = inputs.set_index("code")["nom"]
    regions["nom"] = regions["region_code"].map(names)
    regions["nature"] = regions["region_code"].map(natures)
    return result, regions


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


def display_table(regions: pd.DataFrame) -> pd.DataFrame:
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


def export_frame(regions: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in EXPORT_COLUMNS if c in regions.columns]
    return regions[cols].rename(columns=EXPORT_COLUMNS)


def export_bodies(units: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in BODY_EXPORT_COLUMNS if c in units.columns]
    return units[cols].rename(columns=BODY_EXPORT_COLUMNS)


def _neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would read as formulas (body names from a file) kept as text."""
    from lib.importer import neutralise_frame

    return neutralise_frame(frame)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for French Excel: ``;`` separator, decimal comma, UTF-8 with BOM, no formula."""
    return _neutralise(frame).to_csv(sep=";", decimal=",", index=False, float_format="%.2f").encode("utf-8-sig")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        for name, frame in sheets.items():
            _neutralise(frame).to_excel(xl, sheet_name=name[:31], index=False)
            xl.sheets[name[:31]].set_column(0, len(frame.columns) - 1, 18)
    return buf.getvalue()


def flows_chart(regions: pd.DataFrame) -> alt.Chart:
    """Aids received vs contribution paid by region (M€), French formats."""
    from lib.charts import french

    order = regions.sort_values("solde_net_eur", ascending=False)["nom"].tolist()
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "Région": regions["nom"],
                    "Flux": "Aides reçues",
                    "M€": regions["aide_totale_eur"] / 1e6,
                    "Montant": regions["aide_totale_eur"].map(fmt.fmt_meur),
                }
            ),
            pd.DataFrame(
                {
                    "Région": regions["nom"],
                    "Flux": "Cotisation versée",
                    "M€": regions["contribution_totale_eur"] / 1e6,
                    "Montant": regions["contribution_totale_eur"].map(fmt.fmt_meur),
                }
            ),
        ],
        ignore_index=True,
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("Région:N", sort=order, title=None),
            yOffset="Flux:N",
            x=alt.X("M€:Q", title="Millions d'euros", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "Flux:N",
                title=None,
                scale=alt.Scale(domain=["Aides reçues", "Cotisation versée"], range=["#18753c", "#c9191e"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[alt.Tooltip("Région:N"), alt.Tooltip("Flux:N"), alt.Tooltip("Montant:N")],
        )
        .properties(height=alt.Step(12), width="container")
    )
    return french(chart)


DIVERGING = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")


def flow_colour(solde: float, bound: float) -> str:
    """Diverging colour: red = net contributor, blue = net beneficiary, grey-white ≈ 0."""
    if bound <= 0:
        return DIVERGING[3]
    x = max(-1.0, min(1.0, solde / bound))
    idx = int(round((x + 1) / 2 * (len(DIVERGING) - 1)))
    return DIVERGING[idx]


def flows_map(regions: pd.DataFrame, geo) -> folium.Map:
    """Choropleth of net balances by region with French tooltips (served offline)."""
    from lib.offline_map import localize_assets, offline_map

    g = geo[["code", "geometry"]].merge(regions, left_on="code", right_on="region_code", how="inner")
    bound = float(g["solde_net_eur"].abs().max()) if len(g) else 0.0
    g = g.assign(
        colour=[flow_colour(s, bound) for s in g["solde_net_eur"]],
        # Leaflet puts tooltip values into HTML: escape anything that comes from data
        Région=g["nom"].astype(str).map(html.escape),
        Solde=[fmt.fmt_signed(s / 1e6, 1, "M€") for s in g["solde_net_eur"]],
        Aides=g["aide_totale_eur"].map(fmt.fmt_meur),
        Cotisation=g["contribution_totale_eur"].map(fmt.fmt_meur),
        Statut=g["statut"].astype(str).map(html.escape),
    )[["Région", "Solde", "Aides", "Cotisation", "Statut", "colour", "geometry"]]
    m = offline_map(location=[46.6, 2.4], zoom_start=5, prefer_canvas=True)
    folium.GeoJson(
        g.to_json(),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": "#555",
            "weight": 0.8,
            "fillOpacity": 0.85,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["Région", "Solde", "Aides", "Cotisation", "Statut"],
            aliases=["Région", "Solde net", "Aides reçues", "Cotisation versée", "Statut"],
        ),
    ).add_to(m)
    return localize_assets(m)


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


# ---------------------------------------------------------------------------------------------
# Streamlit rendering


def current_values() -> dict[str, Any]:
    defaults = default_values()
    return {k: st.session_state.get(k, v) for k, v in defaults.items()}


def _set_values(values: Mapping[str, Any], message: str) -> None:
    """Callback: put values into the controls (runs before the widgets are drawn)."""
    for k, v in values.items():
        if k in CONTROL_BY_KEY:
            st.session_state[k] = _display(CONTROL_BY_KEY[k], v) if CONTROL_BY_KEY[k].kind != "slider" else float(v)
    st.session_state[STATE_KEYS["message"]] = message


def _load_data_volumes() -> None:
    year = int(st.session_state.get("annee", 2013))
    try:
        a, _ = data_assumptions(year)
    except DataError as err:
        st.session_state[STATE_KEYS["message"]] = str(err)
        return
    vals = {c.key: _display(c, getattr(a, c.field)) for c in CONTROLS if c.target == "volumes"}
    _set_values(vals, f"Volumes remplacés par les chiffres cités de {year} (part Hlm appliquée).")


def _reset() -> None:
    _set_values(default_values(), "Paramètres du pacte et « Hypothèses du pacte » rétablis.")


def _widget(c: Control, default: Any, disabled: bool = False) -> None:
    kwargs = dict(key=c.key, help=c.help or None, bind="query-params", disabled=disabled)
    if c.kind == "toggle":
        st.toggle(c.label, value=default, **kwargs)
    elif c.kind == "select":
        options = list(YEARS) if c.key == "annee" else list(SCENARIOS)
        kwargs["index"] = options.index(default)
        fmt_fn = (lambda x: str(x)) if c.key == "annee" else (lambda k: SCENARIOS[k].libelle)
        st.selectbox(c.label, options, format_func=fmt_fn, **kwargs)
    else:
        st.slider(
            c.label, min_value=float(c.lo), max_value=float(c.hi), value=float(default), step=float(c.step),
            format="localized",  # the browser's locale: 3 300 for French users, not 3300.00
            **kwargs,
        )


BODIES_VOLUMES_NOTE = (
    "Fichier par organisme en usage : les volumes, les bases de la cotisation et l'exonération "
    "de chaque organisme viennent du fichier importé. Ces réglages, qui ne servent qu'aux "
    "estimations régionales par défaut, sont désactivés (revenez aux données par défaut dans "
    "« Données et sources » pour les utiliser)."
)
BODIES_EXEMPT_NOTE = "Organismes exonérés : ceux que le fichier importé marque comme exonérés."


def render_controls(bodies_in_use: bool = False) -> None:
    defaults = default_values()
    for group, label in GROUP_LABELS.items():
        with st.expander(label, expanded=group in ("aides", "volumes")):
            if group == "volumes" and bodies_in_use:
                st.caption(BODIES_VOLUMES_NOTE)
            for c in CONTROLS:
                if c.group == group:
                    _widget(c, defaults[c.key], disabled=bodies_in_use and c.key in REGIONAL_ONLY_KEYS)
            if group == "cotisation":
                st.caption("Les trois parts doivent totaliser 100 % (annexe 1 : 50 %, 25 %, 25 %).")
            if group == "exonerations" and bodies_in_use:
                st.caption(BODIES_EXEMPT_NOTE)
            if group == "volumes":
                st.button(
                    "Partir des chiffres cités de l'année",
                    on_click=_load_data_volumes,
                    help="Production financée de l'année × part Hlm (80 %), réhabilitations "
                    "par éco-prêt 2012-2013 ÷ 2.",
                    disabled=bodies_in_use,
                )
    st.button("Rétablir les valeurs du pacte", on_click=_reset)


def render_results(
    result: MutualisationResult, regions: pd.DataFrame, elapsed_ms: float, bodies_in_use: bool = False
) -> None:
    t = result.totals
    counts = count_by_statut(regions)
    c1, c2, c3 = st.columns(3)
    c1.metric("Fonds de mutualisation", fmt.fmt_meur(t["fonds_total_eur"]))
    c2.metric("Régions contributrices nettes", fmt.fmt_int(counts["contributeur net"]))
    c3.metric("Régions bénéficiaires nettes", fmt.fmt_int(counts["bénéficiaire net"]))
    if bodies_in_use:
        bc = count_by_statut(result.units)
        st.caption(
            f"Organismes : {fmt.fmt_int(bc['contributeur net'])} contributeurs nets, "
            f"{fmt.fmt_int(bc['bénéficiaire net'])} bénéficiaires nets, {fmt.fmt_int(bc['neutre'])} neutres ; "
            "les régions sont la somme de leurs organismes."
        )
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
                fmt.fmt_meur(t[k])
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
                fmt.fmt_meur(t[k])
                for k in ("contribution_loyers_eur", "contribution_patrimoine_eur", "contribution_cglls_eur")
            ],
        }
    )
    a, b = st.columns(2)
    a.dataframe(parts, hide_index=True, width="stretch")
    b.dataframe(contrib, hide_index=True, width="stretch")
    if t["logements_restructures_soumis"] > result.params.plafond_restructuration_logements:
        st.caption(
            f"Restructuration : {fmt.fmt_int(t['logements_restructures_soumis'])} logements présentés pour une "
            f"limite de {fmt.fmt_int(result.params.plafond_restructuration_logements)} ; l'aide de chacun est "
            "réduite au prorata (règle retenue, le pacte ne précisant pas le partage)."
        )
    labels = ["Aides et cotisations par région", "Carte des soldes", "Tableau"]
    if bodies_in_use:
        labels = [*labels[:2], "Tableau par région", "Par organisme"]
    tabs = st.tabs(labels)
    with tabs[0]:
        st.altair_chart(flows_chart(regions), width="stretch")
    with tabs[1]:
        _render_map(regions, bodies_in_use)
    with tabs[2]:
        st.dataframe(display_table(regions), hide_index=True, width="stretch")
    if bodies_in_use:
        with tabs[3]:
            # st.dataframe shows every cell as text: a name such as '<img …>' is not interpreted
            st.dataframe(body_table(result.units), hide_index=True, width="stretch", key="mut_bodies_table")
    st.caption(f"Calcul : {fmt.fmt_num(elapsed_ms, 0)} ms.")


def _render_map(regions: pd.DataFrame, bodies_in_use: bool = False) -> None:
    from streamlit_folium import st_folium

    from lib import ui

    try:
        geo = ui.load_regions_geo()
    except DataError as err:
        ui.show_error(err)
        return
    st_folium(flows_map(regions, geo), returned_objects=[], height=520, use_container_width=True, key="mut_map")
    origin = (
        "Les soldes sont la somme des soldes des organismes du fichier importé ; une région sans "
        "organisme dans le fichier n'est pas coloriée."
        if bodies_in_use
        else "Les soldes sont des estimations régionales (voir « Données »)."
    )
    st.markdown(
        "Rouge : région contributrice nette (elle verse plus qu'elle ne reçoit) ; bleu : bénéficiaire "
        "nette ; plus la couleur est foncée, plus le solde est grand. " + origin
    )


def render_scenarios(
    values: Mapping[str, Any],
    regions: pd.DataFrame,
    result: MutualisationResult,
    bodies: pd.DataFrame | None = None,
) -> None:
    from lib import ui

    st.subheader("Scénarios")
    query = share_query(values)
    st.markdown("**Partager** : l'adresse de la page contient les valeurs modifiées ; ce lien reproduit le scénario.")
    st.code("/mutualisation" + query, language=None)
    if bodies is not None:
        st.caption(
            "Le lien et les scénarios enregistrés gardent les réglages, pas le fichier par organisme : "
            "ailleurs, ils s'appliquent aux données en usage (estimations régionales par défaut si "
            "aucun fichier n'est importé)."
        )
    c1, c2 = st.columns(2)
    with c1:
        with st.form("mut_save", clear_on_submit=False, border=False):
            name = st.text_input("Nom du scénario à enregistrer", max_chars=store.NAME_MAX)
            if st.form_submit_button("Enregistrer"):
                try:
                    store.save_scenario(name, {"version": 1, "values": dict(values)})
                    st.success(f"Scénario « {ui.md_text(' '.join(name.split()))} » enregistré.")
                except DataError as err:
                    ui.show_error(err)
    try:
        saved = store.list_scenarios()
    except DataError as err:
        ui.show_error(err)
        saved = []
    with c2:
        names = [s.name for s in saved]
        if names:
            chosen = st.selectbox("Scénarios enregistrés", names, key="mut_saved")
            payload = next(s.payload for s in saved if s.name == chosen)
            st.button(
                "Charger ce scénario",
                on_click=_set_values,
                args=(payload.get("values", {}), f"Scénario « {chosen} » chargé."),
            )
        else:
            st.caption("Aucun scénario enregistré pour l'instant.")
    if len(saved) >= 2:
        picked = st.multiselect(
            "Comparer (deux scénarios ou plus, le premier sert de référence)", names, key="mut_compare"
        )
        if len(picked) >= 2:
            try:
                tot, bal = compare_scenarios(
                    {n: next(s.payload for s in saved if s.name == n).get("values", {}) for n in picked}, bodies
                )
                t_txt, b_txt = format_compare(tot, bal)
                st.dataframe(t_txt, hide_index=True, width="stretch")
                st.dataframe(b_txt, hide_index=True, width="stretch")
            except DataError as err:
                ui.show_error(err)
    exp = export_frame(regions)
    d1, d2 = st.columns(2)
    d1.download_button(
        "Exporter le tableau (CSV)",
        data=lambda: to_csv_bytes(exp),
        file_name="mutualisation_regions.csv",
        mime="text/csv",
    )
    sheets = {"Régions": exp}
    if bodies is not None:
        body_exp = export_bodies(result.units)
        sheets["Organismes"] = body_exp
        st.download_button(
            "Exporter les résultats par organisme (CSV)",
            data=lambda: to_csv_bytes(body_exp),
            file_name="mutualisation_organismes.csv",
            mime="text/csv",
        )
    d2.download_button(
        "Exporter (Excel)",
        data=lambda: to_xlsx_bytes(
            {
                **sheets,
                "Paramètres": pd.DataFrame(
                    {
                        "Paramètre": [CONTROL_BY_KEY[k].label for k in values],
                        "Valeur": [str(v) for v in values.values()],
                    }
                ),
            }
        ),
        file_name="mutualisation_regions.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


GOALSEEK_LABELS = {c.field: c for c in CONTROLS if c.field in GOALSEEK_FIELDS}


def render_goalseek(values: Mapping[str, Any], bodies: pd.DataFrame | None = None) -> None:
    from lib import ui
    from lib.params import value

    st.subheader("Valeur cible")
    st.markdown(
        "Trouver la valeur d'un paramètre qui amène le fonds à un total donné "
        "(par exemple l'aide en zone 1/1 bis qui garde le fonds à 280 M€ quand les volumes changent)."
    )
    c1, c2 = st.columns(2)
    field = c1.selectbox(
        "Paramètre à ajuster", list(GOALSEEK_LABELS), format_func=lambda f: GOALSEEK_LABELS[f].label, key="mut_gs_field"
    )
    target = c2.number_input(
        "Fonds visé (M€)",
        min_value=0.0,
        max_value=5000.0,
        step=1.0,
        value=float(value("mutualisation.aides.enveloppe_indicative", 2013)) / 1e6,
        key="mut_gs_target",
        format="%.0f",
    )
    if st.button("Chercher la valeur", key="mut_gs_run"):
        try:
            params, inputs = engine_inputs(values, bodies)
            res = goal_seek(inputs, params, field, target * 1e6)
            st.session_state[STATE_KEYS["goalseek"]] = res
        except DataError as err:
            ui.show_error(err)
    res = st.session_state.get(STATE_KEYS["goalseek"])
    if res is not None and res.field == field:
        c = GOALSEEK_LABELS[field]
        shown = res.value * c.scale
        if res.reachable:
            st.success(f"{c.label} : {fmt.fmt_num(shown, 2)} → fonds de {fmt.fmt_meur(res.fund_eur)}.")
        else:
            st.warning(
                f"{res.message} Valeur la plus proche : {fmt.fmt_num(shown, 2)} "
                f"(fonds de {fmt.fmt_meur(res.fund_eur)})."
            )
        if c.lo <= shown <= c.hi:
            st.button(
                "Appliquer cette valeur",
                on_click=_set_values,
                args=({c.key: round(shown, 6)}, f"{c.label} fixé à {fmt.fmt_num(shown, 2)}."),
            )
        else:
            st.caption("Cette valeur sort des bornes du curseur ; elle n'est pas appliquée.")


def render_page() -> None:
    st.title("Mutualisation financière (annexe 1 du pacte)")
    from lib import ui

    intro = (
        "Simulation du dispositif de l'annexe 1 : des aides par logement produit, réhabilité ou "
        "restructuré, financées par une cotisation des organismes Hlm. **Aucune donnée publique "
        "ne donne les prêts signés, les loyers ou la cotisation CGLLS par organisme** : "
    )
    if ui.imported().get("organismes") is not None:
        intro += (
            "la simulation utilise ici le fichier par organisme que vous avez importé (nature « importé »), "
            "à la place des estimations régionales par défaut."
        )
    else:
        intro += (
            "la simulation travaille par région, avec des volumes nationaux répartis par des clés citées "
            "ou estimées (la colonne « Données » du tableau le dit pour chaque région). Importez un "
            "fichier par organisme dans « Données et sources » pour calculer organisme par organisme."
        )
    st.markdown(intro)
    msg = st.session_state.pop(STATE_KEYS["message"], None)
    if msg:
        st.info(msg)
    _live()
    with st.expander("Hypothèses du préréglage « Hypothèses du pacte » et leurs sources"):
        h = load_hypotheses()
        st.dataframe(
            pd.DataFrame(
                {
                    "Hypothèse": [x.libelle for x in h.values()],
                    "Valeur": [
                        fmt.fmt_pct(x.valeur) if x.unite == "taux" else f"{fmt.fmt_num(x.valeur)} {x.unite}"
                        for x in h.values()
                    ],
                    "Nature": [x.nature for x in h.values()],
                    "Justification": [x.justification for x in h.values()],
                }
            ),
            hide_index=True,
            width="stretch",
        )


@st.fragment
def _live() -> None:
    """Controls and results in one fragment: a control moved reruns only this part."""
    from lib import ui

    dataset, bodies = active_bodies()
    if dataset is not None:
        st.info(
            f"Calcul par organisme à partir du fichier importé : {ui.md_text(dataset.name)} "
            f"({fmt.fmt_int(len(bodies))} organismes).",
            icon=":material/upload_file:",
        )
    left, right = st.columns([1, 2], gap="large")
    with left:
        render_controls(bodies_in_use=bodies is not None)
    values = current_values()
    with right:
        try:
            t0 = time.perf_counter()
            result, regions = compute(values, bodies)
            elapsed = (time.perf_counter() - t0) * 1000
            st.session_state[STATE_KEYS["timing"]] = elapsed
        except DataError as err:
            ui.show_error(err)
            return
        render_results(result, regions, elapsed, bodies_in_use=bodies is not None)
    render_scenarios(values, regions, result, bodies)
    render_goalseek(values, bodies)


def active_bodies() -> tuple[Any, pd.DataFrame | None]:
    """The imported per-body dataset of this session and its engine inputs, or ``(None, None)``.

    A file the engine cannot use (which the importer's validation should prevent) is reported
    in French and the regional defaults are used instead.
    """
    from lib import ui

    dataset = ui.imported().get("organismes")
    if dataset is None:
        return None, None
    try:
        return dataset, inputs_from_bodies(dataset.frame)
    except DataError as err:
        ui.show_error(err)
        st.warning(
            "Le fichier par organisme ne peut pas être utilisé : la simulation reprend les estimations "
            "régionales par défaut."
        )
        return None, None
