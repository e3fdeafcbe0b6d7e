"""Streamlit glue for the committees: pace to target, renovation against its target, peers, the
committee packs (HTML / PDF) and the links to send, on the region page and on Accueil.

The figures come from ``lib.pace``, ``lib.renovation``, ``lib.peers`` and ``lib.committee_pack``
(pure); the per-data computations are cached with ``lib.ui.computed`` (keyed by the data in
use, copies per session); the packs are rendered only when a download button is clicked, by
pure callables.

Session keys (page-local): ``KEY_PEERS_PREFIX + code`` (the peers chosen for a region),
``KEY_PEERS_METRIC`` (the metric they are ranked on), ``KEY_READING_HOME`` (the reading of the
national target for the pace on Accueil).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib import charts, committee_pack, data, fmt, pace, peers, region_report, renovation, targets
from lib import mutualisation_inputs as mi
from lib.ui import (
    active_figures,
    computed,
    imported_fingerprint,
    load_params,
    load_regions,
    md_text,
    show_error,
    tables,
)
from lib.ui.charts import chart_spec, show_chart
from lib.ui.data_check import part_available
from lib.ui.links import render_link_to_send
from lib.views import region as region_view

KEY_PEERS_PREFIX = "region_pairs_"
KEY_PEERS_METRIC = "region_pairs_indicateur"
KEY_READING_HOME = "accueil_lecture_rythme"
#: shipped files the packs read besides the figures (the simulator's regional keys)
PACK_FILES = ("zonage/zonage_regions.csv", "mutualisation_hypotheses.yaml")


# ---------------------------------------------------------------------------------------------
# Cached per-data computations


def data_key() -> tuple:
    """What the regional computations depend on: figures and objectives in use (with edits)."""
    from lib.ui.objectives import edits_key, objectives_key

    return (imported_fingerprint("figures"), *objectives_key(), edits_key())


def _regional() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Production against objective and the pace of every region, pact years."""
    from lib.ui.objectives import current_objectives

    def compute():
        years = targets.pact_years(load_params())
        # the years of the region page's trend, of which the pact's are a part: each year is
        # computed on its own, and the region page has this one already (lib.frame_memo)
        prod = targets.regional_production(active_figures(), load_regions(), "lls_finances",
                                           region_report.TREND_YEARS)
        prod = prod[prod["annee"].isin(years)].reset_index(drop=True)
        ach = targets.achievement(prod, current_objectives())
        return ach, pace.regional_pace(ach, years)

    return computed(("rythme des régions", *data_key()), compute)


def stock() -> tuple[pd.Series, pd.Series]:
    """The social stock key of the mutualisation simulator (value and nature by region code), or
    empty series when its files are damaged (``lib.integrity`` names them at the top of the
    page): the parts built on it then show their figures as missing."""
    year = targets.pact_years(load_params())[0]

    def compute():
        keys = mi.regional_keys(year).set_index("code")
        return keys["parc_social"], keys["nature_parc"]

    try:
        return computed(("parc social des régions", year), compute)
    except Exception:  # noqa: BLE001 - a damaged file, named by lib.integrity at the top of the page
        return pd.Series(dtype=float), pd.Series(dtype=str)


def _metrics() -> pd.DataFrame:
    def compute():
        ach, rp = _regional()
        s, n = stock()
        return peers.peer_metrics(ach, rp, load_regions(), s, n,
                                  data.retained(active_figures(), renovation.INDICATOR))

    return computed(("pairs", *data_key()), compute)


