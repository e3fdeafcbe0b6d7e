"""Default inputs and the « Hypothèses du pacte » preset."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.errors import DataError
from lib.mutualisation import MutualisationParams, aggregate_by_region, simulate
from lib.mutualisation_inputs import (
    HYPOTHESES_FILE,
    SCENARIOS,
    VolumeAssumptions,
    build_inputs,
    controlled_volumes,
    data_assumptions,
    inputs_from_bodies,
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


def test_the_volume_controls_take_their_key_and_scale_from_the_hypotheses_file():
    from lib.views import mutualisation as view

    hyps = load_hypotheses()
    controls = [c for c in view.controls() if c.target == "volumes"]
    assert [c.field for c in controls] == list(controlled_volumes())
    for c in controls:
        h = hyps[c.field]
        assert (c.key, c.scale) == (h.cle_url, h.echelle)
        assert (c.lo, c.hi, c.step) == tuple(x * h.echelle for x in h.bornes)
        assert c.scale == (100 if h.unite == "taux" else 1), c.field  # a taux is moved in %
    keys = [c.key for c in view.controls()]
    assert len(keys) == len(set(keys))  # one URL parameter per control


def test_the_volume_controls_take_their_order_from_the_hypotheses_file(tmp_path):
    """The page's order of the volume controls is the file's ``rang``: moving a rank in the file
    moves the control; every engine volume needs a control, once."""
    order = controlled_volumes()
    assert sorted(order) == sorted(VolumeAssumptions.__dataclass_fields__)
    assert [load_hypotheses()[f].rang for f in order] == list(range(1, len(order) + 1))
    moved = tmp_path / "moved.yaml"
    moved.write_text(HYPOTHESES_FILE.read_text(encoding="utf-8").replace(
        "cle_url: part_exo, echelle: 100, rang: 1", "cle_url: part_exo, echelle: 100, rang: 9"), encoding="utf-8")
    assert controlled_volumes(moved) == (*order[1:], "part_exoneree")


@pytest.mark.parametrize("old, new, message", [
    ("    controle: {cle_url: v_pret, rang: 6}\n", "", "« pret_moyen_rehabilitation_eur » sans bloc controle"),
    ("cle_url: v_pret, rang: 6", "cle_url: v_pret, rang: 5", "même rang"),
    ("cle_url: v_pret, rang: 6", "cle_url: v_pret", "« pret_moyen_rehabilitation_eur » incomplète"),
    ("  part_hlm_rehabilitation:\n", "  part_hlm_rehabilitation:\n    controle: {cle_url: v_x, rang: 8}\n",
     "« part_hlm_rehabilitation » : bloc controle"),
], ids=["missing", "same-rank", "no-rank", "not-an-engine-volume"])
def test_a_volume_control_missing_twice_ranked_or_stray_is_refused(tmp_path, old, new, message):
    shipped = HYPOTHESES_FILE.read_text(encoding="utf-8")
    assert old in shipped
    path = tmp_path / "hypotheses.yaml"
    path.write_text(shipped.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        controlled_volumes(path)


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
    share = value("objectifs.production_hlm", 2013) / value("objectifs.production_tous_bailleurs", 2013)
    assert a.production_hlm == round(117065 * share)
    assert nature["production_hlm"] == "dérivé"
    with pytest.raises(DataError):
        data_assumptions(1990)


def test_preset_values_equal_the_pact_parameters():
    """Pact numbers of the preset are read from data/pacte_parametres.yaml, never repeated."""
    h = load_hypotheses()
    a = preset_assumptions()
    assert a.production_hlm == value("objectifs.production_hlm", 2013)
    assert a.rehabilitation_hlm == value("objectifs.rehabilitation_hlm", 2013)
    assert a.logements_restructures == value("mutualisation.aides.plafond_restructuration_logements", 2013)
    share = value("objectifs.production_hlm", 2013) / value("objectifs.production_tous_bailleurs", 2013)
    assert h["part_hlm_production_financee"].valeur == pytest.approx(share)
    for key in ("production_hlm", "rehabilitation_hlm", "logements_restructures", "part_hlm_production_financee"):
        assert h[key].parametre, f"{key} doit nommer son paramètre du pacte"


def test_hypotheses_file_repeats_no_pact_number():
    import yaml

    from lib.mutualisation_inputs import HYPOTHESES_FILE

    tree = yaml.safe_load(HYPOTHESES_FILE.read_text(encoding="utf-8"))["hypotheses"]
    for key in ("production_hlm", "rehabilitation_hlm", "logements_restructures", "part_hlm_production_financee"):
        assert "valeur" not in tree[key] and tree[key]["parametre"]


def test_hypothesis_contradicting_its_parameter_or_naming_an_unknown_one_is_refused(tmp_path):
    base = "hypotheses:\n  x:\n    libelle: X\n    unite: logements/an\n    nature: cité\n" \
           "    bornes: [0, 1000000, 1]\n    justification: j\n"
    ok = tmp_path / "ok.yaml"
    ok.write_text(base + "    parametre: objectifs.production_hlm\n    valeur: 120000\n", encoding="utf-8")
    assert load_hypotheses(ok)["x"].valeur == value("objectifs.production_hlm", 2013)
    bad = tmp_path / "bad.yaml"
    bad.write_text(base + "    parametre: objectifs.production_hlm\n    valeur: 99\n", encoding="utf-8")
    with pytest.raises(DataError, match="contredit"):
        load_hypotheses(bad)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(base + "    parametre: objectifs.inexistant\n", encoding="utf-8")
    with pytest.raises(DataError, match="inconnu"):
        load_hypotheses(unknown)


def test_volume_modes_quote_the_pact_volumes():
    from lib.fmt import fmt_int
    from lib.mutualisation_inputs import volume_modes

    label = volume_modes()["pacte"]
    assert fmt_int(value("objectifs.production_hlm", 2013)) in label
    assert fmt_int(value("objectifs.rehabilitation_hlm", 2013)) in label


def test_data_mode_follows_the_retention_rule():
    """An imported national figure comes first (lib.data.mark_retained), whatever its row order."""
    from lib.data import load_figures

    figures = load_figures()
    cited = figures[(figures["niveau"] == "France") & (figures["indicateur"] == "lls_finances")
                    & (figures["annee"] == 2013)]
    imported = cited.assign(valeur=100_000.0, nature="importé", source="Fichier importé : test")
    mixed = pd.concat([figures, imported], ignore_index=True)  # imported row listed last
    a, _ = data_assumptions(2013, mixed)
    assert a.production_hlm == round(100_000 * load_hypotheses()["part_hlm_production_financee"].valeur)
    parts = figures[(figures["niveau"] == "France") & (figures["annee"] == 2013)
                    & figures["indicateur"].isin(["lls_finances_plai", "lls_finances_plus", "lls_finances_pls"])]
    imported_split = parts.assign(nature="importé", valeur=[10.0 if i == "lls_finances_pls" else 45.0
                                                           for i in parts["indicateur"]])
    a2, nature = data_assumptions(2013, pd.concat([figures, imported_split], ignore_index=True))
    assert a2.part_plus_plai == pytest.approx(0.9) and nature["part_plus_plai"] == "dérivé"


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


# ---------------------------------------------------------------------------------------------
# Inputs from an imported per-body file (kind « organismes » of lib.importer)

PAYLOAD = "<img src=x onerror=alert(1)>"
#: annex 1 with round numbers, written out so that the hand computation below does not depend
#: on the parameter file
ANNEX = MutualisationParams(
    aide_zone_1_1bis_eur=3300,
    aide_zone_2_3_eur=1300,
    taux_rehabilitation=0.05,
    aide_restructuration_eur=600,
    plafond_restructuration_logements=5000,
    part_loyers=0.5,
    part_patrimoine=0.25,
    part_cotisation_cglls=0.25,
)


def bodies() -> pd.DataFrame:
    """Three bodies in two regions; C (Bretagne) is under a CGLLS plan; B's name is an HTML payload."""
    return pd.DataFrame(
        {
            "organisme_id": ["A1", "B2", "C3"],
            "organisme_nom": ["Office A", PAYLOAD, "SA C"],
            "reg2015_code": ["11", "11", "53"],
            "dep_code": ["75", None, "35"],
            "loyers_eur": [6_000_000.0, 2_000_000.0, 4_000_000.0],
            "patrimoine_logements": [1000.0, 1000.0, 2000.0],
            "cotisation_cglls_eur": [60_000.0, 20_000.0, 40_000.0],
            "exonere": [False, False, True],
            "lls_zone_1_1bis": [100.0, 0.0, 0.0],
            "lls_zone_2_3": [0.0, 50.0, 100.0],
            "prets_rehab_eur": [1_000_000.0, 0.0, 200_000.0],
            "logements_restructures": [0.0, 10.0, 0.0],
        }
    )


