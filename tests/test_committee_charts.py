"""The committee charts (``committee_pack.pace_chart`` and ``peers_chart``) built on the shipped
data and checked against the Vega-Lite schema (``charts.to_spec`` validates under
PACTE_HLM_CHECK_CHARTS=1, which tests/conftest.py sets): the pages and the packs draw them, and no
other test turns them into a spec."""

from __future__ import annotations

import numpy as np
import pytest

from lib import charts, data, geo, pace, peers, targets
from lib import committee_pack as cp
from lib import mutualisation_inputs as mi
from lib.natures import MANQUANT
from tests.shipped import shipped_achievement

PACA = "93"


@pytest.fixture(scope="module")
def shipped():
    s = shipped_achievement()
    figures, regions, p, years, ach = s.figures, s.regions, s.p, s.years, s.ach
    regional = pace.regional_pace(ach, years)
    stock = mi.regional_keys(years[0]).set_index("code")
    metrics = peers.peer_metrics(ach, regional, regions, stock["parc_social"], stock["nature_parc"],
                                 data.retained(figures, "rehab_eco_pls"))
    national = data.national_production(figures, p)
    return {"p": p, "years": years, "national": national, "regional": regional, "metrics": metrics,
            "stock": stock["parc_social"]}


def checked_spec(chart) -> dict:
    assert charts.validating(), "tests/conftest.py sets PACTE_HLM_CHECK_CHARTS=1"
    return charts.to_spec(charts.french(chart, "Description du graphique"))


def mark_type(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def rows(spec: dict) -> list[dict]:
    """The inline data of a one-dataset chart."""
    (values,) = [v for name, v in spec["datasets"].items()]
    return values


@pytest.mark.parametrize("reading", sorted(targets.READINGS))
def test_pace_chart_of_the_national_pace_is_a_valid_spec(shipped, reading):
    table = pace.national_pace(shipped["national"], shipped["p"], reading)
    spec = checked_spec(cp.pace_chart(table, "Rythme national", width="container", height=300,
                                      subtitle="Barres : logements financés ; trait noir : rythme nécessaire",
                                      subtitle_size=charts.FONT_SIZE))
    bars, ticks, nd = spec["layer"]
    assert [mark_type(x) for x in spec["layer"]] == ["bar", "tick", "text"]
    assert bars["encoding"]["y"]["field"] == "production"
    assert bars["encoding"]["color"]["field"] == "nature_production"
    assert bars["encoding"]["color"]["legend"]["values"] == cp.present_natures(table["nature_production"])
    assert bars["encoding"]["color"]["scale"]["domain"] == list(charts.NATURE_DOMAIN)
    assert ticks["encoding"]["y"]["field"] == "rythme_requis"
    assert nd["mark"]["text"] == "n.d." and nd["transform"] == [{"filter": "!isValid(datum.production)"}]
    assert spec["title"] == {"text": "Rythme national", "subtitle": "Barres : logements financés ; trait noir : "
                             "rythme nécessaire", "subtitleFontSize": charts.FONT_SIZE}
    assert spec["description"] == "Description du graphique"
    values = rows(spec)
    assert [v["annee_txt"] for v in values] == [str(y) for y in shipped["years"]]
    assert [v["production"] for v in values] == table["production"].tolist()


def test_pace_chart_of_a_region_with_a_missing_year_is_a_valid_spec(shipped):
    """A gap stays a gap: the missing year is « manquant » in the legend and has no bar."""
    regional = shipped["regional"]
    table = regional[regional["code"] == PACA].drop(columns="code").reset_index(drop=True)
    table.loc[1, ["production", "nature_production"]] = [np.nan, MANQUANT]
    spec = checked_spec(cp.pace_chart(table, "Rythme de la région", width=190, height=130))
    bars = spec["layer"][0]
    assert MANQUANT in bars["encoding"]["color"]["legend"]["values"]
    assert spec["title"] == "Rythme de la région" and (spec["width"], spec["height"]) == (190, 130)
    assert rows(spec)[1]["production"] is None


@pytest.mark.parametrize("metric", sorted(peers.METRICS))
def test_peers_chart_of_a_region_and_its_peers_is_a_valid_spec(shipped, metric):
    metrics = shipped["metrics"]
    chosen = peers.default_peers(PACA, targets.priority_regions(shipped["p"]), shipped["stock"])
    ranked = peers.rank_peers(metrics, PACA, chosen, metric)
    median, _nature, _n = peers.national_median(metrics, metric)
    spec = checked_spec(cp.peers_chart(ranked, median, metric, width="container", step=34,
                                       subtitle_size=charts.FONT_SIZE))
    layers = spec["layer"]
    assert [mark_type(x) for x in layers] == ["bar"] + (["rule"] if not np.isnan(median) else [])
    bars = layers[0]
    assert bars["encoding"]["y"]["field"] == "libelle" and bars["encoding"]["x"]["field"] == "valeur"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Région", "Comparaison"]
    assert spec["title"]["text"] == peers.METRICS[metric][0]
    assert spec["title"]["subtitle"] == "tiret rouge : médiane nationale"
    assert spec["height"] == {"step": 34}
    bar_rows = spec["datasets"][bars["data"]["name"]]
    assert [r["groupe"] for r in bar_rows].count("Région") == 1
    assert [r["region"] for r in bar_rows if r["groupe"] == "Région"] == [geo.region_names()[PACA]]
    assert "code" not in bar_rows[0]  # the chart names no code: its data does not carry it


def test_peers_chart_without_a_national_median_draws_no_median_line(shipped):
    metrics = shipped["metrics"]
    ranked = peers.rank_peers(metrics, PACA, ["11", "91"], "taux")
    spec = checked_spec(cp.peers_chart(ranked, np.nan, "taux", width=110, short="Réalisation"))
    assert [mark_type(x) for x in spec["layer"]] == ["bar"]
    assert spec["title"]["text"] == "Réalisation"
