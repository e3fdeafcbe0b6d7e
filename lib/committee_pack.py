"""Packs for the pact's committees: one A4 page for a regional committee, one or two for the
national follow-up committee (pact, point 6 and annex 5), as HTML and as PDF.

The region pack gathers what a regional committee reviews: the summary, production against its
objective and against the pace the 2015 objective required, renovation against its target,
the region among its peers, what the mutualisation (annex 1) means for it, and every source
with the date it was published or consulted. The national pack gives the status against the
pact, the three priority regions and the mutualisation balance.

Charts are inline SVG rendered by vl-convert (no browser, no network). The PDF is rendered from
the same HTML by WeasyPrint with the machine's own fonts (Liberation Sans, DejaVu Sans) and a
URL fetcher that refuses anything but inline data, so a pack never reaches the network. Every
text from data is HTML-escaped. No Streamlit here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import altair as alt
import numpy as np
import pandas as pd

from lib import charts, data, fmt, pace, peers, region_report, renovation, sources, targets
from lib import mutualisation as mu
from lib import mutualisation_inputs as mi
from lib.natures import ESTIME, MANQUANT
from lib.presentation import period_label

#: short chart titles of the peer metrics (the full label is in the sentence beside the chart);
#: ``{periode}`` is the pact's years, « 2013–2015 »
SHORT_METRICS = {"taux": "Réalisation de l'objectif {periode}", "pour_10k": "Logements par an pour 10 000 hab.",
                 "rythme": "Production / rythme nécessaire", "rehab_parc": "Éco-prêts pour 1 000 logements"}
FONT_STACK = "Liberation Sans, DejaVu Sans, sans-serif"
PRINT_FONT_SIZE = 10
esc = html.escape


# ---------------------------------------------------------------------------------------------
# Sources and their dates


def pact_reference(params) -> tuple[str, str]:
    """The pact's own reference as (text, date label)."""
    ref = params["objectifs.production_tous_bailleurs"].references[0]
    return f"{ref.title} — {ref.href}", sources.date_label(ref.date)


def achievement_sources(achievement: pd.DataFrame, params) -> list[tuple[str, str]]:
    """(source, date) of a region's production and objectives: a published objective takes its
    date from the figures file (``dated_sources``), one allocated by a rule the pact's date."""
    entries = [(r.source_production, r.date_source_production) for r in achievement.itertuples()]
    pact_date = pact_reference(params)[1]
    entries += [(s, "" if str(rg).startswith(targets.PUBLISHED_RULE) else f"pacte {pact_date}")
                for s, rg in zip(achievement["source_objectif"], achievement["regle"].fillna(""))]
    return entries


def dated_sources(entries: Iterable[tuple[str, str]], figures: pd.DataFrame) -> list[tuple[str, str]]:
    """(source, date label) pairs, once each, in order of first appearance. A source given
    without a date takes the date the figures file gives it (« publié le … », « consulté le … »);
    a source with no date anywhere says so (« date inconnue »), never a made-up one."""
    known = {}
    if "date_source" in figures.columns:
        for src, d in zip(figures["source"], figures["date_source"].fillna("")):
            if d and src not in known:
                known[src] = d
    out: dict[str, str] = {}
    for src, d in entries:
        src = str(src or "").strip()
        if not src or src == "calcul":
            continue
        d = str(d or "").strip() or known.get(src, "") or known.get(src.split(" — ")[0], "")
        if src not in out or (not out[src] and d):
            out[src] = d
    return [(s, d or sources.UNKNOWN_DATE) for s, d in out.items()]


def _sources_html(items: list[tuple[str, str]]) -> str:
    return "".join(f"<li>{esc(s)} <span class=\"date\">— {esc(d)}</span></li>" for s, d in items)


# ---------------------------------------------------------------------------------------------
# Charts for print (small fonts, French formats)


