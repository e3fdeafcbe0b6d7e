"""Streamlit glue of the guided presentation (pages/presentation.py): four screens (France, the map
of the priority regions, a region, a mutualisation scenario) stepped through with big buttons or
the keyboard (→ / ← natively, PageDown / PageUp as a presentation clicker sends them).

The address holds everything (``?presentation=true&sequence=2&region=91&scenario=…``): a
presenter bookmarks a screen and reopens it. Screens reuse the pages' own drawing functions;
their sentences and sources come from ``lib.presentation``. Session keys: ``KEY_REGION_PICK``,
``KEY_SCENARIO_PICK`` (the settings' widgets).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import charts, committee_pack, fmt, pace, region_report, store, targets
from lib import presentation as seq
from lib.errors import DataError
from lib.ui import (
    KEY_PRESENTATION,
    active_figures,
    imported_fingerprint,
    load_params,
    load_regions,
    md_text,
    national_production,
    show_error,
    url_check,
)
from lib.ui.data_check import require_data
from lib.url_state import UrlParam

KEY_REGION_PICK = "pres_region"
KEY_SCENARIO_PICK = "pres_scenario"
KEY_NEXT = "pres_suivant"
KEY_PREVIOUS = "pres_precedent"
PARAM_STEP, PARAM_REGION, PARAM_SCENARIO = "sequence", "region", "scenario"

# Same-origin script, nothing fetched: a presentation clicker sends PageDown / PageUp, which
# st.button's own shortcut (→ / ←) does not cover. Ignored while typing in a field.
_CLICKER_JS = """
<script>
if (!window.__pacteClicker) {
  window.__pacteClicker = true;
  document.addEventListener("keydown", (e) => {
    if (e.key !== "PageDown" && e.key !== "PageUp") return;
    const t = e.target;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    const key = e.key === "PageDown" ? "pres_suivant" : "pres_precedent";
    const button = document.querySelector(".st-key-" + key + " button:not([disabled])");
    if (button) { e.preventDefault(); button.click(); }
  });
}
</script>
"""
_BUTTONS_CSS = """
<style>
  .st-key-pres_suivant button, .st-key-pres_precedent button { min-height: 3.6rem; font-size: 1.35rem; }
  .st-key-pres_suivant button p, .st-key-pres_precedent button p { font-size: 1.35rem; }
  .st-key-pres_phrase p { font-size: 1.5rem !important; font-weight: 600; line-height: 1.35; }