def test_bodies_map_to_engine_columns_with_nature_importe():
    frame = bodies()
    before = frame.copy()
    df = inputs_from_bodies(frame)
    pd.testing.assert_frame_equal(frame, before)  # pure
    assert list(df["code"]) == ["A1", "B2", "C3"]
    assert list(df["region_code"]) == ["11", "11", "53"]
    assert list(df["part_exoneree"]) == [0.0, 0.0, 1.0]
    assert list(df["logements_zone_1_1bis"]) == [100.0, 0.0, 0.0]
    assert list(df["prets_rehabilitation_eur"]) == [1_000_000.0, 0.0, 200_000.0]
    assert df["dep_code"][0] == "75" and pd.isna(df["dep_code"][1])
    assert set(df["nature_generale"]) == {"importé"}


def test_bodies_hand_computed_aids_and_contributions():
    res = simulate(inputs_from_bodies(bodies()), ANNEX)
    u = res.units.set_index("code")
    # aids: A 100 × 3 300 + 5 % × 1 000 000; B 50 × 1 300 + 10 × 600; C (exempt, still aided)
    # 100 × 1 300 + 5 % × 200 000
    assert u["aide_totale_eur"].to_dict() == pytest.approx({"A1": 380_000, "B2": 71_000, "C3": 140_000})
    assert res.totals["fonds_total_eur"] == pytest.approx(591_000)
    # contributions: C pays nothing; A and B share 50 % on rents (6:2), 25 % on stock (1:1),
    # 25 % on CGLLS dues (6:2)
    assert u.loc["A1", "contribution_loyers_eur"] == pytest.approx(295_500 * 0.75)  # 221 625
    assert u.loc["B2", "contribution_patrimoine_eur"] == pytest.approx(147_750 / 2)  # 73 875
    assert u.loc["A1", "contribution_cglls_eur"] == pytest.approx(147_750 * 0.75)  # 110 812,5
    assert u["contribution_totale_eur"].to_dict() == pytest.approx({"A1": 406_312.5, "B2": 184_687.5, "C3": 0})
    assert u["solde_net_eur"].to_dict() == pytest.approx({"A1": -26_312.5, "B2": -113_687.5, "C3": 140_000})
    assert u.loc["C3", "statut"] == "bénéficiaire net"
    # aggregated by region: Île-de-France pays for Bretagne's exempt body
    reg = aggregate_by_region(res).set_index("region_code")
    assert reg["aide_totale_eur"].to_dict() == pytest.approx({"11": 451_000, "53": 140_000})
    assert reg["contribution_totale_eur"].to_dict() == pytest.approx({"11": 591_000, "53": 0})
    assert reg["solde_net_eur"].to_dict() == pytest.approx({"11": -140_000, "53": 140_000})
    assert reg["unites"].to_dict() == {"11": 2, "53": 1}
    # exempt bodies not aided (a later year's rule): the fund loses C's 140 000
    no_aid = simulate(inputs_from_bodies(bodies()), ANNEX.replace(exoneres_recoivent_aides=False))
    assert no_aid.totals["fonds_total_eur"] == pytest.approx(451_000)


