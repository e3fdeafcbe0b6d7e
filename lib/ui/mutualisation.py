"""Page « Mutualisation »: controls, live results, scenarios, goal-seek (Streamlit glue).

Everything that does not draw (controls spec, conversions, tables, chart, map, comparisons,
export sheets, texts quoting the pact) lives in ``lib/views/mutualisation.py`` and is imported
here; this module only wires widgets to it. Every control has a short key bound to the URL
(``bind="query-params"``): a value that differs from the default appears in the query string, so
the address of the page reproduces the scenario. Session state keys of this page all start with
``mut_`` (declared in ``STATE_KEYS``); the controls' keys are the ``Control.key`` of the view.

When the session holds an imported per-body file (``lib.ui.imported()["organismes"]``), the engine
runs on one unit per HLM body (``inputs_from_bodies``) with the current aid, split and exemption
controls, and results are summed into regions for the chart, map and table; the volume controls
(national volumes, year of the regional keys, scenario, exempt share) are then disabled, since
the file gives each body's volumes and exemption.
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from lib import fmt, map_export, store, ui
from lib.backtest import pact_gap_delta, pact_gap_label
from lib.errors import DataError
from lib.exports import to_csv_bytes, to_xlsx_bytes
from lib.mutualisation import MutualisationResult, count_by_statut, goal_seek
from lib.mutualisation_inputs import SCENARIOS, data_assumptions, inputs_from_bodies
from lib.params import load_params, value
from lib.paths import FIGURES_FILE
from lib.ui import feedback, lazy, named_save, tables, url_check
from lib.ui.charts import map_downloads, show_chart, value_legend
from lib.ui.data_check import require_data
from lib.ui.downloads import table_download
from lib.ui.links import render_link_to_send
from lib.url_state import UrlParam, simulator_params
from lib.views import mutualisation as view

STATE_KEYS = {
    "message": "mut_message",  # one-shot message after a callback (saved, loaded, applied)
    "goalseek": "mut_goalseek",  # last goal-seek result
    "timing": "mut_timing_ms",  # last compute time, for the page and the bench
    "pending_save": "mut_pending_save",  # (name, payload) refused because the name exists
    "view": "mut_vue",  # the results tab shown (chart, map, table): only it is built
    "view_bodies": "mut_vue_organismes",  # the same with a per-body file (one more tab)
    "loaded": "mut_loaded",  # confirmation of the scenario just loaded, shown under its button
    "saved_seen": "mut_saved_seen",  # last list of saved scenarios read, shown while the store is out
}


# ---------------------------------------------------------------------------------------------
# Streamlit rendering


def current_values() -> dict[str, Any]:
    defaults = view.default_values()
    return {k: st.session_state.get(k, v) for k, v in defaults.items()}


def _set_values(values: Mapping[str, Any], message: str) -> None:
    """Callback: put values into the controls (runs before the widgets are drawn)."""
    by_key = view.control_by_key()
    for k, v in values.items():
        if k in by_key:
            st.session_state[k] = view.control_value(by_key[k], v) if by_key[k].kind != "slider" else float(v)
    st.session_state[STATE_KEYS["message"]] = message


def _load_scenario(values: Mapping[str, Any], name: str) -> None:
    """Callback: the scenario's values into the controls, confirmed under the button (and in a toast)."""
    _set_values(values, "")
    feedback.remember(STATE_KEYS["loaded"], f"Scénario « {name} » chargé : les réglages de gauche ont repris ses "
                                             "valeurs, les résultats sont recalculés.")


def _load_data_volumes() -> None:
    year = int(st.session_state.get("annee", min(view.YEARS)))
    try:
        a, _ = data_assumptions(year)
    except DataError as err:
        st.session_state[STATE_KEYS["message"]] = str(err)
        return
    vals = {c.key: view.control_value(c, getattr(a, c.field)) for c in view.controls() if c.target == "volumes"}
    _set_values(vals, f"Volumes remplacés par les chiffres cités de {year} (part Hlm appliquée).")


