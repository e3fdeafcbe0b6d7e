"""Renovation against the pact's target (lib/renovation.py): periods never split into years."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib import data, params, renovation


@pytest.fixture(scope="module")
def pact():
    return params.load_params()


def rows(*items):
    return pd.DataFrame([{"periode": p, "valeur": v, "nature": n, "source": "https://exemple.fr/x",
                          "date_source": "publié le 1er mars 2015"} for p, v, n in items])


def test_period_years():
    assert renovation.period_years("2012-2013") == [2012, 2013]
    assert renovation.period_years("2014") == [2014]
    assert renovation.period_years("2015 (janv-mai)") == []


def test_hand_computed_periods(pact):
    t = renovation.compare(rows(("2012-2013", 60_000, "cité"), ("2014", 30_000, "dérivé")), pact).set_index("periode")
    assert t.loc["2012-2013", "objectif_periode"] == 240_000  # 2 years × 120 000, no yearly figure made up
    assert t.loc["2012-2013", "taux"] == pytest.approx(0.25)
    assert "2012 avant le pacte" in t.loc["2012-2013", "note"]
    assert t.loc["2014", "objectif_periode"] == 120_000 and t.loc["2014", "taux"] == pytest.approx(0.25)
    assert t.loc["2014", "nature_taux"] == "dérivé"
    hlm = renovation.compare(rows(("2014", 30_000, "cité")), pact, "hlm")
    assert hlm["objectif_periode"].iloc[0] == 100_000 and hlm["taux"].iloc[0] == pytest.approx(0.3)


def test_regional_share_is_an_estimate_and_missing_stock_a_gap(pact):
    figures = data.load_figures()
    stock = pd.Series({"91": 125_000.0, "93": 375_000.0})
    natures = pd.Series({"91": "cité", "93": "estimé"})
    t = renovation.regional_renovation(figures, pact, "91", stock, natures)
    r = t.set_index("periode").loc["2012-2013"]
    assert r["valeur"] == 509 and r["part_parc"] == pytest.approx(0.25)
    assert r["objectif_periode"] == pytest.approx(0.25 * 120_000 * 2)
    assert r["nature_objectif"] == "estimé" and r["nature_taux"] == "estimé"
    none = renovation.regional_renovation(figures, pact, "52", stock, natures)  # no stock for 52 here
    assert none["objectif_periode"].isna().all() and (none["nature_objectif"] == "manquant").all()


def test_national_figures_and_sentence(pact):
    t = renovation.national_renovation(data.load_figures(), pact).set_index("periode")
    assert t.loc["2012-2013", "valeur"] == 56_702 and t.loc["2012-2013", "objectif_periode"] == 240_000
    assert t.loc["2014", "valeur"] == 45_662 and t.loc["2014", "nature"] == "dérivé"
    assert all(d for d in t["date_source"])  # each figure keeps the date of its source
    s = renovation.renovation_sentence(t.reset_index(), "France", "tous bailleurs sociaux")
    assert "45\u202f662" in s and "38\u00a0%" in s and "120\u202f000" in s
    empty = renovation.compare(pd.DataFrame(columns=["periode", "valeur", "nature", "source", "date_source"]), pact)
    assert "aucun chiffre" in renovation.renovation_sentence(empty, "Mayotte", "x")
    assert math.isnan(renovation.compare(rows(("2015 (janv-mai)", 10, "cité")), pact)["taux"].iloc[0])


def test_screen_table_is_the_comparison_in_french(pact):
    t = renovation.screen_table(renovation.compare(rows(("2012-2013", 60_000, "cité")), pact))
    assert list(t.columns) == ["Période", "Logements réhabilités (éco-prêt)", "Nature", "Objectif de la période",
                               "Nature de l'objectif", "Réalisation", "Note", "Source", "Date de la source"]
    row = t.iloc[0]
    assert (row["Période"], row["Logements réhabilités (éco-prêt)"], row["Objectif de la période"]) == (
        "2012-2013", "60\u202f000", "240\u202f000")
    assert row["Réalisation"] == "25\u00a0%" and row["Date de la source"] == "publié le 1er mars 2015"
