"""Default inputs and the « Hypothèses du pacte » preset."""

from __future__ import annotations

import pytest

from lib.errors import DataError
from lib.mutualisation import MutualisationParams, simulate
from lib.mutualisation_inputs import (
    SCENARIOS,
    VolumeAssumptions,
    build_inputs,
    data_assumptions,
    load_hypotheses,
    objective_multipliers,
    preset_assumptions,
    regional_inputs,
    regional_keys,
)
from lib.params import value

PACT = MutualisationParams.from_pact(2013)


def test_every_hypothesis_is_documented():
    for h in load_hypotheses().values():
        assert h.libelle and h.justification and h.unite
        assert h.nature in {"cité", "dérivé", "estimé", "hypothèse"}
        lo, hi, step = h.bornes
        assert lo <= h.valeur <= hi and step > 0


def test_preset_uses_the_pacts_volumes():
    a = preset_assumptions()
    assert a.production_hlm == value("mutualisation.aides.production_indicative", 2013)
    assert a.rehabilitation_hlm == value("mutualisation.aides.rehabilitation_indicative", 2013)


def test_preset_reproduces_the_pacts_order_of_magnitude():
    res = simulate(regional_inputs(preset_assumptions(), 2013), PACT)
    target = value("mutualisation.aides.enveloppe_indicative", 2013)
    assert res.totals["fonds_total_eur"] == pytest.approx(target, rel=0.02)


@pytest.mark.parametrize("year", [2013, 2014, 2015])
def test_keys_cover_the_22_metropolitan_regions_and_national_totals(year):
    k = regional_keys(year)
    assert len(k) == 22 and "01" not in set(k["code"])
    nat = {2013: 117065, 2014: 106414, 2015: 108921}[year]
    assert k["production"].sum() == pytest.approx(nat, rel=1e-6)
    for col in [c for c in k.columns if c.startswith("nature_")]:
        assert set(k[col]) <= {"cité", "dérivé", "estimé"}


def test_inputs_respect_national_volumes_and_zone_share():
    a = preset_assumptions()
    df = build_inputs(a, regional_keys(2013))
    new = df["logements_zone_1_1bis"].sum() + df["logements_zone_2_3"].sum()
    assert new == pytest.approx(a.production_hlm * a.part_plus_plai)
    assert df["logements_zone_1_1bis"].sum() == pytest.approx(a.part_zone_1_1bis * new)
    assert df["prets_rehabilitation_eur"].sum() == pytest.approx(a.rehabilitation_hlm * a.pret_moyen_rehabilitation_eur)
    assert df["logements_restructures"].sum() == pytest.approx(a.logements_restructures)
    assert (df[["logements_zone_1_1bis", "logements_zone_2_3"]] >= -1e-9).all().all()
    assert "nature_generale" in df and set(df["nature_generale"]) <= {"cité", "dérivé", "estimé"}


def test_zone_share_above_what_the_zoning_allows_spills_over():
    a = preset_assumptions().replace(part_zone_1_1bis=0.9)
    df = build_inputs(a, regional_keys(2013))
    new = df["logements_zone_1_1bis"].sum() + df["logements_zone_2_3"].sum()
    assert df["logements_zone_1_1bis"].sum() == pytest.approx(0.9 * new)
    assert (df["logements_zone_2_3"] >= -1e-6).all()


def test_data_mode_uses_cited_national_figures():
    a, nature = data_assumptions(2013)
    assert a.production_hlm == round(117065 * 0.8)
    assert nature["production_hlm"] == "dérivé"
    with pytest.raises(DataError):
        data_assumptions(1990)


def test_priority_regions_scenario_raises_their_volumes_only():
    base = regional_inputs(preset_assumptions(), 2013, "base").set_index("code")
    scen = regional_inputs(preset_assumptions(), 2013, "prioritaires_objectif").set_index("code")
    mult = objective_multipliers(2013)
    assert set(mult) == {"11", "93", "91"}
    for code in base.index:
        ratio = scen.loc[code, "logements_zone_2_3"] / base.loc[code, "logements_zone_2_3"]
        assert ratio == pytest.approx(mult.get(code, 1.0))
    assert "prioritaires_objectif" in SCENARIOS


def test_invalid_assumptions_are_refused():
    with pytest.raises(DataError, match="100 %"):
        preset_assumptions().replace(part_zone_1_1bis=1.5).validate()
    assert VolumeAssumptions.from_dict({"production_hlm": "1000"}).production_hlm == 1000
