"""Altair chart builders: they return charts, never call streamlit.

Every chart goes through ``french(chart, description)`` so that axes and tooltips read 1 234 567
and 12,5 % (Vega-Lite's ``config.locale``), in the DSFR font stack at a size that reads from the
back of a room, with a French description that assistive technology announces instead of
"Vega visualization". Colours come from ``lib.palettes`` (safe for colour-blind readers).

``export_png`` / ``export_svg`` render a chart without a browser (vl-convert) with its title,
its sources and the date, so that a chart pasted into a note still says what it is and where its
figures come from.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlparse

import altair as alt
import pandas as pd

from lib import dsfr, fmt, natures, palettes

FR_NUMBER_LOCALE = {
    "decimal": ",",
    "thousands": "\u202f",
    "grouping": [3],
    "currency": ["", "\u00a0€"],
    "percent": "\u202f%",
}
FR_TIME_LOCALE = {
    "dateTime": "%A %e %B %Y à %X",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
               "octobre", "novembre", "décembre"],
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                    "nov.", "déc."],
}
NATURE_DOMAIN = list(natures.LEGEND)
NATURE_RANGE = list(palettes.NATURE_RANGE)
FONT_SIZE = 16
PRESENTATION_FONT_SIZE = 26  # px: chart text read from the back of a room (presentation mode)
EXPORT_WIDTH = 900  # px, for charts that take their container's width on screen


def french(chart: alt.TopLevelMixin, description: str | None = None, font_size: int = FONT_SIZE) -> alt.TopLevelMixin:
    """French number/time formats, the DSFR font stack, fonts of ``font_size`` px, and the French
    description assistive technology reads (``description``, also given to st.altair_chart's alt).
    A chart already converted to a spec gets another size from ``with_font_size``."""
    if description:
        chart = chart.properties(description=description)
    title = dsfr.colour(dsfr.TEXT_TITLE)
    return chart.configure(
        locale={"number": FR_NUMBER_LOCALE, "time": FR_TIME_LOCALE},
        font=dsfr.font_stack(),
    ).configure_axis(labelFontSize=font_size, titleFontSize=font_size, labelColor=dsfr.colour(dsfr.TEXT_DEFAULT),
                     titleColor=title).configure_legend(
        labelFontSize=font_size, titleFontSize=font_size, labelLimit=400, titleColor=title
    ).configure_title(fontSize=font_size + 4, color=title, subtitleColor=dsfr.colour(dsfr.TEXT_MENTION))


def _scaled_marks(node, ratio: float):
    """``node`` with the explicit ``fontSize`` of every text mark, and every explicit label or
    title width limit (an axis's ``labelLimit``), multiplied by ``ratio``."""
    if isinstance(node, list):
        return [_scaled_marks(v, ratio) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _scaled_marks(v, ratio) for k, v in node.items() if k not in ("datasets", "data", "config")}
    out.update({k: node[k] for k in ("datasets", "data", "config") if k in node})
    mark = out.get("mark")
    if isinstance(mark, dict) and isinstance(mark.get("fontSize"), (int, float)):
        out["mark"] = {**mark, "fontSize": round(mark["fontSize"] * ratio)}
    for limit in ("labelLimit", "titleLimit"):
        if isinstance(out.get(limit), (int, float)) and out[limit] > 0:
            out[limit] = round(out[limit] * ratio)
    return out


def with_font_size(spec: dict, size: int) -> dict:
    """A Vega-Lite spec (``to_spec``) with its text at ``size`` px through its config (axes,
    legends, headers, titles, text marks) and its explicit text-mark sizes scaled alike.

    Why: presentation mode enlarges a chart already built and cached at ``FONT_SIZE``; the
    cache key of the result must include ``size``."""
    if size == FONT_SIZE:
        return spec
    out = _scaled_marks(spec, size / FONT_SIZE)
    config = dict(spec.get("config", {}))
    for part in ("axis", "legend", "header"):
        config[part] = {**config.get(part, {}), "labelFontSize": size, "titleFontSize": size}
    config["legend"] = {**config["legend"], "symbolSize": round(100 * (size / FONT_SIZE) ** 2),
                        "titleLimit": 600, "labelLimit": 600}
    config["axis"] = {**config["axis"], "titleLimit": 0, "labelLimit": round(260 * size / FONT_SIZE)}  # 0: none
    if isinstance(out.get("height"), (int, float)):
        out["height"] = round(out["height"] * (size / FONT_SIZE) ** 0.5)
    config["title"] = {**config.get("title", {}), "fontSize": size + 4, "subtitleFontSize": size - 2}
    config["text"] = {**config.get("text", {}), "fontSize": size}
    out["config"] = config
    return out


def sources_line(urls: Iterable[str], limit: int = 4) -> str:
    """« Sources : site-a.fr, site-b.fr et 3 autres » from the sources' addresses (or texts)."""
    names: list[str] = []
    for u in urls:
        if not isinstance(u, str) or not u.strip():
            continue
        host = urlparse(u.strip()).netloc or u.strip()
        host = host.removeprefix("www.")
        if host not in names:
            names.append(host)
    if not names:
        return "Source : tableau de bord du Pacte Hlm (voir « Données et sources »)"
    shown = ", ".join(names[:limit])
    more = len(names) - limit
    return ("Sources : " if len(names) > 1 else "Source : ") + shown + (
        f" et {more} autre{'s' if more > 1 else ''}" if more > 0 else "")


def _fixed_width(spec):
    """The spec with every ``width: "container"`` set to ``EXPORT_WIDTH`` (no container offline)."""
    if isinstance(spec, dict):
        return {k: (EXPORT_WIDTH if k == "width" and v == "container" else _fixed_width(v)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_fixed_width(v) for v in spec]
    return spec


def export_spec(chart: alt.TopLevelMixin | dict, title: str, sources: str, on: dt.date | None = None) -> dict:
    """The Vega-Lite spec of an exported chart (an altair chart or a spec as ``to_spec`` gives it):
    its title, then the sources and the date."""
    day = on or dt.date.today()
    spec = _fixed_width(chart if isinstance(chart, dict) else chart.to_dict(validate=validating()))
    spec["title"] = {"text": title,
                     "subtitle": [sources, f"Tableau de bord du Pacte Hlm 2013-2015 — export du {fmt.fmt_date(day)}"],
                     "anchor": "start", "subtitleFontSize": FONT_SIZE - 2, "offset": 12}
    if not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "width")):
        spec["width"] = EXPORT_WIDTH  # on screen the chart takes the page's width
    spec.setdefault("background", "#ffffff")
    spec.setdefault("padding", 16)
    return spec


@lru_cache(maxsize=1)
def _converter():
    import vl_convert as vlc

    for folder in dsfr.export_font_dirs():
        vlc.register_font_directory(str(folder))
    return vlc


def export_png(chart: alt.TopLevelMixin | dict, title: str, sources: str, on: dt.date | None = None) -> bytes:
    """The chart as a PNG (twice the screen resolution) with title, sources and date."""
    return _converter().vegalite_to_png(export_spec(chart, title, sources, on), scale=2)


def export_svg(chart: alt.TopLevelMixin | dict, title: str, sources: str, on: dt.date | None = None) -> bytes:
    """The chart as an SVG with title, sources and date (text stays text: it can be searched)."""
    return _converter().vegalite_to_svg(export_spec(chart, title, sources, on)).encode("utf-8")


CHECK_ENV = "PACTE_HLM_CHECK_CHARTS"


def validating() -> bool:
    """Whether ``to_spec`` checks each spec against the Vega-Lite schema: when ``CHECK_ENV`` is
    « 1 », as in the tests (tests/conftest.py sets it, so every page's AppTest and browser test
    checks every chart it draws); not on a user's run. Why: altair's check was a third of a
    chart's cost (50 ms a chart on a page's first run), for specs whose shape the code fixes
    and whose data values the schema does not constrain."""
    return os.environ.get(CHECK_ENV) == "1"


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite spec for ``st.vega_lite_chart``, its data inline as named datasets.

    Why: ``st.altair_chart`` converts and validates the chart on every rerun (tens of
    milliseconds); a page computes the spec once for the same data (``lib.ui.computed``) and hands
    over the dict. Datasets get stable names (``donnees-1``, ``donnees-2``… instead of a hash of
    their values): when only the data changes, the spec stays the same and the browser updates
    the chart in place. No theme is applied here (Streamlit's applies in the browser, as for
    ``st.altair_chart``).
    """
    datasets: dict = {}
    spec = chart.to_dict(validate=validating(), context={"top_level": False, "datasets": datasets})
    text = json.dumps({"$schema": alt.SCHEMA_URL, **spec, "datasets": datasets}, ensure_ascii=False)
    names = list(dict.fromkeys(re.findall(r'"(data-[0-9a-f]{8,})"', text)))
    for i, name in enumerate(names, start=1):
        text = text.replace(f'"{name}"', f'"donnees-{i}"')
    return used_fields_only(json.loads(text))


def _strings(node) -> Iterable[str]:
    """Every string of a spec (keys and values), depth first."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def _reads_whole_rows(spec: dict) -> bool:
    """Whether the spec shows or copies whole rows, so that every field counts: a tooltip of all
    fields (``"tooltip": true`` or ``{"content": "data"}``), or a lookup (it can take all of the
    other dataset's fields)."""
    def walk(node) -> bool:
        if isinstance(node, dict):
            tip = node.get("tooltip")
            if tip is True or (isinstance(tip, dict) and tip.get("content") == "data") or "lookup" in node:
                return True
            return any(walk(v) for v in node.values())
        return isinstance(node, list) and any(walk(v) for v in node)

    return walk(spec)


def used_fields_only(spec: dict) -> dict:
    """``spec`` with each inline dataset reduced to the fields the spec names.

    Why: a chart is often built from a wide table (a region's profile: the sources, the notes,
    the rule of each figure), and Altair ships every column; the page sends the data on each
    open (a region's achievement chart carried 18 fields where 5 are drawn). A field is kept
    when its name appears whole in any string of the spec outside the data (an encoding, a
    tooltip, a sort, a transform, an expression ``datum.x``), read also without Vega-Lite's
    escapes (``a\\.b`` names the field ``a.b``): a name mentioned for another reason only keeps
    a field. Datasets that are not flat rows (GeoJSON) and specs that read whole rows are kept."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return spec
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    if _reads_whole_rows(rest):
        return spec
    texts = list(_strings(rest))
    text = "\n".join(texts + [re.sub(r"\\(.)", r"\1", t) for t in texts if "\\" in t])
    out = {}
    for name, rows in datasets.items():
        if not _flat_rows(rows):
            out[name] = rows
            continue
        kept = {f for f in dict.fromkeys(k for r in rows for k in r) if _named(f, text)}
        out[name] = [{k: v for k, v in r.items() if k in kept} for r in rows]
    return {**spec, "datasets": out}


def _flat_rows(rows) -> bool:
    """Whether ``rows`` is a list of flat records (not GeoJSON or nested values)."""
    return isinstance(rows, list) and all(
        isinstance(r, dict) and not any(isinstance(v, (dict, list)) for v in r.values()) for r in rows)


def _named(field: str, text: str) -> bool:
    """Whether ``field`` appears in ``text`` whole (not inside a longer word)."""
    return re.search(rf"(?<!\w){re.escape(field)}(?!\w)", text) is not None


def national_production_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Bars: financed dwellings per year (colour = nature; missing years show a grey label);
    rules: the pact's two readings of the target for 2013–2015."""
    total = df[df["serie"] == "Total"].copy()
    total["annee_txt"] = total["annee"].astype(str)
    total["etat"] = total["nature"]
    base = alt.Chart(total).encode(x=alt.X("annee_txt:O", title="Année", axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(size=46).encode(
        y=alt.Y("valeur:Q", title="Logements locatifs sociaux financés", axis=alt.Axis(format=",.0f")),
        color=alt.Color("etat:N", title="Nature du chiffre",
                        scale=alt.Scale(domain=NATURE_DOMAIN, range=NATURE_RANGE)),
        tooltip=[alt.Tooltip("annee_txt:N", title="Année"),
                 alt.Tooltip("valeur:Q", title="Logements financés", format=",.0f"),
                 alt.Tooltip("nature:N", title="Nature"),
                 alt.Tooltip("perimetre:N", title="Périmètre"),
                 alt.Tooltip("source:N", title="Source")],
    )
    missing = base.transform_filter("datum.nature == 'manquant'").mark_text(
        text="donnée manquante", angle=270, dy=0, baseline="middle", align="left", fontSize=FONT_SIZE,
        color="#666666").encode(y=alt.datum(2000))
    targets = total.melt(id_vars=["annee_txt"], value_vars=["objectif_tous_bailleurs", "objectif_hlm"],
                         var_name="objectif", value_name="cible").dropna()
    targets["objectif"] = targets["objectif"].map({
        "objectif_tous_bailleurs": "Objectif tous bailleurs", "objectif_hlm": "Objectif organismes Hlm"})
    ticks = alt.Chart(targets).mark_tick(thickness=4, size=60).encode(
        x="annee_txt:O", y="cible:Q",
        color=alt.Color("objectif:N", title="Objectif du pacte",
                          scale=alt.Scale(domain=list(palettes.TARGETS), range=list(palettes.TARGETS.values()))),
        tooltip=[alt.Tooltip("objectif:N", title="Objectif"),
                 alt.Tooltip("cible:Q", title="Logements par an", format=",.0f")],
    )
    return (bars + missing + ticks).properties(height=420).resolve_scale(color="independent")


def coverage_chart(coverage: pd.DataFrame) -> alt.Chart:
    """Region × year grid coloured by the nature of the retained figure (or 'manquant')."""
    df = coverage.assign(annee_txt=coverage["annee"].astype(str))
    return alt.Chart(df).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("annee_txt:O", title="Année", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("region:N", title=None, sort=None),
        color=alt.Color("nature:N", title="Nature", scale=alt.Scale(domain=NATURE_DOMAIN, range=NATURE_RANGE)),
        tooltip=[alt.Tooltip("region:N", title="Région"), alt.Tooltip("annee_txt:N", title="Année"),
                 alt.Tooltip("nature:N", title="Nature")],
    ).properties(height=alt.Step(24))