def test_html_payload_body_name_passes_through_as_data():
    df = inputs_from_bodies(bodies())
    assert df.loc[df["code"] == "B2", "nom"].item() == PAYLOAD
    units = simulate(df, ANNEX).units
    assert units.loc[units["code"] == "B2", "nom"].item() == PAYLOAD


def test_bodies_optional_columns_and_missing_required():
    frame = bodies().drop(columns=["dep_code"])
    frame["exonere"] = pd.Series([None, True, False], dtype=object)
    df = inputs_from_bodies(frame)
    assert list(df["part_exoneree"]) == [0.0, 1.0, 0.0]
    assert df["dep_code"].isna().all()
    frame = bodies().drop(columns=["exonere"])
    assert inputs_from_bodies(frame)["part_exoneree"].sum() == 0
    with pytest.raises(DataError, match="loyers_eur"):
        inputs_from_bodies(bodies().drop(columns=["loyers_eur"]))


@pytest.mark.parametrize("year", [2013, 2014, 2015])
def test_regional_bases_add_up_to_the_cited_national_totals(year):
    """The three contribution bases are calibrated on the national totals of the campaign."""
    from lib.data import load_figures
    from lib.mutualisation_inputs import BASE_INDICATORS, national_bases

    k = regional_keys(year)
    bases = national_bases(year)
    fig = load_figures()
    for col, indicator in BASE_INDICATORS.items():
        cited = fig[(fig["indicateur"] == indicator) & (fig["periode"] == str(bases.campagne))]["valeur"]
        assert len(cited) == 1
        assert k[col].sum() == pytest.approx(float(cited.iloc[0]), rel=1e-9)
        assert (k[col] > 0).all()
    # stock is spread by the regional stock, rents and CGLLS dues by stock × rent per m²
    stock_share = k["parc_social"] / k["parc_social"].sum()
    assert (k["patrimoine_logements"] / k["patrimoine_logements"].sum()).to_numpy() == pytest.approx(stock_share)
    rent_share = k["parc_social"] * k["loyer_m2"] / (k["parc_social"] * k["loyer_m2"]).sum()
    assert (k["loyers_eur"] / k["loyers_eur"].sum()).to_numpy() == pytest.approx(rent_share)
    assert (k["cotisation_cglls_eur"] / k["cotisation_cglls_eur"].sum()).to_numpy() == pytest.approx(rent_share)
    assert set(k["nature_loyer"]) == set(k["nature_cotisation_cglls"]) == {"estimé"}
    # campaign 2015 (activity 2014) published its totals; the others borrow them
    assert (bases.campagne, bases.nature) == (2015, "dérivé" if year == 2014 else "estimé")
    assert bases.note


