"""Shipped zoning 1bis/1/2/3 (data/zonage), from openfisca-france."""

import pandas as pd
import pytest

from lib import geo
from lib.errors import DataError

N_COMMUNES_2014 = 36_681  # rows of openfisca_france/assets/apl/20110914_zonage.csv


@pytest.fixture(scope="module")
def communes():
    return geo.load_zonage_communes()


@pytest.fixture(scope="module")
def by_region():
    return geo.load_zonage_regions()


def test_thirty_communes_in_zone_1bis(communes):
    one_bis = communes[communes["zone"] == "1bis"]
    assert len(one_bis) == 30
    assert "75056" in set(one_bis["commune_code"])  # Paris
    assert set(one_bis["dep_code"]) == {"75", "92", "93", "94"}
    assert (one_bis["reg2015_code"] == "11").all()


def test_only_the_four_zones_and_known_regions(communes, by_region):
    assert set(communes["zone"]) == set(geo.ZONES)
    assert communes["reg2015_code"].isin(geo.REGION_CODES).all()
    assert set(communes["reg2015_code"]) == set(geo.REGION_CODES)
    assert by_region["reg2015_code"].isin(geo.REGION_CODES).all()
    assert set(by_region["zone"]) == set(geo.ZONES)
    assert len(by_region) == 27 * 4


def test_every_commune_once_and_region_matches_departement(communes):
    assert len(communes) == N_COMMUNES_2014
    assert communes["commune_code"].is_unique
    regions = communes["dep_code"].map(geo.dep_to_region)
    assert (regions == communes["reg2015_code"]).all()


def test_regional_table_adds_up(communes, by_region):
    assert by_region["communes"].sum() == len(communes)
    counts = communes.groupby(["reg2015_code", "zone"]).size()
    table = by_region.set_index(["reg2015_code", "zone"])
    assert (table.loc[counts.index, "communes"] == counts).all()
    pops = communes.groupby(["reg2015_code", "zone"])["population"].sum()
    assert (table.loc[pops.index, "population"].fillna(0) == pops).all()
    assert by_region["communes_sans_population"].sum() == communes["population"].isna().sum()
    assert table.loc[("11", "1bis"), "communes"] == 30
    assert pd.isna(table.loc[("06", "2"), "population"])  # Mayotte: no population in the source


def test_populations_within_the_national_figure(communes):
    from tests.test_geo import NATIONAL_POPULATION

    total = int(communes["population"].sum())
    assert 0.999 * NATIONAL_POPULATION < total <= NATIONAL_POPULATION


def test_broken_zoning_file_gives_french_data_error(tmp_path):
    frame = pd.read_csv(geo.ZONAGE_COMMUNES_FILE, dtype=str, keep_default_na=False).head(5)
    frame.loc[0, "zone"] = "A bis"
    path = tmp_path / "zonage_communes.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"non conforme : .*zonage_communes.csv.*zone"):
        geo.load_zonage_communes(path)
    with pytest.raises(DataError, match="introuvable.*build_zonage"):
        geo.load_zonage_regions(tmp_path / "absent.csv")