def print_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as inline SVG at print size (vl-convert, no network)."""
    import vl_convert as vlc

    c = chart.configure(
        locale={"number": charts.FR_NUMBER_LOCALE, "time": charts.FR_TIME_LOCALE}, font=FONT_STACK,
        background="white",
    ).configure_axis(labelFontSize=PRINT_FONT_SIZE, titleFontSize=PRINT_FONT_SIZE).configure_legend(
        labelFontSize=PRINT_FONT_SIZE - 1, titleFontSize=PRINT_FONT_SIZE - 1, orient="bottom", direction="horizontal",
        labelLimit=200,
    ).configure_title(fontSize=PRINT_FONT_SIZE + 1, anchor="start").configure_view(stroke=None)
    return vlc.vegalite_to_svg(c.to_dict(validate=charts.validating()))  # the schema checked in the tests only


def _size(subtitle_size: int | None) -> dict:
    return {"subtitleFontSize": subtitle_size} if subtitle_size else {}


def present_natures(natures: pd.Series) -> list[str]:
    """The natures a chart shows, in the usual order (its legend lists only those)."""
    seen = set(natures.dropna())
    return [n for n in charts.NATURE_DOMAIN if n in seen] or [MANQUANT]


def pace_chart(table: pd.DataFrame, title: str, width: int | str = 300, height: int = 125,
               subtitle: str = "", subtitle_size: int | None = None) -> alt.LayerChart:
    """Bars: production of each pact year (colour = nature); black ticks: the pace required
    that year to reach the period's objective; « n.d. » where a figure is missing."""
    df = table.assign(annee_txt=table["annee"].astype(int).astype(str))
    base = alt.Chart(df).encode(x=alt.X("annee_txt:O", title=None, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=34).encode(
        y=alt.Y("production:Q", title="Logements financés", axis=alt.Axis(format=",.0f")),
        color=alt.Color("nature_production:N", title="Nature de la production",
                        scale=alt.Scale(domain=charts.NATURE_DOMAIN, range=charts.NATURE_RANGE),
                        legend=alt.Legend(values=present_natures(df["nature_production"]))),
        tooltip=[alt.Tooltip("annee_txt:N", title="Année"),
                 alt.Tooltip("production:Q", title="Production", format=",.0f"),
                 alt.Tooltip("rythme_requis:Q", title="Rythme nécessaire", format=",.0f"),
                 alt.Tooltip("ratio:Q", title="Production / rythme", format=".0%")],
    )
    ticks = base.mark_tick(thickness=3, size=46, color="#161616").encode(
        y="rythme_requis:Q", tooltip=[alt.Tooltip("rythme_requis:Q", title="Rythme nécessaire", format=",.0f")])
    nd = base.transform_filter("!isValid(datum.production)").mark_text(
        text="n.d.", fontSize=PRINT_FONT_SIZE, color="#666666", dy=-6).encode(y=alt.datum(0))
    heading = alt.Title(title, subtitle=subtitle, **_size(subtitle_size)) if subtitle else title
    return (bars + ticks + nd).properties(title=heading, width=width, height=height)


def peers_chart(ranked: pd.DataFrame, median: float, metric: str, width: int | str = 300, short: str = "",
                step: int = 15, subtitle_size: int | None = None) -> alt.LayerChart:
    """Horizontal bars, best first; the region in blue, the others grey; a dashed line at the
    national median."""
    label, _unit, kind = peers.METRICS[metric]
    df = ranked.assign(
        groupe=np.where(ranked["selection"], "Région", "Comparaison"),
        libelle=[f"{_short_name(r)} ({fmt.fmt_pct(v, 0) if kind == 'pct' else fmt.fmt_num(v, 1)})"
                 for r, v in zip(ranked["region"], ranked["valeur"])],
    )
    fmt_axis = ".0%" if kind == "pct" else ",.1f"
    bars = alt.Chart(df).mark_bar().encode(
        y=alt.Y("libelle:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("valeur:Q", title=None, axis=alt.Axis(format=fmt_axis)),
        color=alt.Color("groupe:N", legend=None,
                        scale=alt.Scale(domain=["Région", "Comparaison"], range=["#000091", "#b5b5c9"])),
        tooltip=[alt.Tooltip("region:N", title="Région"), alt.Tooltip("valeur:Q", title=label, format=fmt_axis),
                 alt.Tooltip("nature:N", title="Nature")],
    )
    layers = [bars]
    if not np.isnan(median):
        layers.append(alt.Chart(pd.DataFrame({"m": [median]})).mark_rule(strokeDash=[4, 3], color="#e1000f",
                                                                        strokeWidth=2).encode(x="m:Q"))
    title = alt.Title(short or label, subtitle="tiret rouge : médiane nationale", **_size(subtitle_size))
    return alt.layer(*layers).properties(title=title, width=width, height=alt.Step(step))


def _short_name(name: str) -> str:
    return {"Provence-Alpes-Côte d'Azur": "PACA"}.get(name, name)


def trend_chart(p: region_report.RegionProfile, width: int | str = 300, height: int = 118) -> alt.LayerChart:
    df = p.trend.assign(annee_txt=p.trend["annee"].astype(str))
    base = alt.Chart(df).encode(x=alt.X("annee_txt:O", title=None, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=22).encode(
        y=alt.Y("valeur:Q", title=None, axis=alt.Axis(format=",.0f")),
        color=alt.Color("nature:N", legend=None, scale=alt.Scale(domain=charts.NATURE_DOMAIN,
                                                                 range=charts.NATURE_RANGE)),
    )
    nd = base.transform_filter("!isValid(datum.valeur)").mark_text(
        text="n.d.", fontSize=PRINT_FONT_SIZE - 1, color="#666666", dy=-6).encode(y=alt.datum(0))
    title = f"Logements financés {period_label(p.trend['annee'].astype(int).tolist())}"
    return (bars + nd).properties(title=title, width=width, height=height)


# ---------------------------------------------------------------------------------------------
# The region pack


@dataclass
class RegionPack:
    profile: region_report.RegionProfile
    summary: str
    pace: pd.DataFrame  # lib.pace.pace_table of the region
    renovation: pd.DataFrame  # lib.renovation.regional_renovation
    renovation_label: str  # reading of the renovation target, in French
    mutualisation: region_report.RegionMutualisation | None
    peers: pd.DataFrame  # lib.peers.rank_peers
    peers_metric: str
    peers_median: tuple[float, str, int]
    sources: list[tuple[str, str]]


def build_region_pack(
    profile: region_report.RegionProfile,
    figures: pd.DataFrame,
    params,
    metrics: pd.DataFrame,
    stock: pd.Series,
    stock_natures: pd.Series,
    peer_codes: Iterable[str] | None = None,
    peers_metric: str = "taux",
    mutualisation: region_report.RegionMutualisation | None = None,
) -> RegionPack:
    """Everything the region pack shows. ``metrics`` from ``lib.peers.peer_metrics``; the peers
    default to ``lib.peers.default_peers``; ``mutualisation`` from
    ``region_report.region_mutualisation`` (the simulator's defaults)."""
    p = profile
    years = targets.pact_years(params)
    pace_t = pace.pace_table(p.achievement[pace.INPUT_COLUMNS], years)
    reading = p.reading if p.reading in targets.REHAB_READINGS else "tous_bailleurs"
    reno = renovation.regional_renovation(figures, params, p.code, stock, stock_natures, reading)
    codes = list(peer_codes) if peer_codes is not None else peers.default_peers(
        p.code, targets.priority_regions(params), stock)
    ranked = peers.rank_peers(metrics, p.code, codes, peers_metric)
    median = peers.national_median(metrics, peers_metric)
    summary = region_report.summary_text(p) + " " + pace.pace_sentence(pace_t, p.nom)
    entries = achievement_sources(p.achievement, params)
    entries += list(zip(p.trend["source"], p.trend["date_source"]))
    entries += list(zip(reno["source"], reno["date_source"]))
    entries.append(pact_reference(params))
    return RegionPack(
        profile=p, summary=summary, pace=pace_t, renovation=reno,
        renovation_label=targets.READING_LABELS[reading], mutualisation=mutualisation, peers=ranked,
        peers_metric=peers_metric, peers_median=median, sources=dated_sources(entries, figures),
    )


def _nat(nature: str) -> str:
    return f'<span class="nat nat-{esc(nature)}">{esc(nature)}</span>'


def _value_fmt(metric: str):
    return (lambda v: fmt.fmt_pct(v, 0)) if peers.METRICS[metric][2] == "pct" else (lambda v: fmt.fmt_num(v, 1))


PACK_CSS = f"""
@page {{ size: A4; margin: 9mm 10mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; font-size: 8.3pt; line-height: 1.28; color: #161616; margin: 0 auto;
        max-width: 190mm; }}
h1 {{ font-size: 14pt; margin: 0 0 0.8mm 0; color: #000091; }}
h2 {{ font-size: 10pt; margin: 2.2mm 0 0.8mm 0; color: #000091; border-bottom: 0.3mm solid #dddddd; }}
p {{ margin: 0.6mm 0; }}
p.summary {{ background: #f5f5fe; padding: 1.6mm 2.2mm; border-left: 1.2mm solid #000091; margin: 1mm 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.2pt; }}
td, th {{ border: 0.25mm solid #cccccc; padding: 0.5mm 1.3mm; text-align: right; vertical-align: top; }}
th {{ background: #eeeeee; font-weight: bold; }}
td:first-child, th:first-child {{ text-align: left; }}
.cols {{ display: flex; gap: 4mm; }} .cols > div {{ flex: 1 1 0; min-width: 0; }}
.cols3 {{ display: flex; gap: 2.5mm; align-items: flex-start; margin-top: 1mm; }}
.cols3 > div {{ flex: 1 1 0; min-width: 0; }}
.fig svg {{ width: 100%; height: auto; }}
.nat {{ font-size: 7pt; color: #555555; }} .nat-estimé {{ color: #a6461a; font-weight: bold; }}
.nat-manquant {{ color: #777777; font-style: italic; }}
.note {{ font-size: 7.4pt; color: #555555; }}
ul.sources {{ margin: 0.5mm 0 0 0; padding-left: 3.5mm; columns: 2; column-gap: 5mm; font-size: 6.3pt;
              line-height: 1.2; }}
ul.sources li {{ overflow-wrap: anywhere; word-break: break-all; break-inside: avoid; margin-bottom: 0.4mm; }}
ul.sources .date {{ color: #000091; word-break: normal; }}
.kpis {{ display: flex; gap: 2mm; }} .kpi {{ flex: 1; border: 0.25mm solid #cccccc; padding: 1mm 1.6mm; }}
.kpi b {{ font-size: 10.5pt; display: block; }}
"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{PACK_CSS}</style></head><body>{body}</body></html>")


def _header(title: str, subtitle: str, today: date | None) -> str:
    day = fmt_day(today or date.today())
    return (f"<h1>{esc(title)}</h1><p class=\"note\">{esc(subtitle)} Document produit le {esc(day)} par le "
            "tableau de bord du pacte Hlm. Nature de chaque chiffre : officiel, cité, dérivé (calcul), "
            "<b>estimé</b> (répartition ou modèle, règle indiquée), importé ; « n.d. » : donnée manquante.</p>")


def fmt_day(d: date) -> str:
    """« 3 mars 2026 » (French, whatever the locale)."""
    return sources.fr_date(d.isoformat())


def _pace_years(t: pd.DataFrame) -> list[int]:
    """The pact's years as the pack shows them: those of its pace table (read from the parameter file)."""
    return [int(y) for y in t["annee"]]


def _pace_rows(t: pd.DataFrame, objectives: pd.DataFrame | None = None) -> str:
    rows = []
    for r in t.itertuples():
        obj = ""
        if objectives is not None:
            o = objectives[objectives["annee"] == r.annee]
            if len(o):
                o = o.iloc[0]
                obj = (f"<td>{esc(fmt.fmt_int(o['objectif']))} {_nat(o['nature_objectif'])}</td>"
                       f"<td>{esc(fmt.fmt_pct(o['taux'], 0))}</td>")
            else:
                obj = "<td>n.d.</td><td>n.d.</td>"
        rows.append(
            f"<tr><td>{int(r.annee)}</td><td>{esc(fmt.fmt_int(r.production))} {_nat(r.nature_production)}</td>{obj}"
            f"<td>{esc(fmt.fmt_int(r.rythme_requis))} {_nat(r.nature_rythme)}</td>"
            f"<td>{esc(fmt.fmt_signed(r.ecart))}</td><td>{esc(fmt.fmt_pct(r.ratio, 0))}</td></tr>"
        )
    return "".join(rows)


def _balance_text(t: pd.DataFrame) -> str:
    b = pace.period_balance(t)
    years = f"{min(b['annees'])}–{max(b['annees'])}"
    if b["annees_manquantes"]:
        return (f"Bilan {years} : production {', '.join(map(str, b['annees_manquantes']))} manquante, "
                "le bilan de la période ne peut pas être fait.")
    approx = "environ " if b["nature"] == ESTIME else ""
    return (f"Bilan {years} : {approx}{fmt.fmt_int(b['production'])} logements financés pour un objectif cumulé de "
            f"{fmt.fmt_int(b['objectif'])}, soit {approx}{fmt.fmt_pct(b['taux'])} ; il manque {approx}"
            f"{fmt.fmt_int(max(b['reste'], 0))} logements" + (" (estimation)." if approx else "."))


def _renovation_rows(t: pd.DataFrame) -> str:
    if t.empty:
        return '<tr><td colspan="5">Aucun chiffre de réhabilitation thermique.</td></tr>'
    return "".join(
        f"<tr><td>{esc(r.periode)}</td><td>{esc(fmt.fmt_int(r.valeur))} {_nat(r.nature)}</td>"
        f"<td>{esc(fmt.fmt_int(r.objectif_periode))} {_nat(r.nature_objectif)}</td>"
        f"<td>{esc(fmt.fmt_pct(r.taux, 0))} {_nat(r.nature_taux)}</td>"
        f"<td class=\"note\" style=\"text-align:left\">{esc(r.note)}</td></tr>"
        for r in t.itertuples()
    )


def _mutualisation_html(m: region_report.RegionMutualisation | None) -> str:
    if m is None:
        return "<p>La région n'entre pas dans la simulation de la mutualisation (pas de données).</p>"
    return (
        '<div class="kpis">'
        f'<div class="kpi">Aides reçues<b>{esc(fmt.fmt_meur(m.aide_eur))}</b>{_nat(m.nature)}</div>'
        f'<div class="kpi">Cotisation versée<b>{esc(fmt.fmt_meur(m.contribution_eur))}</b>{_nat(m.nature)}</div>'
        f'<div class="kpi">Solde net<b>{esc(fmt.fmt_signed(m.solde_net_eur / 1e6, 1, "M€"))}</b>'
        f"{esc(m.statut)}, {_nat(m.nature)}</div></div>"
        f'<p class="note">Simulation de l\'annexe 1 du pacte (paramètres {m.annee}) avec les réglages par défaut du '
        f"simulateur : {esc(fmt.fmt_int(m.production_hlm))} logements produits et "
        f"{esc(fmt.fmt_int(m.rehabilitation_hlm))} réhabilités par an par les organismes Hlm, répartis entre "
        "régions ; le solde est positif quand la région reçoit plus qu'elle ne verse.</p>"
    )


def region_pack_svgs(pack: RegionPack) -> dict[str, str]:
    """The pack's three charts as SVG (pace, trend, peers)."""
    return {
        "rythme": print_svg(pace_chart(pack.pace, "Production et rythme nécessaire (trait)", width=190, height=130)),
        "tendance": print_svg(trend_chart(pack.profile, width=190, height=130)),
        "pairs": print_svg(peers_chart(pack.peers, pack.peers_median[0], pack.peers_metric, width=110,
                                         short=SHORT_METRICS.get(pack.peers_metric, "").format(
                                             periode=period_label(_pace_years(pack.pace))))),
    }


def region_pack_html(pack: RegionPack, svgs: Mapping[str, str] | None = None, today: date | None = None) -> str:
    """The region pack: one A4 page (checked by printing it in Chromium and with WeasyPrint)."""
    p = pack.profile
    svgs = region_pack_svgs(pack) if svgs is None else svgs
    fig = {k: f'<div class="fig">{v}</div>' for k, v in svgs.items()}
    years = _pace_years(pack.pace)
    title = f"{p.nom} — Pacte Hlm {period_label(years)} : dossier du comité régional"
    subtitle = "Région que le pacte désigne comme prioritaire (point 6, annexe 5)." if p.prioritaire else ""
    ach = p.achievement
    fmt_v = _value_fmt(pack.peers_metric)
    median, _med_nat, n_med = pack.peers_median
    peers_text = peers.peers_sentence(pack.peers, median, pack.peers_metric, fmt_v)
    body = [
        _header(title, subtitle, today),
        f'<p class="summary">{esc(pack.summary)}</p>',
        f"<h2>Production, objectif et rythme nécessaire pour atteindre l'objectif {max(years)}</h2>",
        "<table><tr><th>Année</th><th>Logements financés</th><th>Objectif de l'année</th><th>Réalisation</th>"
        "<th>Rythme nécessaire</th><th>Écart au rythme</th><th>Production / rythme</th></tr>"
        f"{_pace_rows(pack.pace, ach)}</table>",
        f'<p>{esc(_balance_text(pack.pace))} <span class="note">Rythme nécessaire : objectif cumulé '
        "de la période moins la production des années précédentes, divisé par les années restantes. "
        f"Objectifs : {esc('; '.join(sorted(set(r for r in ach['regle'] if r))))}.</span></p>",
        '<div class="cols3">' + "".join(fig.get(k, "") for k in ("rythme", "tendance", "pairs")) + "</div>",
        f"<p><b>Comparaison avec d'autres régions.</b> {esc(peers_text)} <span class=\"note\">Régions comparées : "
        f"{esc(', '.join(r for r in pack.peers['region'] if r != p.nom))} (par défaut : les autres régions "
        f"prioritaires et les régions au parc social le plus proche) ; médiane des {n_med} régions renseignées."
        "</span></p>",
        f"<h2>Réhabilitation thermique face à l'objectif du pacte ({esc(pack.renovation_label)})</h2>",
        "<table><tr><th>Période</th><th>Logements réhabilités (éco-prêt)</th><th>Objectif de la période</th>"
        f"<th>Réalisation</th><th>Note</th></tr>{_renovation_rows(pack.renovation)}</table>",
        f'<p class="note">Objectif régional estimé : {esc(renovation.STOCK_RULE)}. {esc(renovation.PERIOD_RULE)} '
        f'{esc(targets.REHAB_WARNING)}</p>',
        "<h2>Ce que la mutualisation signifie pour la région (estimation)</h2>",
        _mutualisation_html(pack.mutualisation),
        "<h2>Sources, avec leur date de publication ou de consultation</h2>",
        f'<ul class="sources">{_sources_html(pack.sources)}</ul>',
    ]
    return _page(title, "".join(body))


# ---------------------------------------------------------------------------------------------
# The national pack


@dataclass
class NationalPack:
    national: pd.DataFrame  # lib.data.national_production
    pace: pd.DataFrame  # lib.pace.national_pace
    pace_hlm: pd.DataFrame
    renovation: pd.DataFrame  # lib.renovation.national_renovation
    renovation_hlm: pd.DataFrame
    priority: pd.DataFrame  # one row per priority region
    mutualisation_totals: Mapping[str, float]
    mutualisation_regions: pd.DataFrame  # region, aids, contribution, balance, status
    mutualisation_year: int
    sources: list[tuple[str, str]]


def simulator_defaults(params, year: int | None = None) -> tuple[int, mu.MutualisationResult]:
    """The annex 1 simulation with the simulator's default settings (the pact's volumes)."""
    year = int(year) if year is not None else targets.pact_years(params)[0]
    assumptions = mi.default_assumptions("pacte", year).replace(
        production_hlm=float(params["objectifs.production_hlm"].value(year)),
        rehabilitation_hlm=float(params["objectifs.rehabilitation_hlm"].value(year)),
    )
    return year, mu.simulate(mi.regional_inputs(assumptions, year), mu.MutualisationParams.from_pact(year))


def priority_table(regional_pace: pd.DataFrame, regions: pd.DataFrame, params,
                   figures: pd.DataFrame, stock: pd.Series, stock_natures: pd.Series,
                   reading: str = "tous_bailleurs") -> pd.DataFrame:
    """One row per priority region: production and objective over the pact years, the last
    year against its required pace, eco-loan renovation of the latest period against its
    estimated target, natures kept."""
    names = regions.set_index("code")["nom"]
    rows = []
    for code in targets.priority_regions(params):
        t = regional_pace[regional_pace["code"] == code]
        b = pace.period_balance(t.drop(columns="code"))
        last = t[t["ratio"].notna()]
        reno = renovation.regional_renovation(figures, params, code, stock, stock_natures, reading)
        reno = reno[reno["taux"].notna()]
        r_last = reno.iloc[-1] if len(reno) else None
        rows.append({
            "code": code, "region": names.get(code, code),
            "production": b["production"], "objectif": b["objectif"], "taux": b["taux"], "nature": b["nature"],
            "annee_rythme": int(last["annee"].iloc[-1]) if len(last) else np.nan,
            "ratio_rythme": float(last["ratio"].iloc[-1]) if len(last) else np.nan,
            "nature_rythme": last["nature_ecart"].iloc[-1] if len(last) else MANQUANT,
            "reno_periode": r_last["periode"] if r_last is not None else "",
            "reno_taux": r_last["taux"] if r_last is not None else np.nan,
            "reno_nature": r_last["nature_taux"] if r_last is not None else MANQUANT,
            "phrase": pace.pace_sentence(t.drop(columns="code"), names.get(code, code)),
        })
    return pd.DataFrame(rows)


def build_national_pack(figures: pd.DataFrame, regions: pd.DataFrame, params, objectives: pd.DataFrame,
                        stock: pd.Series, stock_natures: pd.Series,
                        simulation: tuple[int, mu.MutualisationResult] | None = None) -> NationalPack:
    """Everything the national pack shows (objectives: the session's regional objectives)."""
    years = targets.pact_years(params)
    national = data.national_production(figures, params)
    prod = targets.regional_production(figures, regions, "lls_finances", years)
    ach = targets.achievement(prod, objectives)
    rp = pace.regional_pace(ach, years)
    prio = priority_table(rp, regions, params, figures, stock, stock_natures)
    year, result = simulation if simulation is not None else simulator_defaults(params)
    agg = mu.aggregate_by_region(result)
    names = regions.set_index("code")["nom"]
    mut = pd.DataFrame({
        "code": agg["region_code"], "region": agg["region_code"].map(names),
        "aide": agg["aide_totale_eur"], "contribution": agg["contribution_totale_eur"],
        "solde": agg["solde_net_eur"], "statut": agg["statut"],
    }).sort_values("solde", ascending=False).reset_index(drop=True)
    reno = renovation.national_renovation(figures, params, "tous_bailleurs")
    tot = national[(national["serie"] == "Total") & national["annee"].isin(years)]
    entries = list(zip(tot["source"], tot["date_source"]))
    entries += list(zip(reno["source"], reno["date_source"]))
    for code in targets.priority_regions(params):
        pr = prod[prod["code"] == code]
        entries += list(zip(pr["source"], pr["date_source"]))
    entries.append(pact_reference(params))
    bases = mi.national_bases(year, figures)
    entries += [(s, "") for s in bases.sources.values()]
    return NationalPack(
        national=national, pace=pace.national_pace(national, params, "tous_bailleurs"),
        pace_hlm=pace.national_pace(national, params, "hlm"), renovation=reno,
        renovation_hlm=renovation.national_renovation(figures, params, "hlm"), priority=prio,
        mutualisation_totals=dict(result.totals), mutualisation_regions=mut, mutualisation_year=year,
        sources=dated_sources(entries, figures),
    )


def national_pack_svgs(pack: NationalPack) -> dict[str, str]:
    return {
        "rythme": print_svg(pace_chart(pack.pace, "Production (barres) et rythme nécessaire (trait noir), "
                                                   "objectif tous bailleurs", width=330, height=170)),
        "rythme_hlm": print_svg(pace_chart(pack.pace_hlm, "Même lecture, objectif des organismes Hlm", width=330,
                                           height=170)),
    }


def national_pack_html(pack: NationalPack, svgs: Mapping[str, str] | None = None, today: date | None = None) -> str:
    """The national follow-up committee's pack: status against the pact, the three priority
    regions, the mutualisation balance, sources with dates (one or two A4 pages)."""
    svgs = national_pack_svgs(pack) if svgs is None else svgs
    title = f"Pacte Hlm {period_label(_pace_years(pack.pace))} : point d'étape pour le comité de suivi national"
    sub = ("Le comité de suivi national du pacte (point 6 et annexe 5) suit la production et sa répartition ; "
           "ce dossier en donne l'état, les trois régions que le pacte désigne comme prioritaires et le solde de la "
           "mutualisation.")
    reno_label = "tous bailleurs sociaux"
    body = [
        _header(title, sub, today),
        f'<p class="summary">{esc(pace.pace_sentence(pack.pace, "la France"))} {esc(_balance_text(pack.pace))} '
        f"{esc(renovation.renovation_sentence(pack.renovation, 'France', reno_label))}</p>",
        _national_production_html(pack, svgs),
        _national_renovation_html(pack),
        _priority_regions_html(pack),
        _national_mutualisation_html(pack),
        "<h2>Sources, avec leur date de publication ou de consultation</h2>",
        f'<ul class="sources">{_sources_html(pack.sources)}</ul>',
    ]
    return _page(title, "".join(body))


def _national_production_html(pack: NationalPack, svgs: Mapping[str, str]) -> str:
    """Each pact year's production against both objectives and the pace still needed, with the
    warning that the published figure covers every social landlord, not only the Hlm bodies."""
    tot = pack.national[(pack.national["serie"] == "Total") & pack.national["annee"].isin(pack.pace["annee"])]
    status_rows = "".join(
        f"<tr><td>{int(r.annee)}</td><td>{esc(fmt.fmt_int(r.valeur))} {_nat(r.nature)}</td>"
        f"<td>{esc(fmt.fmt_int(r.objectif_tous_bailleurs))}</td><td>{esc(fmt.fmt_pct(r.taux_tous_bailleurs, 0))}</td>"
        f"<td>{esc(fmt.fmt_int(r.objectif_hlm))}</td><td>{esc(fmt.fmt_pct(r.taux_hlm, 0))}</td>"
        f"<td>{esc(fmt.fmt_int(pr.rythme_requis))} {_nat(pr.nature_rythme)}</td>"
        f"<td>{esc(fmt.fmt_pct(pr.ratio, 0))}</td></tr>"
        for r, pr in zip(tot.itertuples(), pack.pace.itertuples())
    )
    return "".join([
        "<h2>Production de logements sociaux face au pacte (France métropolitaine hors ANRU)</h2>",
        "<table><tr><th>Année</th><th>Logements financés</th><th>Objectif tous bailleurs</th><th>Réalisation</th>"
        "<th>Objectif Hlm</th><th>Réalisation</th><th>Rythme nécessaire (tous bailleurs)</th>"
        f"<th>Production / rythme</th></tr>{status_rows}</table>",
        '<p class="note">Le chiffre national publié couvre tous les bailleurs sociaux : le comparer à la part des '
        "organismes Hlm de l'objectif surestime leur réalisation. Rythme nécessaire : objectif cumulé "
        f"{period_label(_pace_years(pack.pace))} moins "
        "la production des années précédentes, divisé par les années restantes.</p>",
        f'<div class="cols"><div class="fig">{svgs.get("rythme", "")}</div>'
        f'<div class="fig">{svgs.get("rythme_hlm", "")}</div></div>',
    ])


def _national_renovation_html(pack: NationalPack) -> str:
    """Renovation per period against the pact's objective, with the Hlm bodies' share in the note."""
    return "".join([
        "<h2>Réhabilitation thermique face à l'objectif du pacte</h2>",
        "<table><tr><th>Période</th><th>Logements réhabilités (éco-prêt)</th><th>Objectif de la période</th>"
        f"<th>Réalisation</th><th>Note</th></tr>{_renovation_rows(pack.renovation)}</table>",
        f'<p class="note">{esc(renovation.PERIOD_RULE)} Objectif tous bailleurs sociaux ; pour les seuls organismes Hlm : '
        + esc(" ; ".join(f"{r.periode} : {fmt.fmt_pct(r.taux, 0)} de {fmt.fmt_int(r.objectif_periode)}"
                         for r in pack.renovation_hlm.itertuples()))
        + f". {esc(targets.REHAB_WARNING)}</p>",
    ])


def _priority_regions_html(pack: NationalPack) -> str:
    """The pact's priority regions: production, pace and renovation, each with its nature, and
    how their objectives were obtained (published or estimated)."""
    prio_rows = "".join(
        f"<tr><td>{esc(r.region)}</td><td>{esc(fmt.fmt_int(r.production))}</td>"
        f"<td>{esc(fmt.fmt_int(r.objectif))}</td><td>{esc(fmt.fmt_pct(r.taux, 0))} {_nat(r.nature)}</td>"
        f"<td>{esc(fmt.fmt_pct(r.ratio_rythme, 0))} {_nat(r.nature_rythme)}"
        f"{'' if pd.isna(r.annee_rythme) else ' (' + str(int(r.annee_rythme)) + ')'}</td>"
        f"<td>{esc(fmt.fmt_pct(r.reno_taux, 0))} {_nat(r.reno_nature)} {esc(r.reno_periode)}</td></tr>"
        for r in pack.priority.itertuples()
    )
    return "".join([
        "<h2>Les trois régions prioritaires du pacte</h2>",
        f"<table><tr><th>Région</th><th>Logements financés {period_label(_pace_years(pack.pace))}</th><th>Objectif cumulé</th><th>Réalisation</th>"
        "<th>Production / rythme nécessaire</th><th>Réhabilitation / objectif estimé</th></tr>"
        f"{prio_rows}</table>",
        "".join(f"<p>{esc(r.phrase)}</p>" for r in pack.priority.itertuples()),
        '<p class="note">Objectifs régionaux : publiés quand ils existent, sinon objectif national réparti (estimé, '
        "règle choisie sur la carte) ; réhabilitation : objectif national × part du parc locatif social.</p>",
    ])


def _national_mutualisation_html(pack: NationalPack) -> str:
    """The simulator's default scenario region by region, named as an estimate so that the
    committee does not read it as the fund's actual accounts."""
    mut = pack.mutualisation_regions
    mut_rows = "".join(
        f"<tr><td>{esc(r.region)}</td><td>{esc(fmt.fmt_meur(r.aide))}</td><td>{esc(fmt.fmt_meur(r.contribution))}"
        f"</td><td>{esc(fmt.fmt_signed(r.solde / 1e6, 1, 'M€'))}</td><td>{esc(r.statut)}</td></tr>"
        for r in mut.itertuples()
    )
    t = pack.mutualisation_totals
    n_benef = int((mut["solde"] > 0).sum())
    return "".join([
        f"<h2>Solde de la mutualisation (simulation de l'annexe 1, paramètres {pack.mutualisation_year}, estimation)"
        "</h2>",
        f"<p>Fonds total {esc(fmt.fmt_meur(t.get('fonds_total_eur')))} : aides {esc(fmt.fmt_meur(t.get('aide_totale_eur')))}"
        f", cotisations {esc(fmt.fmt_meur(t.get('contribution_totale_eur')))}. {n_benef} régions bénéficiaires nettes "
        f"sur {len(mut)}. Réglages par défaut du simulateur (volumes du pacte répartis entre régions).</p>",
        "<table><thead><tr><th>Région</th><th>Aides reçues</th><th>Cotisation versée</th><th>Solde net</th>"
        f"<th>Statut</th></tr></thead><tbody>{mut_rows}</tbody></table>",
    ])


# ---------------------------------------------------------------------------------------------
# PDF


def no_network_fetcher():
    """WeasyPrint's URL fetcher for the packs: inline ``data:`` only; any other address (http,
    file…) is refused, so a pack neither reaches the network nor reads a local file."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), timeout=1, allow_redirects=False)


def to_pdf(page_html: str) -> bytes:
    """The pack's HTML as PDF (WeasyPrint; local fonts; no network)."""
    from weasyprint import HTML

    return HTML(string=page_html, url_fetcher=no_network_fetcher()).write_pdf()


def page_count(page_html: str) -> int:
    """How many A4 pages WeasyPrint lays the pack out on."""
    from weasyprint import HTML

    return len(HTML(string=page_html, url_fetcher=no_network_fetcher()).render().pages)
