"""Shipped figures: every row typed and sourced, missing stays missing, the retention rule."""

import math

import pandas as pd
import pytest

from lib import data, natures
from lib.errors import DataError
from lib.params import load_params
from lib.paths import FIGURES_FILE


@pytest.fixture(scope="module")
def figures():
    return data.load_figures()


def test_every_row_typed_and_sourced(figures):
    assert len(figures) > 200
    assert figures["nature"].isin(natures.SOURCED).all()
    assert figures["source"].str.len().ge(5).all()
    assert figures["indicateur"].isin(data.INDICATORS).all()
    assert figures["valeur"].notna().all()  # a missing figure is absent, never a row with 0
    for col in ("niveau", "territoire_code", "periode", "unite"):
        assert figures[col].astype(str).str.len().gt(0).all(), col


def test_national_series_matches_cited_figures(figures):
    nat = data.national_production(figures, load_params())
    total = nat[nat["serie"] == "Total"].set_index("annee")["valeur"]
    assert total.to_dict() == {2010: 129441, 2011: 115029, 2012: 102728, 2013: 117065, 2014: 106414,
                               2015: 108921, 2016: 124226}


def test_missing_products_are_missing_not_zero(figures):
    nat = data.national_production(figures, load_params())
    plai_2014 = nat[(nat["serie"] == "PLAI") & (nat["annee"] == 2014)].iloc[0]
    assert math.isnan(plai_2014["valeur"]) and plai_2014["nature"] == "manquant"
    plai_2013 = nat[(nat["serie"] == "PLAI") & (nat["annee"] == 2013)].iloc[0]
    assert plai_2013["valeur"] == 29735 and plai_2013["nature"] == "dérivé"


def test_targets_only_for_pact_years(figures):
    nat = data.national_production(figures, load_params())
    tot = nat[nat["serie"] == "Total"].set_index("annee")
    assert tot.loc[2013, "objectif_tous_bailleurs"] == 150_000 and tot.loc[2015, "objectif_hlm"] == 120_000
    assert math.isnan(tot.loc[2012, "objectif_hlm"]) and math.isnan(tot.loc[2016, "objectif_hlm"])
    assert tot.loc[2013, "taux_hlm"] == pytest.approx(117065 / 120000)


@pytest.mark.parametrize("code, periode, retained_value, n", [
    ("11", "2013", 31139, 2),   # ministry-derived share preferred to the association's 30 316
    ("11", "2014", 27670, 2),   # ministry release vs association 27 584
    ("11", "2015", 30320, 3),   # ministry vs provisional 30 099 vs association 31 101
    ("93", "2013", 8863, 2),
    ("72", "2013", 7648, 3),
    ("94", "2014", 365, 2),
    ("91", "2015", 5017, 1),
])
def test_retention_rule(figures, code, periode, retained_value, n):
    r = data.retained(figures, "lls_finances")
    row = r[(r["territoire_code"] == code) & (r["periode"] == periode)]
    assert len(row) == 1
    assert row.iloc[0]["valeur"] == retained_value
    assert row.iloc[0]["n_sources"] == n
    if n > 1:
        assert isinstance(row.iloc[0]["autres_sources"], str) and row.iloc[0]["autres_sources"]


def test_imported_figures_win_over_defaults(figures):
    mine = figures[(figures["territoire_code"] == "91") & (figures["periode"] == "2015")
                   & (figures["indicateur"] == "lls_finances")].copy()
    mine["valeur"], mine["nature"], mine["perimetre"], mine["source"] = 4000.0, "importé", "", "Fichier importé : x.csv"
    r = data.retained(pd.concat([mine, figures], ignore_index=True), "lls_finances")
    row = r[(r["territoire_code"] == "91") & (r["periode"] == "2015")].iloc[0]
    assert row["valeur"] == 4000 and row["nature"] == "importé"


def test_eight_unlisted_regions_remainder(figures):
    """The ministry release of 19/01/2016 lists 14 regions; the 8 others together are the rest."""
    r = data.retained(figures, "lls_finances")
    for year, national, rest in ((2014, 106414, 37221), (2015, 108921, 38331)):
        listed = r[(r["annee"] == year) & r["perimetre"].eq("métropole hors ANRU")]
        assert len(listed) == 14
        assert national - listed["valeur"].sum() == rest


def test_coverage_matrix_marks_missing():
    figures = data.load_figures()
    regions = pd.DataFrame({"code": ["91", "06"], "nom": ["Languedoc-Roussillon", "Mayotte"]})
    cov = data.coverage_matrix(figures, regions)
    lr = cov[(cov["code"] == "91") & (cov["indicateur"] == "lls_finances")].set_index("annee")["nature"]
    assert lr[2015] == "cité" and lr[2010] == "manquant"
    assert (cov[cov["code"] == "06"]["nature"] == "manquant").all()  # Mayotte: nothing
    eco = cov[(cov["code"] == "91") & (cov["indicateur"] == "rehab_eco_pls")].set_index("annee")["nature"]
    assert eco[2012] == eco[2013] == "cité" and eco[2014] == "manquant"


def test_broken_figures_file_gives_french_error(tmp_path):
    with pytest.raises(DataError, match="introuvable"):
        data.load_figures(tmp_path / "absent.csv")
    bad = tmp_path / "figures.csv"
    text = FIGURES_FILE.read_text(encoding="utf-8")
    bad.write_text(text.replace(",cité,", ",inventé,", 1), encoding="utf-8")
    with pytest.raises(DataError, match="non conforme.*nature"):
        data.load_figures(bad)
    neg = tmp_path / "neg.csv"
    lines = text.splitlines()
    cells = lines[1].split(",")
    cells[6] = "-5"
    neg.write_text("\n".join([lines[0], ",".join(cells)]), encoding="utf-8")
    with pytest.raises(DataError, match="valeur"):
        data.load_figures(neg)


def test_retained_without_any_disagreement(figures):
    """National series have one source per year: no 'autres_sources', no crash."""
    r = data.retained(figures, "lls_finances", "France")
    assert len(r) == 7 and r["autres_sources"].isna().all()