def _national(reading: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """France's pace and renovation against the target of one reading."""
    from lib.ui import national_production

    def compute():
        params = load_params()
        return (pace.national_pace(national_production(), params, reading),
                renovation.national_renovation(active_figures(), params, reading))

    return computed(("rythme national", reading, imported_fingerprint("figures")), compute)


def _regional_renovation(code: str, reading: str) -> pd.DataFrame:
    def compute():
        s, n = stock()
        return renovation.regional_renovation(active_figures(), load_params(), code, s, n, reading)

    return computed(("réhabilitation de la région", code, reading, imported_fingerprint("figures")), compute)


def region_mutualisation(code: str) -> region_report.RegionMutualisation | None:
    """The region's line of the simulator's default run (the key the region page uses too)."""
    params = load_params()
    return computed(("mutualisation de la région", code), lambda: region_report.region_mutualisation(code, params))


def regional_pace_frame() -> pd.DataFrame:
    """Every region's pace for the session's data and objectives (for the map: pass the
    result to ``lib.pace.pace_indicator``)."""
    return _regional()[1]


# ---------------------------------------------------------------------------------------------
# Blocks for the screen: a sentence, a chart and its table twin (lib.pace / lib.renovation.screen_table)


def _pace_chart(t: pd.DataFrame, title: str) -> tuple:
    """The pace chart of ``t`` and its accessible title, as ``show_chart`` takes them."""
    return (lambda: charts.french(committee_pack.pace_chart(
        t, title, width="container", height=300,
        subtitle="Barres : logements financés ; trait noir : rythme nécessaire",
        subtitle_size=charts.FONT_SIZE)),
        f"{title} : production de chaque année du pacte (barres) et rythme nécessaire pour atteindre "
        "l'objectif de la période (trait noir) ; les chiffres sont dans le tableau qui suit.")


def _pace_block(t: pd.DataFrame, territory: str, title: str, key: tuple, chart_key: str, sources: str,
                grid_key: str) -> None:
    """Sentence, chart (spec built once for ``key``) and its table twin, HTML with its grid in the
    lazy expander ``grid_key`` (``tables.static_table``)."""
    st.markdown(md_text(pace.pace_sentence(t, territory)) + " " + md_text(committee_pack._balance_text(t)))
    # twin: the table right below gives the same figures
    show_chart(*_pace_chart(t, title), key=chart_key, sources=sources, cache=("rythme", *key))
    tables.static_table(pace.screen_table(t), key=grid_key, grid_label=region_view.PACE_GRID_LABEL,
                        hide_index=True, width="stretch")
    st.caption("Rythme nécessaire : objectif cumulé de la période moins la production des années précédentes, "
               "divisé par les années restantes. Une année manquante rend les suivantes non calculables ; "
               "une production estimée rend le rythme estimé.")


def _renovation_table(reno: pd.DataFrame, grid_key: str) -> None:
    """Renovation against its target, year by year: HTML at open (its sources live links), the grid
    in the lazy expander ``grid_key``."""
    tables.static_table(renovation.screen_table(reno), key=grid_key, grid_label=region_view.RENOVATION_GRID_LABEL,
                        hide_index=True, width="stretch",
                        column_config={"Source": st.column_config.LinkColumn("Source")})


# ---------------------------------------------------------------------------------------------
# Accueil


def render_accueil_committee() -> None:
    """France's pace to the 2015 objective, renovation against its target, the national pack."""
    params = load_params()
    st.subheader("Le rythme qu'il fallait tenir pour atteindre l'objectif 2015")
    reading = st.segmented_control(
        "Lecture de l'objectif national", list(targets.READINGS), key=KEY_READING_HOME,
        format_func=lambda r: targets.READING_LABELS[r][:1].upper() + targets.READING_LABELS[r][1:],
        default="tous_bailleurs",
    ) or "tous_bailleurs"
    try:
        figures = active_figures()
        t, reno = _national(reading)
    except Exception as err:  # noqa: BLE001 - the rest of Accueil must still show
        show_error(err)
        return
    from lib.ui import national_production

    nat = national_production()
    _pace_block(t, "la France", f"France, objectif {targets.READING_LABELS[reading]}",
                ("France", reading, imported_fingerprint("figures")), "rythme",
                charts.sources_line(nat.loc[nat["serie"] == "Total", "source"]), grid_key="accueil_rythme_grille")

    st.subheader("Réhabilitation thermique face à l'objectif du pacte")
    st.markdown(md_text(renovation.renovation_sentence(reno, "France", targets.READING_LABELS[reading])))
    _renovation_table(reno, "accueil_rehab_grille")
    st.caption(md_text(f"Objectif : {fmt.fmt_int(renovation.yearly_target(params, reading))} logements "
                       f"sociaux réhabilités par an ({params[targets.REHAB_READINGS[reading]].reference}). "
                       f"{renovation.PERIOD_RULE} {targets.REHAB_WARNING}"))

    st.subheader("Pour le comité de suivi national")
    st.markdown("Dossier d'une à deux pages A4 : l'état face au pacte, les trois régions prioritaires et le solde "
                "de la mutualisation, avec la date de chaque source.")
    if not all([part_available("accueil", name) for name in PACK_FILES]):
        return
    from lib.ui.objectives import current_objectives

    try:
        objectives, regions = current_objectives(), load_regions()
        s, n = stock()
    except Exception as err:  # noqa: BLE001
        show_error(err)
        return

    def page() -> str:
        return committee_pack.national_pack_html(
            committee_pack.build_national_pack(figures, regions, params, objectives, s, n))

    c1, c2 = st.columns(2)
    c1.download_button(
        "Dossier national (PDF)", data=lambda: committee_pack.to_pdf(page()),
        file_name="pacte_hlm_comite_national.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
        key="accueil_dossier_pdf", on_click="ignore",
    )
    c2.download_button(
        "Dossier national (HTML imprimable)", data=lambda: page().encode("utf-8"),
        file_name="pacte_hlm_comite_national.html", mime="text/html", icon=":material/print:",
        key="accueil_dossier_html", on_click="ignore",
    )


# ---------------------------------------------------------------------------------------------
# Region page


def _region_pace_table(p: region_report.RegionProfile) -> pd.DataFrame:
    return pace.pace_table(p.achievement[pace.INPUT_COLUMNS], targets.pact_years(load_params()))


def render_region_pace(p: region_report.RegionProfile) -> None:
    st.subheader("Le rythme qu'il fallait tenir pour atteindre l'objectif 2015")
    _pace_block(_region_pace_table(p), p.nom, p.nom, (p.code, *data_key()), "rythme_region",
                charts.sources_line(p.achievement["source_production"]), grid_key=f"region_{p.code}_rythme_grille")


def warm_up_region(p: region_report.RegionProfile, when_idle: Callable[[], None]) -> None:
    """Compute what the region page's committee blocks compute first for a new session (pace
    chart, renovation, the default peers' chart, mutualisation), under the keys they read;
    ``when_idle()`` is called before each step (``lib.ui.region.warm_up``)."""
    when_idle()
    chart_spec(*_pace_chart(_region_pace_table(p), p.nom), ("rythme", p.code, *data_key()))
    when_idle()
    _regional_renovation(p.code, p.reading if p.reading in targets.REHAB_READINGS else "tous_bailleurs")
    when_idle()
    s, _n = stock()
    chosen = peers.default_peers(p.code, targets.priority_regions(load_params()), s)
    metric = next(iter(peers.METRICS))  # the picker's first choice
    chart_spec(*_peers_chart(p, chosen, metric))
    when_idle()
    region_mutualisation(p.code)


def _peers_chart(p: region_report.RegionProfile, chosen: list[str], metric: str) -> tuple:
    """The peers' chart for ``chosen`` and ``metric``, its accessible title and its cache key."""
    metrics = _metrics()
    ranked = peers.rank_peers(metrics, p.code, chosen, metric)
    median, _nature, _n = peers.national_median(metrics, metric)
    return (lambda: charts.french(committee_pack.peers_chart(ranked, median, metric, width="container", step=34,
                                                            subtitle_size=charts.FONT_SIZE)),
            f"{peers.METRICS[metric][0]} : {p.nom} et les régions comparées, de la plus haute à la plus "
            "basse valeur, avec la médiane nationale (trait rouge) ; le tableau qui suit donne les chiffres.",
            ("pairs", p.code, tuple(chosen), metric, *data_key()))


def render_region_renovation(p: region_report.RegionProfile) -> None:
    reading = p.reading if p.reading in targets.REHAB_READINGS else "tous_bailleurs"
    reno = _regional_renovation(p.code, reading)
    st.markdown("**Face à l'objectif du pacte** (" + md_text(targets.READING_LABELS[reading]) + ")")
    st.markdown(md_text(renovation.renovation_sentence(reno, p.nom, targets.READING_LABELS[reading])))
    if len(reno):
        _renovation_table(reno, f"region_{p.code}_rehab_grille")
    st.caption(md_text(f"Objectif régional estimé : {renovation.STOCK_RULE} (clé du simulateur de mutualisation). "
                       + renovation.PERIOD_RULE))


def _metric_fmt(metric: str):
    return (lambda v: fmt.fmt_pct(v, 0)) if peers.METRICS[metric][2] == "pct" else (lambda v: fmt.fmt_num(v, 1))


def render_peers(p: region_report.RegionProfile) -> tuple[list[str], str]:
    """The region against the chosen peers; returns (peer codes, metric) for the pack."""

    st.subheader("Comparaison avec d'autres régions")
    params = load_params()
    regions = load_regions()
    names = dict(zip(regions["code"], regions["nom"], strict=True))
    s, _n = stock()
    default = peers.default_peers(p.code, targets.priority_regions(params), s)
    key = KEY_PEERS_PREFIX + p.code
    c1, c2 = st.columns([3, 2])
    chosen = c1.multiselect(
        "Régions comparées", [c for c in names if c != p.code], default=default, key=key,
        format_func=lambda c: names[c], placeholder="Choisissez des régions",
        help="Par défaut : les autres régions prioritaires du pacte et les trois régions dont le parc locatif "
             "social est le plus proche.",
    )
    metric = c2.selectbox("Indicateur", list(peers.METRICS), key=KEY_PEERS_METRIC,
                          format_func=lambda m: peers.METRICS[m][0])
    try:
        metrics = _metrics()
    except Exception as err:  # noqa: BLE001
        show_error(err)
        return chosen, metric
    ranked = peers.rank_peers(metrics, p.code, chosen, metric)
    median, med_nature, n_med = peers.national_median(metrics, metric)
    fmt_v = _metric_fmt(metric)
    st.markdown(md_text(peers.peers_sentence(ranked, median, metric, fmt_v)))
    # twin: the ranking table right below gives the same figures
    chart, alt_text, cache = _peers_chart(p, chosen, metric)
    show_chart(chart, alt_text, key="pairs", sources=charts.sources_line(p.achievement["source_production"]),
               cache=cache)
    table = pd.DataFrame({
        "Rang": ["" if pd.isna(r) else str(int(r)) for r in ranked["rang"]],
        "Région": [f"{r} (région du comité)" if sel else r for r, sel in zip(ranked["region"], ranked["selection"])],
        peers.METRICS[metric][0]: [fmt_v(v) for v in ranked["valeur"]],
        "Nature": ranked["nature"],
        "Note": ranked["note"],
    })
    median_row = pd.DataFrame({"Rang": [""], "Région": [f"Médiane nationale ({n_med} régions)"],
                               peers.METRICS[metric][0]: [fmt_v(median)], "Nature": [med_nature], "Note": [""]})
    tables.static_table(pd.concat([table, median_row], ignore_index=True), key=f"region_{p.code}_pairs_grille",
                        grid_label=region_view.PEERS_GRID_LABEL, hide_index=True, width="stretch")
    st.caption("Médiane de toutes les régions qui ont une valeur, quel que soit l'ensemble choisi. Le parc social "
               "servant à choisir les régions proches est celui du simulateur de mutualisation (cité, dérivé ou "
               "estimé selon la région).")
    return chosen, metric


def render_pack(p: region_report.RegionProfile, chosen: list[str], metric: str) -> None:
    """The one-page committee pack (PDF and printable HTML) and the address to send.

    Everything the pack needs is gathered during the run (cached); the download callables,
    run on click outside the script, only do pure work (``lib.committee_pack``)."""
    st.markdown("**Dossier du comité régional** : une page A4 — résumé, production face à l'objectif et au rythme "
                "nécessaire, comparaison, réhabilitation, mutualisation et sources datées.")
    if not part_available("region", "mutualisation_hypotheses.yaml"):
        render_link_to_send("Adresse de cette page, à envoyer au comité", {"region": p.code}, "region")
        return
    slug = "".join(ch if ch.isalnum() else "_" for ch in p.nom.lower())
    try:
        figures, params = active_figures(), load_params()
        metrics = _metrics()
        s, n = stock()
        mut = region_mutualisation(p.code)
    except Exception as err:  # noqa: BLE001
        show_error(err)
        return
    chosen = list(chosen)

    def page() -> str:
        pk = committee_pack.build_region_pack(p, figures, params, metrics, s, n, chosen, metric, mut)
        return committee_pack.region_pack_html(pk)

    c1, c2 = st.columns(2)
    c1.download_button(
        "Dossier du comité (PDF, une page)", data=lambda: committee_pack.to_pdf(page()),
        file_name=f"pacte_hlm_{p.code}_{slug}_dossier.pdf", mime="application/pdf",
        icon=":material/picture_as_pdf:", key="region_dossier_pdf", on_click="ignore",
    )
    c2.download_button(
        "Dossier du comité (HTML imprimable)", data=lambda: page().encode("utf-8"),
        file_name=f"pacte_hlm_{p.code}_{slug}_dossier.html", mime="text/html", icon=":material/print:",
        key="region_report", on_click="ignore",
        help="Ouvrez le fichier dans un navigateur puis « Imprimer » : il tient sur une page A4.",
    )
    render_link_to_send("Adresse de cette page, à envoyer au comité", {"region": p.code}, "region")