def test_base_totals_change_no_share_of_the_contribution():
    """Only each region's share of a base splits the contribution: scaling a base's national
    total moves no region's contribution."""
    k = regional_keys(2014)
    a = preset_assumptions()
    base = aggregate_by_region(simulate(build_inputs(a, k), PACT)).set_index("region_code")
    k2 = k.copy()
    k2["loyers_eur"] *= 1.37
    k2["cotisation_cglls_eur"] *= 0.5
    other = aggregate_by_region(simulate(build_inputs(a, k2), PACT)).set_index("region_code")
    assert other["contribution_totale_eur"].to_numpy() == pytest.approx(base["contribution_totale_eur"].to_numpy())


def test_data_mode_rehabilitations_and_their_nature():
    rehab_share = value("objectifs.rehabilitation_hlm", 2013) / value("objectifs.rehabilitation_tous_bailleurs", 2013)
    a13, n13 = data_assumptions(2013)
    assert a13.rehabilitation_hlm == round(56702 / 2 * rehab_share) and n13["rehabilitation_hlm"] == "dérivé"
    a14, n14 = data_assumptions(2014)
    assert a14.rehabilitation_hlm == round(45662 * rehab_share) and n14["rehabilitation_hlm"] == "dérivé"
    a15, n15 = data_assumptions(2015)
    assert a15.rehabilitation_hlm == a14.rehabilitation_hlm and n15["rehabilitation_hlm"] == "estimé"
