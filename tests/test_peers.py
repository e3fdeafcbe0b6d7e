"""A region against its peers (lib/peers.py): the default set, the ranking, the national median."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib import fmt, peers
from tests.shipped import shipped_achievement

STOCK = pd.Series({"A": 100.0, "B": 210.0, "C": 55.0, "D": 400.0, "E": 95.0, "F": float("nan")})


def test_similar_stock_is_nearest_on_a_log_scale():
    # from A=100: E (95) is nearest; C (55: log 1,82 = 0,60) is nearer than B (210: log 2,1 = 0,74); D (×4) last
    assert peers.similar_stock(STOCK, "A", 3) == ["E", "C", "B"]
    assert peers.similar_stock(STOCK, "F", 3) == []  # no stock figure, no similar region


def test_default_peers_priority_first_then_similar():
    assert peers.default_peers("A", ["D", "A", "B"], STOCK, 2) == ["D", "B", "E", "C"]
    assert peers.default_peers("F", ["D", "B"], STOCK) == ["D", "B"]


def metrics():
    rows = [("A", 0.8, "cité"), ("B", 0.9, "estimé"), ("C", float("nan"), "manquant"), ("D", 0.5, "dérivé"),
            ("E", 0.8, "dérivé")]
    return pd.DataFrame({"code": [r[0] for r in rows], "region": [f"Région {r[0]}" for r in rows],
                         "metrique": "taux", "valeur": [r[1] for r in rows], "nature": [r[2] for r in rows],
                         "note": ""})


def test_ranking_with_ties_and_missing_last():
    r = peers.rank_peers(metrics(), "A", ["C", "B", "E", "A"], "taux")
    assert list(r["code"]) == ["B", "A", "E", "C"]
    assert list(r["rang"].iloc[:3]) == [1, 2, 2] and math.isnan(r["rang"].iloc[3])
    assert list(r["selection"]) == [False, True, False, False]


def test_national_median_counts_every_region_with_a_value():
    med, nature, n = peers.national_median(metrics(), "taux")
    assert med == pytest.approx(0.8) and n == 4 and nature == "estimé"
    s = peers.peers_sentence(peers.rank_peers(metrics(), "D", ["A", "B"], "taux"), med, "taux",
                             lambda v: fmt.fmt_pct(v, 0))
    assert s.startswith("Région D se classe 3e sur 3") and "au-dessous de la médiane nationale (80\u00a0%)" in s


def test_peer_metrics_on_the_shipped_data():
    from lib import data, pace, targets
    from lib import mutualisation_inputs as mi

    s = shipped_achievement()
    figures, regions, p, years, ach = s.figures, s.regions, s.p, s.years, s.ach
    keys = mi.regional_keys(years[0]).set_index("code")
    m = peers.peer_metrics(ach, pace.regional_pace(ach, years), regions, keys["parc_social"], keys["nature_parc"],
                           data.retained(figures, "rehab_eco_pls"))
    assert set(m["metrique"]) == set(peers.METRICS) and len(m) == len(regions) * len(peers.METRICS)
    lr = m[(m["code"] == "91")].set_index("metrique")
    # Languedoc-Roussillon: 509 eco-loan renovations in 2012-2013 for a cited stock of 125 000
    assert lr.loc["rehab_parc", "valeur"] == pytest.approx(509 / 125_000 * 1000)
    assert lr.loc["taux", "nature"] == "estimé"  # its objective is an allocation
    mayotte = m[m["code"] == "06"]
    assert mayotte["valeur"].isna().all() and (mayotte["nature"] == "manquant").all()
    defaults = peers.default_peers("91", targets.priority_regions(p), keys["parc_social"])
    assert defaults[:2] == ["11", "93"] and len(defaults) == 5 and "91" not in defaults
