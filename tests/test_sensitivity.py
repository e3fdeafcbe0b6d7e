"""The tornado: each input moved by its stated step, all else fixed."""

from __future__ import annotations

import pytest

from lib import sensitivity
from lib.errors import DataError
from lib.mutualisation import MutualisationParams, aggregate_by_region, simulate
from lib.mutualisation_inputs import data_assumptions, preset_assumptions, regional_inputs

PACT = MutualisationParams.from_pact(2013)


@pytest.fixture(scope="module")
def preset():
    return sensitivity.tornado(preset_assumptions(), PACT, 2013, "11")


def test_every_lever_once_with_its_step_and_nature(preset):
    assert len(preset) == len(sensitivity.levers()) == 16
    assert preset["levier"].is_unique
    assert set(preset["pas"]) <= {"±10 %", "+5 points (valeur nulle)"}
    # the volume levers are the simulator's controls, in its order (hypotheses file, controle.rang)
    from lib.mutualisation_inputs import controlled_volumes

    volumes = [lv.champ for lv in sensitivity.levers() if lv.cible == "volumes"]
    assert volumes == list(controlled_volumes())
    zero = preset.set_index("levier").loc["v:part_exoneree"]
    assert zero["valeur"] == 0 and zero["valeur_haute"] == pytest.approx(0.05)
    assert preset["estime"].eq(preset["nature"].isin(["estimé", "hypothèse"])).all()
    assert preset.set_index("levier").loc["v:pret_moyen_rehabilitation_eur", "estime"]
    assert not preset.set_index("levier").loc["p:taux_rehabilitation", "estime"]
    # sorted by the fund's amplitude
    assert preset["amplitude_fonds"].is_monotonic_decreasing


def test_deltas_are_reruns_of_the_engine(preset):
    row = preset.set_index("levier").loc["v:pret_moyen_rehabilitation_eur"]
    a = preset_assumptions()
    base = simulate(regional_inputs(a, 2013), PACT).totals["fonds_total_eur"]
    up = simulate(regional_inputs(a.replace(pret_moyen_rehabilitation_eur=a.pret_moyen_rehabilitation_eur * 1.1),
                                  2013), PACT)
    assert row["fonds_base"] == pytest.approx(base)
    assert row["d_fonds_haut"] == pytest.approx(up.totals["fonds_total_eur"] - base)
    idf_up = aggregate_by_region(up).set_index("region_code").loc["11", "solde_net_eur"]
    assert row["solde_haut"] == pytest.approx(idf_up)
    # the rehabilitation aid is linear in the loan: +10 % of the loan is +10 % of that aid
    aid = simulate(regional_inputs(a, 2013), PACT).totals["aide_rehabilitation_eur"]
    assert row["d_fonds_haut"] == pytest.approx(0.1 * aid) == pytest.approx(-row["d_fonds_bas"])


def test_moving_all_bases_together_changes_nothing_one_region_moves_its_balance(preset):
    t = preset.set_index("levier")
    # a region's own base moves its contribution, never the fund
    for lever in ("r:loyers_eur", "r:patrimoine_logements", "r:cotisation_cglls_eur"):
        assert t.loc[lever, "d_fonds_haut"] == pytest.approx(0, abs=1e-3)
        assert t.loc[lever, "d_solde_haut"] < 0 < t.loc[lever, "d_solde_bas"]  # a larger base pays more
    # a region's new dwellings raise the fund and its balance
    assert t.loc["r:production", "d_fonds_haut"] > 0 and t.loc["r:production", "d_solde_haut"] > 0


def test_on_a_campaigns_cited_volumes_and_unknown_region():
    volumes, natures = data_assumptions(2014)
    t = sensitivity.tornado(volumes, MutualisationParams.from_pact(2014), 2014, "93", natures)
    assert t.set_index("levier").loc["v:production_hlm", "nature"] == natures["production_hlm"] == "dérivé"
    with pytest.raises(DataError, match="Région inconnue"):
        sensitivity.tornado(volumes, PACT, 2014, "99")


def test_display_and_chart(preset):
    shown = sensitivity.tornado_screen_table(preset, "Île-de-France")
    assert list(shown.columns)[:4] == ["Entrée déplacée", "Nature", "Estimée", "Pas"]
    assert shown["Fonds : en hausse"].str.endswith("M€").all()
    spec = sensitivity.tornado_chart(preset, "fonds", "Fonds").to_dict()
    assert spec["encoding"]["y"]["sort"][0].startswith(preset.iloc[0]["court"])
    assert all(lv.court for lv in sensitivity.levers())


def test_input_natures_follow_where_the_value_comes_from():
    n = sensitivity.input_natures(preset_assumptions(), PACT, 2013)
    assert n["pret_moyen_rehabilitation_eur"] == "hypothèse" and n["taux_rehabilitation"] == "officiel"
    cited, cited_n = data_assumptions(2014)
    n = sensitivity.input_natures(cited, MutualisationParams.from_pact(2014), 2014)
    assert n["production_hlm"] == cited_n["production_hlm"] == "dérivé"
    typed = sensitivity.input_natures(preset_assumptions().replace(production_hlm=90_000),
                                      PACT.replace(taux_rehabilitation=0.04), 2013)
    assert typed["production_hlm"] == typed["taux_rehabilitation"] == "hypothèse"
    t = sensitivity.tornado(preset_assumptions(), PACT.replace(taux_rehabilitation=0.04), 2013, "11",
                            sensitivity.input_natures(preset_assumptions(), PACT.replace(taux_rehabilitation=0.04), 2013))
    assert t.set_index("levier").loc["p:taux_rehabilitation", "estime"]


def test_export_keeps_numbers(preset):
    out = sensitivity.tornado_export_frame(preset, "Île-de-France")
    # numbers, not text; euros to the euro and inputs without 16-digit decimals (files round
    # each figure to what it means)
    assert len(out) == len(preset) and str(out["Fonds de base (€)"].dtype) == "Int64"
    assert all(len(repr(float(v)).split(".")[-1]) <= 4 for v in out["Valeur basse"])
    assert (out["Fonds, entrée en hausse (€)"] - out["Fonds de base (€)"]).to_numpy() == pytest.approx(
        preset["d_fonds_haut"].to_numpy())


def test_tornado_speaks_french_in_checked_colours(preset):
    """A screen reader hears what the tornado shows and its most influential inputs; its colours
    are the palette that tests/test_palettes.py simulates for colour-blind readers."""
    from lib import palettes

    text = sensitivity.tornado_alt(preset, "fonds", "Fonds de mutualisation")
    assert text.startswith("Fonds de mutualisation : écart au calcul de base")
    assert preset.iloc[0]["libelle"] in text and "M€" in text and "." not in text.split("M€")[0][-6:]
    spec = sensitivity.tornado_chart(preset, "fonds", "Fonds").to_dict()
    assert spec["encoding"]["color"]["scale"]["range"] == list(palettes.SENSITIVITY.values())