def _reset() -> None:
    _set_values(view.default_values(), "Paramètres du pacte et « Hypothèses du pacte » rétablis.")


def _widget(c: view.Control, default: Any, disabled: bool = False) -> None:
    kwargs = dict(key=c.key, help=c.help or None, bind="query-params", disabled=disabled)
    if c.kind == "toggle":
        st.toggle(c.label, value=default, **kwargs)
    elif c.kind == "select":
        # a few options, all in sight: no select box, whose own code (about 38 KB) the page would
        # otherwise download at open. Both bind the label shown, as a select box did: old links open.
        if c.key == "annee":  # three short years side by side, one always chosen (lib/ui/theme.py fits them)
            st.segmented_control(c.label, list(view.YEARS), default=default, required=True, format_func=str,
                                 width="stretch", wrap=False, **kwargs)
        else:  # two long sentences, both read before choosing
            options = list(SCENARIOS)
            st.radio(c.label, options, index=options.index(default), format_func=lambda k: SCENARIOS[k].libelle,
                     **kwargs)
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
    defaults = view.default_values()
    for group, label in view.GROUP_LABELS.items():
        with st.expander(label, expanded=group in ("aides", "volumes")):
            if group == "volumes" and bodies_in_use:
                st.caption(BODIES_VOLUMES_NOTE)
            for c in view.controls():
                if c.group == group:
                    _widget(c, defaults[c.key], disabled=bodies_in_use and c.key in view.regional_only_keys())
            if group == "cotisation":
                st.caption(view.split_note(int(st.session_state.get("annee", min(view.YEARS)))))
            if group == "exonerations" and bodies_in_use:
                st.caption(BODIES_EXEMPT_NOTE)
            if group == "volumes":
                st.button(
                    "Partir des chiffres cités de l'année",
                    on_click=_load_data_volumes,
                    help=view.data_volumes_help(),
                    disabled=bodies_in_use,
                )
    st.button("Rétablir les valeurs du pacte", on_click=_reset)


def render_fund(totals: Mapping[str, float]) -> None:
    """The fund's total and its gap to the pact's envelope: the figure a slider move is for,
    written as soon as the engine has run (Streamlit sends each element when it is written)."""
    # the fund alone on its row: in a narrow column three metrics side by side cut its total
    fund = totals["fonds_total_eur"]
    gap, gap_text = pact_gap_delta(fund)
    st.metric("Fonds de mutualisation", fmt.fmt_meur(fund), delta=gap, delta_color="off",
              delta_arrow="off", delta_description=gap_text, help=pact_gap_label(fund))


