"""Invariants of annex 1 checked on random inputs (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.mutualisation import MutualisationParams, simulate

PACT = MutualisationParams.from_pact(2013)

volume = st.floats(0, 50_000, allow_nan=False)
amount = st.floats(0, 1e9, allow_nan=False)
positive = st.floats(1, 1e9, allow_nan=False)


@st.composite
def units(draw, min_size=1, max_size=12):
    n = draw(st.integers(min_size, max_size))
    rows = []
    for i in range(n):
        rows.append(
            {
                "code": f"u{i}",
                "region_code": draw(st.sampled_from(["11", "93", "91", "82"])),
                "logements_zone_1_1bis": draw(volume),
                "logements_zone_2_3": draw(volume),
                "prets_rehabilitation_eur": draw(amount),
                "logements_restructures": draw(st.floats(0, 20_000)),
                "loyers_eur": draw(positive),
                "patrimoine_logements": draw(positive),
                "cotisation_cglls_eur": draw(positive),
                "part_exoneree": draw(st.sampled_from([0.0, 0.0, 0.0, 1.0, 0.3])),
            }
        )
    df = pd.DataFrame(rows)
    # at least one unit pays, otherwise the contribution has no base (tested elsewhere)
    df.loc[0, "part_exoneree"] = 0.0
    return df


@st.composite
def params(draw):
    a = draw(st.integers(0, 100))
    b = draw(st.integers(0, 100 - a))
    return PACT.replace(
        aide_zone_1_1bis_eur=draw(st.floats(0, 10_000)),
        aide_zone_2_3_eur=draw(st.floats(0, 10_000)),
        taux_rehabilitation=draw(st.floats(0, 0.2)),
        aide_restructuration_eur=draw(st.floats(0, 5_000)),
        plafond_restructuration_logements=draw(st.floats(0, 50_000)),
        part_loyers=a / 100,
        part_patrimoine=b / 100,
        part_cotisation_cglls=(100 - a - b) / 100,
        frais_gestion_eur=draw(st.floats(0, 1e6)),
        exoneres_cotisent=draw(st.booleans()),
        exoneres_recoivent_aides=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None)
@given(units(), params())
def test_contributions_cover_aids_plus_fees(df, p):
    res = simulate(df, p)
    u = res.units
    fund = u["aide_totale_eur"].sum() + p.frais_gestion_eur
    assert u["contribution_totale_eur"].sum() == pytest.approx(fund, rel=1e-9, abs=1e-3)
    assert res.totals["fonds_total_eur"] == pytest.approx(fund, rel=1e-9, abs=1e-3)
    # net balances sum to minus the fees
    assert u["solde_net_eur"].sum() == pytest.approx(-p.frais_gestion_eur, rel=1e-9, abs=1e-3)
    # each base carries its share
    for col, share in [
        ("contribution_loyers_eur", p.part_loyers),
        ("contribution_patrimoine_eur", p.part_patrimoine),
        ("contribution_cglls_eur", p.part_cotisation_cglls),
    ]:
        assert u[col].sum() == pytest.approx(fund * share, rel=1e-9, abs=1e-3)
    assert (u[[c for c in u.columns if c.endswith("_eur") and c != "solde_net_eur"]] >= -1e-9).all().all()


@settings(max_examples=200, deadline=None)
@given(units(), params())
def test_exempt_units_pay_nothing_and_get_aids_only_if_allowed(df, p):
    res = simulate(df, p).units
    exempt = res[res["part_exoneree"] == 1.0]
    if not p.exoneres_cotisent:
        assert (exempt["contribution_totale_eur"] == 0).all()
    if not p.exoneres_recoivent_aides:
        assert (exempt["aide_totale_eur"] == 0).all()


@settings(max_examples=200, deadline=None)
@given(units(), params(), st.randoms(use_true_random=False))
def test_cap_holds_however_dwellings_are_spread(df, p, rnd):
    total = df["logements_restructures"].sum()
    # spread the same total differently among units
    weights = np.array([rnd.random() + 1e-3 for _ in range(len(df))])
    spread = df.copy()
    spread["logements_restructures"] = total * weights / weights.sum()
    for frame in (df, spread):
        res = simulate(frame, p)
        assert res.totals["aide_restructuration_eur"] <= (
            p.aide_restructuration_eur * p.plafond_restructuration_logements * (1 + 1e-9) + 1e-6
        )
    if not (df["part_exoneree"] > 0).any():
        a = simulate(df, p).totals["aide_restructuration_eur"]
        b = simulate(spread, p).totals["aide_restructuration_eur"]
        assert a == pytest.approx(b, rel=1e-9, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(units(), params(), st.floats(0, 5_000))
def test_fund_is_monotone_in_the_zone_1_aid(df, p, extra):
    low = simulate(df, p).totals["fonds_total_eur"]
    high = simulate(df, p.replace(aide_zone_1_1bis_eur=p.aide_zone_1_1bis_eur + extra)).totals["fonds_total_eur"]
    assert high >= low - 1e-6


@settings(max_examples=100, deadline=None)
@given(units(min_size=2), params())
def test_more_rent_means_a_larger_contribution(df, p):
    """A unit whose rents grow (others unchanged) never pays less."""
    before = simulate(df, p).units.loc[0, "contribution_totale_eur"]
    richer = df.copy()
    richer.loc[0, "loyers_eur"] *= 2
    after = simulate(richer, p).units.loc[0, "contribution_totale_eur"]
    assert after >= before - 1e-6