</style>
"""


def _names() -> dict[str, str]:
    regions = load_regions()
    return dict(zip(regions["code"], regions["nom"], strict=True))


def _saved() -> list[store.SavedScenario]:
    try:
        return store.list_scenarios()
    except DataError as err:
        show_error(err)
        return []


def url_params(region_codes: tuple[str, ...], scenario_names: tuple[str, ...]) -> list[UrlParam]:
    """What the address may say, checked (a bad value is reported in French and dropped)."""
    return [
        UrlParam(PARAM_STEP, "étape de la présentation", "choice", seq.STEP_CHOICES),
        UrlParam(PARAM_REGION, "région", "choice", region_codes,
                 hint="code INSEE d'une région d'avant 2016, par exemple 91 pour le Languedoc-Roussillon"),
        UrlParam(PARAM_SCENARIO, "scénario enregistré", "choice", scenario_names,
                 hint="nom d'un scénario enregistré sur la page « Mutualisation »"),
    ]


def _go(step: int) -> None:
    """Button callback: the address names the new step (the run that follows draws it)."""
    st.query_params[PARAM_STEP] = str(step)


def _set_param(name: str, key: str) -> None:
    value = st.session_state.get(key)
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def render() -> None:
    """The whole page under its title: its data files checked, settings, the screen of the step
    the address names, next/previous."""
    require_data("presentation")
    names = _names()
    saved = _saved()
    url_check.enforce(url_params(tuple(names), tuple(s.name for s in saved)))
    step = seq.step_number(st.query_params.get(PARAM_STEP))
    priority = targets.priority_regions(load_params())
    region = st.query_params.get(PARAM_REGION) or (priority[0] if priority else next(iter(names)))
    scenario = st.query_params.get(PARAM_SCENARIO) or (saved[0].name if saved else None)
    if not st.session_state.get(KEY_PRESENTATION):
        st.info("Pour projeter, activez le « Mode présentation » dans le volet de gauche : textes et graphiques "
                "s'agrandissent et le volet se replie.", icon=":material/slideshow:")
    st.html(_BUTTONS_CSS)
    st.html(_CLICKER_JS, unsafe_allow_javascript=True)
    _buttons(step)
    # the sentence the room retains comes first, the screen's figures under it
    phrase = st.container(key="pres_phrase")
    screen = seq.STEPS[step - 1].name
    try:
        sentence, sources_items = {
            "national": _national,
            "carte": _map,
            "region": lambda: _region(region),
            "scenario": lambda: _scenario(saved, scenario),
        }[screen]()
    except DataError as err:
        show_error(err)
        sentence, sources_items = None, []
    if sentence:
        phrase.markdown(md_text(sentence))
    st.caption(md_text(seq.sources_text(sources_items)))
    _settings(names, saved, region, scenario)


def _settings(names: dict[str, str], saved: list[store.SavedScenario], region: str, scenario: str | None) -> None:
    with st.expander("Régler la présentation (région, scénario)", icon=":material/tune:"):
        codes = list(names)
        if st.session_state.get(KEY_REGION_PICK) != region:
            st.session_state[KEY_REGION_PICK] = region
        st.selectbox("Région présentée à l'étape 3", codes, key=KEY_REGION_PICK, format_func=names.get,
                     on_change=_set_param, args=(PARAM_REGION, KEY_REGION_PICK))
        if saved:
            options = [s.name for s in saved]
            if st.session_state.get(KEY_SCENARIO_PICK) != scenario:
                st.session_state[KEY_SCENARIO_PICK] = scenario
            st.selectbox("Scénario présenté à l'étape 4", options, key=KEY_SCENARIO_PICK,
                         on_change=_set_param, args=(PARAM_SCENARIO, KEY_SCENARIO_PICK))
        else:
            st.caption("Aucun scénario enregistré : l'étape 4 montre les réglages par défaut du simulateur. "
                       "Enregistrez un scénario sur la page « Mutualisation » pour le présenter.")
        st.caption("L'adresse de la page garde l'étape, la région et le scénario : copiez-la pour rouvrir "
                   "cet écran.")


def _buttons(step: int) -> None:
    """Previous, where we are, next: big, at the top (where a presenter looks), with the keys."""
    before, after = seq.previous_step(step), seq.next_step(step)
    left, middle, right = st.columns([2, 5, 2], vertical_alignment="center")
    left.button("Précédent", key=KEY_PREVIOUS, width="stretch",
                disabled=before is None, on_click=_go, args=(before or step,), shortcut="Left",
                help="Écran précédent (touche ← ou Page précédente)")
    middle.subheader(seq.progress_label(step))
    right.button("Suivant", key=KEY_NEXT, type="primary",
                 width="stretch", disabled=after is None, on_click=_go, args=(after or step,), shortcut="Right",
                 help="Écran suivant (touche → ou Page suivante)")


# ---------------------------------------------------------------------------------------------
# Screens: each draws itself and returns (sentence, [(source, date)])


def _national() -> tuple[str, list]:
    params = load_params()
    national = national_production()
    years = targets.pact_years(params)
    total = national[(national["serie"] == "Total") & national["annee"].isin(years)]
    # no metric row when the figures in use hold none of the pact's years (the sentence says so)
    cols = st.columns(len(total)) if len(total) else []
    for col, r in zip(cols, total.itertuples()):
        col.metric(f"{r.annee}", fmt.fmt_int(r.valeur), border=True,
                   delta=f"{fmt.fmt_pct(r.taux_tous_bailleurs, 0)} de l'objectif ({r.nature})",
                   delta_color="off", delta_arrow="off")
    from lib.ui.charts import show_chart

    everything = national[national["serie"] == "Total"]
    show_chart(lambda: charts.french(charts.national_production_chart(national)),
               f"Logements locatifs sociaux financés par an de {everything['annee'].min()} à "
               f"{everything['annee'].max()} et objectifs du pacte pour {min(years)} à {max(years)}",
               key="presentation_national", sources=charts.sources_line(everything["source"]),
               cache=("accueil", imported_fingerprint("figures")))
    balance = pace.period_balance(pace.national_pace(national, params, "tous_bailleurs"))
    items = [*zip(total["source"], total["date_source"]), committee_pack.pact_reference(params)]
    return seq.national_sentence(balance), items


def _map() -> tuple[str, list]:
    from lib.ui import carte
    from lib.views import carte as carte_view

    params = load_params()
    year = str(max(targets.pact_years(params)))  # the pact's last year: the map and the sentence say the same
    table = carte.indicator_table("taux", year, "total")
    label = targets.INDICATOR_CHOICES["taux"]
    st.markdown(f"**{md_text(label)} — {year}** (objectifs régionaux estimés où aucun n'est publié)")
    values, legend = carte_view.map_values(table, "taux", label, year)
    left, right = st.columns([3, 1])
    with left:
        carte.draw_map(values, tuple(targets.priority_regions(params)))
    with right:
        carte.render_legend(legend, label, carte_view.priority_legend_text(params, load_regions()))
    prio = table[table["prioritaire"].eq(True)]
    items = [*zip(prio["source"], prio.get("date_source", pd.Series([""] * len(prio)))),
             committee_pack.pact_reference(params)]
    return seq.priority_sentence(seq.priority_rows(table, targets.priority_regions(params)), year), items


def _region(code: str) -> tuple[str, list]:
    from lib.ui import region as ui_region
    from lib.ui.charts import show_chart
    from lib.ui.committee import regional_pace_frame

    p = ui_region.profile(code)
    st.markdown(f"### {md_text(p.nom + (' — région prioritaire du pacte' if p.prioritaire else ''))}")
    ui_region.render_headline(p)
    show_chart(lambda: charts.french(region_report.achievement_chart(p)),
               f"Production de logements sociaux de {p.nom} face à son objectif, "
               f"{seq.period_label(targets.pact_years(load_params()))}",
               key=f"presentation_region_{p.code}", width="content",
               sources=region_report.chart_sources(p),
               cache=(*ui_region.profile_key(p.code), "réalisation"))
    rp = regional_pace_frame()
    balance = pace.period_balance(rp[rp["code"] == code].drop(columns="code"))
    natures = set(p.achievement["nature_objectif"])
    items = committee_pack.dated_sources(committee_pack.achievement_sources(p.achievement, load_params()),
                                         active_figures())
    return seq.region_sentence(balance, p.nom, seq.ESTIMATED if seq.ESTIMATED in natures else "cité"), items


def _scenario(saved: list[store.SavedScenario], name: str | None) -> tuple[str, list]:
    from lib import mutualisation as mu
    from lib.ui import mutualisation as ui_mut
    from lib.views import mutualisation as mv

    chosen = next((s for s in saved if s.name == name), None)
    if chosen is None:
        st.warning("Aucun scénario enregistré : voici les **réglages par défaut du simulateur** (préréglage "
                   "« Hypothèses du pacte »), pas un scénario choisi. Enregistrez un scénario sur la page "
                   "« Mutualisation » pour le présenter ici.", icon=":material/info:")
        values = mv.default_values()
    else:
        st.markdown(f"**Scénario enregistré « {md_text(chosen.name)} »**")
        values = {**mv.default_values(), **chosen.payload.get("values", {})}
    result, regions = mv.compute(values)
    counts = mu.count_by_statut(regions)
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.metric("Fonds de mutualisation", fmt.fmt_meur(result.totals["fonds_total_eur"]), border=True)
    c2.metric("Régions contributrices nettes", fmt.fmt_int(counts["contributeur net"]), border=True)
    c3.metric("Régions bénéficiaires nettes", fmt.fmt_int(counts["bénéficiaire net"]), border=True)
    ui_mut.render_balance_map(regions)
    items = [(mv.FLOWS_SOURCES.removeprefix("Source : "), "calcul du tableau de bord"),
             committee_pack.pact_reference(load_params())]
    return seq.scenario_sentence(result.totals, counts, chosen.name if chosen else None), items