def render_results(
    result: MutualisationResult, regions: pd.DataFrame, elapsed_ms: float, bodies_in_use: bool = False
) -> None:
    """Everything under the fund's total (``render_fund``, written first): the counts, the
    breakdown, the lazy tabs of chart, map and table."""
    t = result.totals
    counts = count_by_statut(regions)
    c2, c3 = st.columns(2)
    c2.metric("Régions contributrices nettes", fmt.fmt_int(counts["contributeur net"]))
    c3.metric("Régions bénéficiaires nettes", fmt.fmt_int(counts["bénéficiaire net"]))
    if bodies_in_use:
        bc = count_by_statut(result.units)
        st.caption(
            f"Organismes : {fmt.fmt_int(bc['contributeur net'])} contributeurs nets, "
            f"{fmt.fmt_int(bc['bénéficiaire net'])} bénéficiaires nets, {fmt.fmt_int(bc['neutre'])} neutres ; "
            "les régions sont la somme de leurs organismes."
        )
    parts, contrib = view.breakdown_tables(t)
    a, b = st.columns(2)
    # short and read-only: HTML, each grid one click away (the page opens without the grid's JavaScript)
    with a:
        tables.static_table(parts, key="mut_aides_grille", grid_label=view.PARTS_GRID_LABEL,
                            hide_index=True, width="stretch")
    with b:
        tables.static_table(contrib, key="mut_cotisation_grille", grid_label=view.CONTRIB_GRID_LABEL,
                            hide_index=True, width="stretch")
    if t["logements_restructures_soumis"] > result.params.plafond_restructuration_logements:
        st.caption(
            f"Restructuration : {fmt.fmt_int(t['logements_restructures_soumis'])} logements présentés pour une "
            f"limite de {fmt.fmt_int(result.params.plafond_restructuration_logements)} ; l'aide de chacun est "
            "réduite au prorata (règle retenue, le pacte ne précisant pas le partage)."
        )
    labels = ["Aides et cotisations par région", "Carte des soldes", "Tableau"]
    if bodies_in_use:
        labels = [*labels[:2], "Tableau par région", "Par organisme"]
    # Lazy tabs: only the tab shown is built and sent (a slider move redraws one view, not four)
    tabs = st.tabs(labels, key=STATE_KEYS["view_bodies" if bodies_in_use else "view"], on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            # twin: the « Tableau » tab beside it
            show_chart(view.flows_chart(regions), view.FLOWS_ALT, key="mut_flux", sources=view.FLOWS_SOURCES)
    if tabs[1].open:
        with tabs[1]:
            render_balance_map(regions, bodies_in_use)
    if tabs[2].open:
        with tabs[2]:
            tables.dataframe(view.regions_screen_table(regions), hide_index=True, width="stretch")
    if bodies_in_use and tabs[3].open:
        with tabs[3]:
            # every cell shows as text (st.dataframe; escaped in presentation mode): '<img …>' is not interpreted
            tables.dataframe(view.body_table(result.units), hide_index=True, width="stretch", key="mut_bodies_table")
    st.caption(f"Calcul : {fmt.fmt_num(elapsed_ms, 0)} ms.")


def render_balance_map(regions: pd.DataFrame, bodies_in_use: bool = False) -> None:
    """The map of balances, its value legend and its twin sentence. The colours come with the
    values (``flows_values``): the spec and its accessible name stay the same when a slider moves,
    so the map is recoloured in place."""
    scale = view.flows_scale(regions)
    spec = view.flows_map(regions, bodies_in_use, scale=scale)
    legend = view.flows_map_legend(spec["datasets"]["valeurs"], scale)
    # the results column is narrow: the map takes its width, the legend goes under it
    # a level-2 heading (the page's h1 is above), sized for the narrow column
    st.html(f'<h2 style="font-size:1.375rem;line-height:1.3;margin:.5rem 0 0 0">{html.escape(view.FLOWS_MAP_TITLE)}</h2>')
    # the spec's description is the map's accessible name (an alt= as well would override it)
    st.vega_lite_chart(spec, width="stretch", key="mut_map")
    value_legend("Solde net par région", legend, view.FLOWS_SCALE_NOTE + " " + view.FLOWS_READING, across=True)
    rows = map_export.legend_rows(legend)
    map_downloads(
        "mutualisation_soldes",
        lambda: map_export.standalone_html(spec, view.FLOWS_MAP_TITLE, rows, view.FLOWS_SOURCES,
                                           legend_title="Solde net par région"),
        lambda: map_export.map_png(spec, view.FLOWS_MAP_TITLE, rows, view.FLOWS_SOURCES, legend_title="Solde net par région"),
    )
    st.caption(view.flows_sentence(regions))
    origin = (
        "Les soldes sont la somme des soldes des organismes du fichier importé ; une région sans "
        "organisme dans le fichier n'est pas coloriée."
        if bodies_in_use
        else "Les soldes sont des estimations régionales (voir « Données »)."
    )
    st.markdown(
        "Orange : région contributrice nette (elle verse plus qu'elle ne reçoit) ; bleu : bénéficiaire "
        "nette ; plus la couleur est foncée, plus le solde est grand (légende à droite). " + origin
    )


def render_share_and_exports(
    values: Mapping[str, Any],
    regions: pd.DataFrame,
    result: MutualisationResult,
    bodies: pd.DataFrame | None = None,
) -> None:
    """The link that reproduces the settings, and the exports of the results (live)."""
    query = view.share_query(values)
    render_link_to_send("Partager", query, "mutualisation")
    st.caption("L'adresse contient les valeurs modifiées : ce lien reproduit le scénario.")
    if bodies is not None:
        st.caption(
            "Le lien et les scénarios enregistrés gardent les réglages, pas le fichier par organisme : "
            "ailleurs, ils s'appliquent aux données en usage (estimations régionales par défaut si "
            "aucun fichier n'est importé)."
        )
    # the files are built on click only (a slider move builds none of them)
    d1, d2 = st.columns(2)
    table_download("Exporter le tableau (CSV)",
                   lambda: to_csv_bytes(view.regions_export_frame(regions), float_format="%.2f"),
                   "mutualisation_regions.csv", where=d1)

    def sheets() -> dict[str, pd.DataFrame]:
        out = {"Régions": view.regions_export_frame(regions)}
        if bodies is not None:
            out["Organismes"] = view.export_bodies(result.units)
        return {**out, "Paramètres": view.parameters_sheet(values)}

    if bodies is not None:
        table_download("Exporter les résultats par organisme (CSV)",
                       lambda: to_csv_bytes(view.export_bodies(result.units), float_format="%.2f"),
                       "mutualisation_organismes.csv")
    table_download("Exporter (Excel)", lambda: to_xlsx_bytes(sheets()), "mutualisation_regions.xlsx", where=d2)


def render_scenarios(bodies: pd.DataFrame | None = None) -> None:
    """Save, load and compare scenarios (the shared store). Outside the live results: it runs on
    a full rerun (a save, a load), not on each slider move; a save reads the settings then."""
    st.header("Scénarios")
    c1, c2 = st.columns(2)
    with c1:
        named_save.name_form(SCENARIO_SAVE, "mut_save", "Nom du scénario à enregistrer",
                             lambda: {"version": 1, "values": dict(current_values())})
    try:
        saved = store.list_scenarios()
        st.session_state[STATE_KEYS["saved_seen"]] = saved
    except DataError as err:
        ui.show_error(err)
        saved = st.session_state.get(STATE_KEYS["saved_seen"], [])
        if saved:
            st.caption("Scénarios enregistrés tels que lus plus tôt dans cette session : la liste sera mise à "
                       "jour dès que la base répondra.")
    with c2:
        names = [s.name for s in saved]
        if names:
            chosen = st.selectbox("Scénarios enregistrés", names, key="mut_saved")
            payload = next(s.payload for s in saved if s.name == chosen)
            st.button(
                "Charger ce scénario",
                on_click=_load_scenario,
                args=(payload.get("values", {}), chosen),
            )
            feedback.confirm(STATE_KEYS["loaded"], box="info")
        else:
            st.caption("Aucun scénario enregistré pour l'instant.")
    if len(saved) >= 2:
        picked = st.multiselect(
            "Comparer (deux scénarios ou plus, le premier sert de référence)", names, key="mut_compare"
        )
        if len(picked) >= 2:
            try:
                tot, bal = view.compare_scenarios(
                    {n: next(s.payload for s in saved if s.name == n).get("values", {}) for n in picked}, bodies
                )
                t_txt, b_txt = view.format_compare(tot, bal)
                tables.dataframe(t_txt, hide_index=True, width="stretch")
                tables.dataframe(b_txt, hide_index=True, width="stretch")
            except DataError as err:
                ui.show_error(err)


def _write_scenario(name: str, payload: Mapping[str, Any], overwrite: bool) -> str:
    saved = store.save_scenario(name, payload, overwrite=overwrite)
    return f"Scénario « {saved.name} » {'remplacé' if overwrite else 'enregistré'}."


#: a name already in the shared store (perhaps another user's scenario) is never replaced without
#: the explicit « Remplacer » confirmation
SCENARIO_SAVE = named_save.NamedSave(
    pending_key=STATE_KEYS["pending_save"],
    replace_key="mut_replace_confirm",
    cancel_key="mut_replace_cancel",
    write=_write_scenario,
    taken=lambda name: (f"Un scénario nommé « {name} » existe déjà dans la base partagée (il a pu être "
                        "enregistré par un autre utilisateur). Il n'a pas été modifié : choisissez un autre nom, "
                        "ou remplacez-le par les réglages actuels."),
)


def _apply_found_value(values: Mapping[str, Any], message: str) -> None:
    """Callback of « Appliquer cette valeur »: the value into its slider, then a full rerun. The
    button lives in the goal-seek's fragment, whose own rerun would leave the sliders and the
    results (the ``_live`` fragment) as they were; the callback runs before any widget is drawn."""
    _set_values(values, message)
    st.rerun()


@st.fragment
def render_goalseek(bodies: pd.DataFrame | None = None) -> None:
    """The goal-seek in its own fragment: a change of its parameter (each arrow key on its radio
    buttons), of its target or a search reruns only this part, not the simulator above it. The
    search reads the settings as they are then (the sliders move in the ``_live`` fragment)."""
    st.header("Valeur cible")
    st.markdown(view.goalseek_intro())
    c1, c2 = st.columns(2)
    goalseek = view.goalseek_controls()
    # six options in sight, one click to choose (no select box: see ``_widget``)
    field = c1.radio(
        "Paramètre à ajuster", list(goalseek), format_func=lambda f: goalseek[f].label, key="mut_gs_field"
    )
    target = c2.number_input(
        "Fonds visé (M€)",
        min_value=0.0,
        max_value=5000.0,
        step=1.0,
        value=float(value("mutualisation.aides.enveloppe_indicative", min(view.YEARS))) / 1e6,
        key="mut_gs_target",
        format="%.0f",
    )
    if st.button("Chercher la valeur", key="mut_gs_run"):
        try:
            params, inputs = view.engine_inputs(current_values(), bodies)
            res = goal_seek(inputs, params, field, target * 1e6)
            st.session_state[STATE_KEYS["goalseek"]] = res
        except DataError as err:
            ui.show_error(err)
    res = st.session_state.get(STATE_KEYS["goalseek"])
    if res is not None and res.field == field:
        c = goalseek[field]
        shown = res.value * c.scale
        if res.reachable:
            st.success(ui.md_text(f"{c.label} : {fmt.fmt_num(shown, 2)} → fonds de {fmt.fmt_meur(res.fund_eur)}."))
        else:
            st.warning(
                ui.md_text(
                    f"{res.message} Valeur la plus proche : {fmt.fmt_num(shown, 2)} "
                    f"(fonds de {fmt.fmt_meur(res.fund_eur)})."
                )
            )
        if c.lo <= shown <= c.hi:
            st.button(
                "Appliquer cette valeur",
                on_click=_apply_found_value,
                args=({c.key: round(shown, 6)}, f"{c.label} fixé à {fmt.fmt_num(shown, 2)}."),
            )
        else:
            st.caption("Cette valeur sort des bornes du curseur ; elle n'est pas appliquée.")


def render() -> None:
    """The whole page under its title: the controls, the live results, scenarios and goal-seek."""
    require_data("mutualisation")
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
    dataset, bodies = active_bodies()
    if dataset is not None:
        st.info(
            f"Calcul par organisme à partir du fichier importé : {ui.md_text(dataset.name)} "
            f"({fmt.fmt_int(len(bodies))} organismes).",
            icon=":material/upload_file:",
        )
    _live(bodies)
    render_scenarios(bodies)
    render_goalseek(bodies)
    from lib.ui import backtest  # campaigns replayed, sensitivity: computed only when a view is chosen

    backtest.render_section()
    with lazy.expander("Hypothèses du préréglage « Hypothèses du pacte » et leurs sources",
                       key="mut_hypotheses_ouvertes") as shown:  # built once opened
        if shown:
            tables.dataframe(view.hypotheses_table(), hide_index=True, width="stretch")


def warm_up() -> None:
    """Compute, before a server answers its first visitor (``run.py``), what the simulator's first
    run asks of the shipped data and no control changes: its regional keys and its address
    parameters, kept for every session. Raises ``DataError`` on a damaged file: the caller logs
    it and the page, which checks its files first, names the file in French."""
    from lib import mutualisation_inputs, targets

    mutualisation_inputs.regional_keys(targets.pact_years(load_params())[0])
    url_params()


def url_params() -> tuple[UrlParam, ...]:
    """The simulator's address parameters for the shipped figures file as it is now."""
    return _url_params(_figures_stamp())


@st.cache_resource(show_spinner=False, max_entries=4)
def _url_params(_figures_stamp: tuple) -> tuple[UrlParam, ...]:
    """``simulator_params()`` once per process and version of the shipped figures file: it reads
    and validates that file for each year's cited volumes, which no move of a control changes.
    Its items are frozen, so sessions share them safely."""
    return tuple(simulator_params())


def _figures_stamp() -> tuple:
    try:
        st_ = FIGURES_FILE.stat()
    except OSError:
        return (str(FIGURES_FILE), None)
    return (str(FIGURES_FILE), st_.st_mtime_ns, st_.st_size)


@st.fragment
def _live(bodies: pd.DataFrame | None) -> None:
    """The controls and what they move (results, share link, exports) in one fragment: a control
    moved reruns only this part. Scenarios stay outside: they act on a full rerun (a save, a
    load), which reads the settings then; the goal-seek is its own fragment (``render_goalseek``)."""

    url_check.enforce(url_params(), rerun=True)
    # inside the fragment: the buttons that set it (reset, cited volumes) rerun only this part
    feedback.confirm(STATE_KEYS["message"], icon=":material/info:", box="info")
    left, right = st.columns([1, 2], gap="large")
    # The results are drawn before the controls whenever their values are known without the
    # widgets: once every control has a value in the session (any run after the first), or on a
    # first run whose address sets no control (the defaults are the values). The fund total then
    # reaches the browser first. A first run from an address that sets a control draws the
    # controls first (a value given in the URL is only known once its widget exists).
    results_first = _values_known_without_widgets()
    if not results_first:
        with left:
            render_controls(bodies_in_use=bodies is not None)
    with right:
        _results(current_values(), bodies)
    if results_first:
        with left:
            render_controls(bodies_in_use=bodies is not None)


def _values_known_without_widgets() -> bool:
    """Whether ``current_values()`` is already what the controls will hold on this run."""
    keys = view.control_by_key()
    if all(key in st.session_state for key in keys):
        return True
    return not any(key in st.query_params for key in keys if key not in st.session_state)


def _results(values: Mapping[str, Any], bodies: pd.DataFrame | None) -> None:
    """The engine's run, its fund total drawn at once, then the regions and all the rest."""
    try:
        t0 = time.perf_counter()
        result, inputs = view.simulation(values, bodies)
        engine_ms = (time.perf_counter() - t0) * 1000
    except DataError as err:
        ui.show_error(err)
        return
    render_fund(result.totals)
    t0 = time.perf_counter()
    regions = view.result_regions(result, inputs, bodies is not None)
    elapsed = engine_ms + (time.perf_counter() - t0) * 1000
    st.session_state[STATE_KEYS["timing"]] = elapsed
    render_results(result, regions, elapsed, bodies_in_use=bodies is not None)
    render_share_and_exports(values, regions, result, bodies)


def active_bodies() -> tuple[Any, pd.DataFrame | None]:
    """The imported per-body dataset of this session and its engine inputs, or ``(None, None)``.

    A file the engine cannot use (which the importer's validation should prevent) is reported
    in French and the regional defaults are used instead.
    """
    dataset = ui.imported().get("organismes")
    if dataset is None:
        return None, None
    try:
        return dataset, inputs_from_bodies(dataset.frame)
    except DataError as err:
        ui.show_error(err)
        ui.show_problem("Le fichier par organisme ne peut pas être utilisé : la simulation reprend les estimations "
                        "régionales par défaut.", warning=True)
        return None, None
