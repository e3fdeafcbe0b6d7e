"""Mutualisation engine: hand-computed cases (tests/cases/mutualisation_cases.yaml) and rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from lib.errors import DataError
from lib.mutualisation import (
    INPUT_COLUMNS,
    MutualisationParams,
    aggregate_by_region,
    count_by_statut,
    goal_seek,
    pact_paths,
    restructuring_scale,
    simulate,
)
from lib.params import load_params

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "mutualisation_cases.yaml").read_text("utf-8"))["cases"]


def case(words: str) -> dict:
    """The one case whose name contains ``words`` (cases are named after the annex, never numbered)."""
    found = [c for c in CASES if words in c["name"]]
    assert len(found) == 1, words
    return found[0]


def frame(units: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(units)
    for col in INPUT_COLUMNS:
        if col not in df.columns:
            df[col] = 0.0
        df[col] = df[col].fillna(0.0)
    if "part_exoneree" in df.columns:
        df["part_exoneree"] = df["part_exoneree"].fillna(0.0)
    return df


@pytest.fixture(scope="module")
def pact() -> MutualisationParams:
    return MutualisationParams.from_pact(2013)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hand_computed_case(case, pact):
    params = pact.replace(**case.get("params", {}))
    result = simulate(frame(case["units"]), params)
    units = result.units.set_index("code") if "annee" not in case["units"][0] else None
    for code, expected in case["expected"].get("units", {}).items():
        row = units.loc[code]
        for col, value in expected.items():
            if isinstance(value, str):
                assert row[col] == value, (code, col)
            else:
                assert row[col] == pytest.approx(value, abs=1e-6), (code, col)
    for col, value in case["expected"].get("totals", {}).items():
        assert result.totals[col] == pytest.approx(value, abs=1e-6), col
    for year, expected in case["expected"].get("by_year", {}).items():
        row = result.by_year.set_index("annee").loc[year]
        for col, value in expected.items():
            assert row[col] == pytest.approx(value), (year, col)
    # conservation in every case
    assert result.units["contribution_totale_eur"].sum() == pytest.approx(result.totals["fonds_total_eur"])


def test_params_come_from_the_parameter_file(pact):
    params = load_params()
    for field, path in pact_paths().items():
        assert getattr(pact, field) == params[path].value(2013)
    assert pact.part_loyers + pact.part_patrimoine + pact.part_cotisation_cglls == pytest.approx(1)


def test_shares_must_sum_to_100_percent(pact):
    bad = pact.replace(part_loyers=0.6)
    with pytest.raises(DataError, match="totaliser 100 %"):
        simulate(frame(case("3 300 € en zone 1/1 bis")["units"]), bad)


@pytest.mark.parametrize(
    "change, message",
    [({"aide_zone_1_1bis_eur": -1}, "positive"), ({"taux_rehabilitation": 1.5}, "100 %")],
)
def test_invalid_params_raise_french_errors(pact, change, message):
    with pytest.raises(DataError, match=message):
        pact.replace(**change).validate()


def test_missing_column_and_negative_values_are_refused(pact):
    df = frame(case("3 300 € en zone 1/1 bis")["units"]).drop(columns=["loyers_eur"])
    with pytest.raises(DataError, match="Colonnes manquantes"):
        simulate(df, pact)
    df = frame(case("3 300 € en zone 1/1 bis")["units"])
    df.loc[0, "patrimoine_logements"] = -3
    with pytest.raises(DataError, match="négative"):
        simulate(df, pact)


def test_no_base_among_contributors_is_a_french_error(pact):
    df = frame([{"code": "A", "logements_zone_2_3": 1, "loyers_eur": 1, "patrimoine_logements": 1}])
    with pytest.raises(DataError, match="cotisation CGLLS"):
        simulate(df, pact)
    # the same data work once the CGLLS share is moved to the rents
    ok = simulate(df, pact.replace(part_loyers=0.75, part_cotisation_cglls=0.0))
    assert ok.totals["fonds_total_eur"] == pytest.approx(1300)


def test_simulate_does_not_modify_its_input(pact):
    df = frame(case("50 % loyers")["units"])
    before = df.copy()
    simulate(df, pact)
    pd.testing.assert_frame_equal(df, before)


def test_restructuring_scale():
    assert restructuring_scale(0, 5000) == 1
    assert restructuring_scale(5000, 5000) == 1
    assert restructuring_scale(10000, 5000) == 0.5


def test_bodies_aggregate_to_regions(pact):
    df = frame(
        [
            {
                "code": "b1",
                "region_code": "11",
                "logements_zone_1_1bis": 10,
                "loyers_eur": 5,
                "patrimoine_logements": 5,
                "cotisation_cglls_eur": 5,
            },
            {
                "code": "b2",
                "region_code": "11",
                "logements_zone_2_3": 10,
                "loyers_eur": 5,
                "patrimoine_logements": 5,
                "cotisation_cglls_eur": 5,
            },
            {
                "code": "b3",
                "region_code": "93",
                "loyers_eur": 10,
                "patrimoine_logements": 10,
                "cotisation_cglls_eur": 10,
            },
        ]
    )
    result = simulate(df, pact)
    regions = aggregate_by_region(result).set_index("region_code")
    assert regions.loc["11", "aide_totale_eur"] == pytest.approx(46000)
    assert regions.loc["11", "contribution_totale_eur"] == pytest.approx(23000)
    assert regions.loc["93", "solde_net_eur"] == pytest.approx(-23000)
    assert regions.loc["11", "unites"] == 2
    assert count_by_statut(regions) == {"contributeur net": 1, "bénéficiaire net": 1, "neutre": 0}


@pytest.mark.parametrize("field", ["aide_zone_1_1bis_eur", "taux_rehabilitation", "frais_gestion_eur"])
def test_goal_seek_reaches_the_target(pact, field):
    case = next(c for c in CASES if "280 M€" in c["name"])
    df = frame(case["units"])
    res = goal_seek(df, pact, field, 280_000_000)
    assert res.reachable
    assert res.fund_eur == pytest.approx(280_000_000, abs=1)
    check = simulate(df, pact.replace(**{field: res.value})).totals["fonds_total_eur"]
    assert check == pytest.approx(280_000_000, abs=1)


def test_goal_seek_says_when_the_target_is_out_of_reach(pact):
    case = next(c for c in CASES if "280 M€" in c["name"])
    res = goal_seek(frame(case["units"]), pact, "aide_restructuration_eur", 1e12)
    assert not res.reachable
    assert "supérieure" in res.message


def test_goal_seek_on_the_cap_is_piecewise(pact):
    df = frame(case("(3 M€) partagée au prorata")["units"])  # 10 000 dwellings submitted
    res = goal_seek(df, pact, "plafond_restructuration_logements", 4_200_000)
    assert res.reachable
    assert res.value == pytest.approx(7000, abs=1)


def test_params_round_trip_through_dict(pact):
    as_text = {k: str(v) for k, v in pact.to_dict().items()}
    assert MutualisationParams.from_dict(as_text) == pact
    with pytest.raises(DataError):
        MutualisationParams.from_dict({"exoneres_cotisent": "peut-être"})
