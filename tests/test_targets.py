"""Regional objectives, estimated production and achievement (lib/targets.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import data, geo, params, targets


@pytest.fixture(scope="module")
def figures():
    return data.load_figures()


@pytest.fixture(scope="module")
def regions():
    return geo.load_regions()


@pytest.fixture(scope="module")
def pact():
    return params.load_params()


# --- allocation -------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", list(targets.ALLOCATION_RULES))
@pytest.mark.parametrize("reading", list(targets.READINGS))
def test_objectives_add_up_to_the_national_target(figures, regions, pact, rule, reading):
    obj = targets.regional_objectives(figures, regions, pact, rule=rule, reading=reading)
    for year, total in targets.objectives_total(obj).itertuples(index=False):
        assert total == pytest.approx(targets.national_target(pact, year, reading), rel=1e-9)


def test_national_targets_come_from_the_parameter_file(pact):
    assert targets.national_target(pact, 2014, "tous_bailleurs") == pact["objectifs.production_tous_bailleurs"].value(
        2014
    )
    assert targets.national_target(pact, 2014, "hlm") == pact["objectifs.production_hlm"].value(2014)


def test_published_objectives_are_kept_with_their_source(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact).set_index(["annee", "code"])
    paca_2014 = obj.loc[(2014, "93")]
    assert paca_2014["objectif"] == 12000 and paca_2014["nature"] == "cité"
    assert paca_2014["regle"] == "objectif publié" and paca_2014["source"].startswith("http")
    ra_2013 = obj.loc[(2013, "82")]
    assert ra_2013["objectif"] == 15840


def test_allocated_objectives_are_estimates_naming_their_rule(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact, rule="population")
    est = obj[obj["nature"] == "estimé"]
    assert len(est) > 60
    assert est["regle"].eq(targets.ALLOCATION_RULES["population"]).all()


def test_region_without_population_gets_no_objective_never_zero(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact)
    mayotte = obj[obj["code"] == "06"]
    assert mayotte["objectif"].isna().all() and mayotte["nature"].eq("manquant").all()


def test_production_rule_falls_back_on_population_and_says_so(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact, rule="production", reference_years=[2014, 2015])
    reunion = obj[(obj["code"] == "04")].iloc[0]
    assert reunion["regle"] == targets.FALLBACK_TEXT
    idf = obj[(obj["code"] == "11")].iloc[0]
    assert "production" in idf["regle"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(1, 1e6)), min_size=1, max_size=27), st.floats(1000, 1e6))
def test_allocate_conserves_the_total(bases, total):
    base = pd.Series([np.nan if b is None else b for b in bases], index=[f"r{i}" for i in range(len(bases))])
    pop = pd.Series(np.linspace(1e5, 5e6, len(bases)), index=base.index)
    amounts, _ = targets.allocate(total, base, pop)
    assert amounts.sum() == pytest.approx(total, rel=1e-9)
    assert (amounts >= 0).all()


def test_allocate_proportional_to_base():
    base = pd.Series([1.0, 3.0], index=["a", "b"])
    amounts, fell_back = targets.allocate(100, base, pd.Series([10.0, 10.0], index=["a", "b"]))
    assert list(amounts) == [25, 75] and not fell_back.any()


# --- estimated production -----------------------------------------------------------------------


@pytest.mark.parametrize("year, remainder", [(2014, 37221), (2015, 38331)])
def test_unlisted_regions_share_exactly_the_national_remainder(figures, regions, year, remainder):
    prod = targets.regional_production(figures, regions, "lls_finances", [year])
    est = prod[prod["nature"] == "estimé"]
    assert sorted(est["code"]) == ["21", "24", "26", "42", "53", "72", "73", "82"]
    assert est["valeur"].sum() == pytest.approx(remainder)
    assert targets.estimated_remainder(prod, year) == pytest.approx(remainder)


def test_estimates_never_replace_a_cited_figure(figures, regions):
    prod = targets.regional_production(figures, regions, "lls_finances", [2014]).set_index("code")
    assert prod.loc["11", "valeur"] == 27670 and prod.loc["11", "nature"] == "cité"
    assert "27\u202f584" in prod.loc["11", "autres_sources"]


def test_overseas_and_uncovered_years_stay_missing(figures, regions):
    prod = targets.regional_production(figures, regions, "lls_finances", [2014, 2016]).set_index(["annee", "code"])
    assert math.isnan(prod.loc[(2014, "06"), "valeur"]) and prod.loc[(2014, "06"), "nature"] == "manquant"
    assert prod.loc[2016]["nature"].eq("manquant").all()


def test_products_are_not_estimated(figures, regions):
    prod = targets.regional_production(figures, regions, "lls_finances_plai", [2014])
    assert not prod["nature"].eq("estimé").any()
    assert prod["valeur"].notna().sum() == 2  # Île-de-France and Pays de la Loire


# --- achievement ------------------------------------------------------------------------------

ACHIEVEMENT_CASES = [
    # name, production, objective, expected rate, expected gap
    ("objectif dépassé", 1100.0, 1000.0, 1.1, 100.0),
    ("en retard", 750.0, 1000.0, 0.75, -250.0),
    ("production manquante", np.nan, 1000.0, np.nan, np.nan),
    ("objectif manquant", 500.0, np.nan, np.nan, np.nan),
]


@pytest.mark.parametrize("name, prod, obj, rate, gap", ACHIEVEMENT_CASES, ids=[c[0] for c in ACHIEVEMENT_CASES])
def test_achievement(name, prod, obj, rate, gap):
    p = pd.DataFrame(
        [
            {
                "annee": 2014,
                "code": "99",
                "region": "R",
                "valeur": prod,
                "nature": "cité" if prod == prod else "manquant",
                "source": "s",
                "perimetre": "",
                "note": "",
                "autres_sources": "",
            }
        ]
    )
    o = pd.DataFrame(
        [
            {
                "annee": 2014,
                "code": "99",
                "region": "R",
                "objectif": obj,
                "nature": "estimé" if obj == obj else "manquant",
                "regle": "r",
                "source": "t",
            }
        ]
    )
    a = targets.achievement(p, o).iloc[0]
    if np.isnan(rate):
        assert np.isnan(a["taux"]) and np.isnan(a["ecart"])
    else:
        assert a["taux"] == pytest.approx(rate) and a["ecart"] == pytest.approx(gap)
        assert a["nature"] == "estimé"  # the weakest of cité and estimé


# --- the user's edits of the objectives table (the same round(0) path as the page) ------------


def _edit(obj, code, year, value):
    """What the page does: show ``editor_table``, the user changes one cell, keep the changes."""
    shown = targets.editor_table(obj)
    edited = shown.copy()
    edited.loc[code, str(year)] = value
    return targets.changed_cells(targets.editor_table(obj), edited)


def test_an_untouched_table_has_no_edits(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact)
    assert not (obj["objectif"].dropna() % 1 == 0).all()  # unrounded values: the old bug's trigger
    assert targets.changed_cells(targets.editor_table(obj), targets.editor_table(obj)).empty


def test_one_edit_leaves_every_other_objective_alone(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact)
    edits = _edit(obj, "91", 2014, 9000)
    assert edits.to_dict("records") == [{"code": "91", "annee": 2014, "objectif": 9000.0}]
    out = targets.apply_edits(obj, edits).set_index(["annee", "code"])
    assert out.loc[(2014, "91"), "objectif"] == 9000 and out.loc[(2014, "91"), "nature"] == "importé"
    assert out.loc[(2014, "91"), "regle"] == targets.USER_RULE
    before = obj.set_index(["annee", "code"]).drop(index=(2014, "91"))
    after = out.drop(index=(2014, "91"))
    pd.testing.assert_frame_equal(after, before)
    assert out["nature"].value_counts()["estimé"] == obj["nature"].value_counts()["estimé"] - 1


def test_a_rule_change_after_an_edit_moves_the_unedited_cells(figures, regions, pact):
    by_pop = targets.regional_objectives(figures, regions, pact, rule="population")
    edits = _edit(by_pop, "91", 2014, 9000)
    by_stock = targets.regional_objectives(figures, regions, pact, rule="parc")
    out = targets.apply_edits(by_stock, edits).set_index(["annee", "code"])
    assert out.loc[(2014, "91"), "objectif"] == 9000 and out.loc[(2014, "91"), "nature"] == "importé"
    expected = by_stock.set_index(["annee", "code"]).drop(index=(2014, "91"))
    pd.testing.assert_frame_equal(out.drop(index=(2014, "91")), expected)
    assert not expected["objectif"].equals(by_pop.set_index(["annee", "code"]).drop(index=(2014, "91"))["objectif"])
    # the page then shows the new rule's table with the edit laid over it: the edit is found again
    shown = targets.editor_table(by_stock, edits)
    assert shown.loc["91", "2014"] == 9000
    pd.testing.assert_frame_equal(targets.changed_cells(targets.editor_table(by_stock), shown), edits)


def test_a_cleared_cell_becomes_missing_never_zero(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact)
    edits = _edit(obj, "93", 2014, np.nan)
    out = targets.apply_edits(obj, edits).set_index(["annee", "code"])
    assert math.isnan(out.loc[(2014, "93"), "objectif"]) and out.loc[(2014, "93"), "nature"] == "manquant"
    assert targets.apply_edits(obj, None).equals(obj)
    assert targets.apply_edits(obj, targets.no_edits()).equals(obj)


# --- the HLM reading of published (all-landlord) objectives ------------------------------------


def test_hlm_reading_scales_published_objectives_by_the_hlm_share(figures, regions, pact):
    share = pact["objectifs.production_hlm"].value(2014) / pact["objectifs.production_tous_bailleurs"].value(2014)
    all_ = targets.regional_objectives(figures, regions, pact, reading="tous_bailleurs").set_index(["annee", "code"])
    hlm = targets.regional_objectives(figures, regions, pact, reading="hlm").set_index(["annee", "code"])
    paca = hlm.loc[(2014, "93")]
    assert paca["objectif"] == pytest.approx(all_.loc[(2014, "93"), "objectif"] * share)
    assert paca["nature"] == "estimé" and "part Hlm" in paca["regle"] and "part Hlm" in paca["source"]
    assert paca["source"].startswith(all_.loc[(2014, "93"), "source"])
    assert targets.is_published(hlm.reset_index()).sum() == targets.is_published(all_.reset_index()).sum() > 0
    for year, total in targets.objectives_total(hlm.reset_index()).itertuples(index=False):
        assert total == pytest.approx(pact["objectifs.production_hlm"].value(year), rel=1e-9)


def test_estimate_note_uses_french_thousands(figures, regions):
    prod = targets.regional_production(figures, regions, "lls_finances", [2014])
    assert prod.loc[prod["nature"] == "estimé", "note"].iloc[0] == "8 régions non publiées se partagent 37\u202f221 logements"


def test_indicator_table_has_every_region_and_changes_with_year(figures, regions, pact):
    obj = targets.regional_objectives(figures, regions, pact)
    t14 = targets.indicator_table(figures, regions, pact, "production", "2014", objectives=obj)
    t15 = targets.indicator_table(figures, regions, pact, "production", "2015", objectives=obj)
    assert len(t14) == 27 and set(t14[t14["prioritaire"]]["code"]) == {"11", "93", "91"}
    assert not t14["valeur"].equals(t15["valeur"])
    rate = targets.indicator_table(figures, regions, pact, "taux", "2015", objectives=obj).set_index("code")
    assert rate.loc["91", "valeur"] == pytest.approx(5017 / rate.loc["91", "objectif"])
