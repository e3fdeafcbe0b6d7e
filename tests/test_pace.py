"""Pace to target (lib/pace.py): hand-computed cases, gaps and estimates, France's real figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib import data, pace, params
from tests.shipped import shipped_achievement


def frame(prod, nat_prod, obj=(100, 100, 100), nat_obj=("cité", "cité", "cité"), years=(2013, 2014, 2015)):
    return pd.DataFrame({"annee": list(years), "production": prod, "nature_production": nat_prod,
                         "objectif": list(obj), "nature_objectif": list(nat_obj)})


def test_hand_computed_pace():
    # objective 300 over three years; 80 financed in 2013, 90 (estimated) in 2014, 150 in 2015
    t = pace.pace_table(frame([80, 90, 150], ["cité", "estimé", "cité"])).set_index("annee")
    assert t.loc[2013, "rythme_requis"] == 100  # 300 / 3
    assert t.loc[2014, "rythme_requis"] == 110  # (300 − 80) / 2
    assert t.loc[2015, "rythme_requis"] == 130  # 300 − 80 − 90
    assert list(t["ecart"]) == [-20, -20, 20]
    assert t.loc[2013, "ratio"] == pytest.approx(0.8)
    assert t.loc[2014, "ratio"] == pytest.approx(90 / 110)
    assert list(t["annees_restantes"]) == [3, 2, 1]
    assert list(t["cumul_avant"]) == [0, 80, 170]


def test_natures_follow_the_weakest_input():
    t = pace.pace_table(frame([80, 90, 150], ["cité", "estimé", "cité"])).set_index("annee")
    assert t.loc[2013, "nature_rythme"] == "dérivé"  # a computation on cited figures
    assert t.loc[2014, "nature_rythme"] == "dérivé" and t.loc[2014, "nature_ecart"] == "estimé"
    assert t.loc[2015, "nature_rythme"] == "estimé"  # built on the 2014 estimate
    assert "estimée (2014)" in t.loc[2015, "note"]
    est_obj = pace.pace_table(frame([80, 90, 150], ["cité"] * 3, nat_obj=("estimé", "cité", "cité")))
    assert set(est_obj["nature_rythme"]) == {"estimé"}  # the period's objective holds an estimate


def test_missing_year_leaves_a_gap_not_a_zero():
    t = pace.pace_table(frame([float("nan"), 90, 150], ["manquant", "cité", "cité"])).set_index("annee")
    assert t.loc[2013, "rythme_requis"] == 100 and math.isnan(t.loc[2013, "ecart"])
    assert t.loc[2013, "nature_ecart"] == "manquant" and "production 2013 manquante" in t.loc[2013, "note"]
    for y in (2014, 2015):
        assert math.isnan(t.loc[y, "rythme_requis"]) and t.loc[y, "nature_rythme"] == "manquant"
        assert "rythme non calculable" in t.loc[y, "note"]
    # a year absent from the frame altogether is missing too
    short = frame([80, 90], ["cité", "cité"], obj=(100, 100), nat_obj=("cité", "cité"), years=(2013, 2014))
    t2 = pace.pace_table(short, [2013, 2014, 2015])
    assert t2["objectif_periode"].isna().all() and "objectif 2015 manquant" in t2["note"].iloc[0]


def test_objective_already_reached():
    t = pace.pace_table(frame([200, 150, 10], ["cité"] * 3)).set_index("annee")
    assert t.loc[2015, "rythme_requis"] == 0 and math.isnan(t.loc[2015, "ratio"])
    assert "déjà atteint" in t.loc[2015, "note"]
    b = pace.period_balance(t.reset_index())
    assert b["production"] == 360 and b["reste"] == -60


def test_france_against_the_pact():
    figures, p = data.load_figures(), params.load_params()
    t = pace.national_pace(data.national_production(figures, p), p).set_index("annee")
    # 450 000 over 2013–2015; 117 065 financed in 2013, 106 414 in 2014 (cited figures)
    assert t.loc[2013, "rythme_requis"] == 150_000
    assert t.loc[2014, "rythme_requis"] == pytest.approx((450_000 - 117_065) / 2)
    assert t.loc[2015, "rythme_requis"] == pytest.approx(450_000 - 117_065 - 106_414)
    hlm = pace.national_pace(data.national_production(figures, p), p, "hlm").set_index("annee")
    assert hlm.loc[2013, "rythme_requis"] == 120_000
    s = pace.pace_sentence(t.reset_index(), "la France")
    assert "226\u202f521" in s and "48\u00a0%" in s and "estim" not in s


def test_regional_pace_and_map_indicator():
    s = shipped_achievement()
    regions, years, ach = s.regions, s.years, s.ach
    rp = pace.regional_pace(ach, years)
    assert len(rp) == len(regions) * len(years)
    ind = pace.pace_indicator(rp, 2015)
    assert list(ind.columns) == pace.INDICATOR_COLUMNS and len(ind) == len(regions)
    ind = ind.set_index("code")
    assert ind.loc["06", "nature"] == "manquant" and math.isnan(ind.loc["06", "valeur"])  # Mayotte: no figure
    assert ind.loc["21", "nature"] == "estimé"  # Champagne-Ardenne: production estimated
    lr = rp[rp["code"] == "91"]
    s = pace.pace_sentence(lr.drop(columns="code"), "Languedoc-Roussillon")
    assert "5\u202f017" in s and "estimé" in s  # its objective is an allocation, the sentence says so


def test_screen_table_is_the_pace_in_french():
    t = pace.screen_table(pace.pace_table(frame([80, 90, float("nan")], ["cité", "estimé", "manquant"])))
    assert list(t.columns) == ["Année", "Logements financés", "Nature de la production", "Rythme nécessaire",
                               "Nature du rythme", "Écart au rythme", "Production / rythme", "Note"]
    first = t.iloc[0]
    assert (first["Année"], first["Logements financés"], first["Rythme nécessaire"]) == ("2013", "80", "100")
    assert first["Écart au rythme"] == "−20" and first["Production / rythme"] == "80\u00a0%"
    assert t.iloc[2]["Logements financés"] == "n.d." and t.iloc[2]["Nature de la production"] == "manquant"
