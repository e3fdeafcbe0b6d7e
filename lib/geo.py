"""Territories, shapes and zoning: plain loaders of the files built by ``scripts/build_geo.py``
and ``scripts/build_zonage.py``, each checked against a pandera schema.

Every loader reads the file anew and returns a new object (caching is the pages' business, in
``lib/ui``). A missing or broken file raises ``DataError`` with a French message naming it.
Codes are strings: regions "01" … "94" (INSEE, regions as they were before 2016), départements
"01" … "95", "2A", "2B", "971" … "976".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
import shapely

from lib.errors import DataError
from lib.paths import DATA, GEO, ROOT, ZONAGE

REGIONS_GEO_FILE = GEO / "regions_2015.geojson"
DEPARTEMENTS_GEO_FILE = GEO / "departements.geojson"
REGIONS_FILE = DATA / "regions.csv"
TERRITOIRES_FILE = DATA / "territoires.csv"
ZONAGE_COMMUNES_FILE = ZONAGE / "zonage_communes.csv"
ZONAGE_REGIONS_FILE = ZONAGE / "zonage_regions.csv"

REGION_CODES = (
    "01", "02", "03", "04", "06",
    "11", "21", "22", "23", "24", "25", "26", "31", "41", "42", "43",
    "52", "53", "54", "72", "73", "74", "82", "83", "91", "93", "94",
)  # fmt: skip
OVERSEAS_REGION_CODES = ("01", "02", "03", "04", "06")
ZONES = ("1bis", "1", "2", "3")  # the housing-aid zoning, most to least tense
N_DEPARTEMENTS = 101

DEP_CODE = r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$"
COMMUNE_CODE = r"^(\d{5}|2[AB]\d{3})$"
REG2016_CODE = r"^\d{2}$"

BUILD_GEO = "« make data » (scripts/build_geo.py)"
BUILD_ZONAGE = "« make data » (scripts/build_zonage.py)"


def _population(**kwargs) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=True, **kwargs)


def _name() -> pa.Column:
    return pa.Column(str, pa.Check.str_length(min_value=2))


def _is_area(geoms: gpd.GeoSeries) -> pd.Series:
    """True for a valid, non-empty Polygon or MultiPolygon."""
    values = geoms.to_numpy()
    ok = shapely.is_valid(values) & ~shapely.is_empty(values)
    return pd.Series(ok & pd.Series(shapely.get_type_id(values)).isin([3, 6]).to_numpy(),
                     index=geoms.index)


GEOMETRY = pa.Column(
    checks=pa.Check(_is_area, error="géométrie valide de type polygone"), nullable=False
)

REGIONS_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.isin(REGION_CODES), unique=True),
        "nom": _name(),
        "population": _population(),
        "outre_mer": pa.Column(bool),
        "reg2016_code": pa.Column(str, pa.Check.str_matches(REG2016_CODE)),
        "reg2016_nom": _name(),
    },
    checks=pa.Check(lambda df: len(df) == len(REGION_CODES), error="27 régions"),
    strict=True,
    coerce=True,
)

REGIONS_GEO_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.isin(REGION_CODES), unique=True),
        "nom": _name(),
        "population": _population(),
        "reg2016_code": pa.Column(str, pa.Check.str_matches(REG2016_CODE)),
        "reg2016_nom": _name(),
        "outre_mer": pa.Column(bool),
        "geometry": GEOMETRY,
    },
    checks=pa.Check(lambda df: len(df) == len(REGION_CODES), error="27 régions"),
    strict=True,
    coerce=True,
)

TERRITOIRES_SCHEMA = pa.DataFrameSchema(
    {
        "dep_code": pa.Column(str, pa.Check.str_matches(DEP_CODE), unique=True),
        "dep_nom": _name(),
        "reg2015_code": pa.Column(str, pa.Check.isin(REGION_CODES)),
        "reg2015_nom": _name(),
        "reg2016_code": pa.Column(str, pa.Check.str_matches(REG2016_CODE)),
        "reg2016_nom": _name(),
        "population": _population(),
    },
    checks=pa.Check(lambda df: len(df) == N_DEPARTEMENTS, error="101 départements"),
    strict=True,
    coerce=True,
)

DEPARTEMENTS_GEO_SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(DEP_CODE), unique=True),
        "nom": _name(),
        "region_code": pa.Column(str, pa.Check.isin(REGION_CODES)),
        "population": _population(),
        "geometry": GEOMETRY,
    },
    checks=pa.Check(lambda df: len(df) == N_DEPARTEMENTS, error="101 départements"),
    strict=True,
    coerce=True,
)

ZONAGE_COMMUNES_SCHEMA = pa.DataFrameSchema(
    {
        "commune_code": pa.Column(str, pa.Check.str_matches(COMMUNE_CODE), unique=True),
        "nom": pa.Column(str, pa.Check.str_length(min_value=1)),
        "dep_code": pa.Column(str, pa.Check.str_matches(DEP_CODE)),
        "reg2015_code": pa.Column(str, pa.Check.isin(REGION_CODES)),
        "zone": pa.Column(str, pa.Check.isin(ZONES)),
        "population": _population(),
    },
    strict=True,
    coerce=True,
)

ZONAGE_REGIONS_SCHEMA = pa.DataFrameSchema(
    {
        "reg2015_code": pa.Column(str, pa.Check.isin(REGION_CODES)),
        "zone": pa.Column(str, pa.Check.isin(ZONES)),
        "communes": pa.Column("int64", pa.Check.ge(0)),
        "population": _population(),
        "communes_sans_population": pa.Column("int64", pa.Check.ge(0)),
    },
    unique=["reg2015_code", "zone"],
    strict=True,
    coerce=True,
)


def _label(path: Path) -> str:
    """The file's path as the user knows it (relative to the project when inside it)."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


def _describe(column, check, case) -> str:
    """One schema failure in French."""
    check = str(check)
    if check == "column_in_dataframe":
        return f"colonne « {case} » absente"
    if check == "column_in_schema":
        return f"colonne « {case} » inattendue"
    where = f"colonne « {column} »" if isinstance(column, str) and column else "tableau"
    if check.startswith("dtype(") or check.startswith("coerce_dtype("):
        return f"{where} : type incorrect (« {case} »)"
    if check == "not_nullable":
        return f"{where} : valeur manquante"
    if "unique" in check:
        return f"{where} : valeur en double (« {case} »)"
    short = check if len(check) <= 40 else check[:37] + "..."
    return f"{where} : valeur « {case} » refusée par le contrôle « {short} »"


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path, script: str):
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5)
        detail = "; ".join(dict.fromkeys(
            _describe(col, check, case)
            for col, check, case in zip(
                cases["column"], cases["check"], cases["failure_case"], strict=True
            )
        ))
        raise DataError(
            f"Fichier de données non conforme : {_label(path)} ({detail}). "
            f"Reconstruisez-le avec {script}."
        ) from exc


def _missing(path: Path, script: str) -> DataError:
    return DataError(
        f"Fichier de données introuvable : {_label(path)}. Reconstruisez-le avec {script}."
    )


def _read_csv(path: Path, script: str, **kwargs) -> pd.DataFrame:
    if not Path(path).is_file():
        raise _missing(path, script)
    try:
        return pd.read_csv(path, encoding="utf-8", keep_default_na=False, **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            ValueError) as exc:
        raise DataError(f"Fichier de données illisible : {_label(path)} ({exc}).") from exc


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    if not Path(path).is_file():
        raise _missing(path, BUILD_GEO)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio/GDAL raise several types for unreadable files
        raise DataError(
            f"Fichier de géométrie illisible : {_label(path)} ({exc}). "
            f"Reconstruisez-le avec {BUILD_GEO}."
        ) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf:
        raise DataError(
            f"Fichier de géométrie illisible : {_label(path)} (aucune géométrie trouvée). "
            f"Reconstruisez-le avec {BUILD_GEO}."
        )
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise DataError(
            f"Fichier de géométrie non conforme : {_label(path)} (système de coordonnées "
            f"{gdf.crs} au lieu de WGS84, EPSG:4326)."
        )
    return gdf


def load_regions(path: Path = REGIONS_FILE) -> pd.DataFrame:
    """The 27 regions of before 2016: code, nom, population, outre_mer, reg2016_code/nom."""
    raw = _read_csv(path, BUILD_GEO, dtype={"code": str, "reg2016_code": str},
                    na_values={"population": [""]})
    return _validate(raw, REGIONS_SCHEMA, path, BUILD_GEO)


@lru_cache(maxsize=1)
def region_names() -> Mapping[str, str]:
    """Code → name of the 27 regions of before 2016, the one definition every page reads.
    Read-only: the cached mapping is shared by every session, so it is a ``MappingProxyType``."""
    reg = load_regions()
    return MappingProxyType(dict(zip(reg["code"].astype(str), reg["nom"].astype(str), strict=True)))


def load_territoires(path: Path = TERRITOIRES_FILE) -> pd.DataFrame:
    """One row per département (101): its region before and after 2016, and its population."""
    raw = _read_csv(
        path, BUILD_GEO, dtype={"dep_code": str, "reg2015_code": str, "reg2016_code": str},
        na_values={"population": [""]},
    )
    return _validate(raw, TERRITOIRES_SCHEMA, path, BUILD_GEO)


def load_regions_geo(path: Path = REGIONS_GEO_FILE) -> gpd.GeoDataFrame:
    """Shapes of the 27 regions of before 2016 (WGS84), with the columns of ``load_regions``."""
    gdf = _validate(_read_geojson(path), REGIONS_GEO_SCHEMA, path, BUILD_GEO)
    return gdf.sort_values("code").reset_index(drop=True)


def load_departements_geo(path: Path = DEPARTEMENTS_GEO_FILE) -> gpd.GeoDataFrame:
    """Shapes of the 101 départements (WGS84): code, nom, region_code (2015), population."""
    gdf = _validate(_read_geojson(path), DEPARTEMENTS_GEO_SCHEMA, path, BUILD_GEO)
    return gdf.sort_values("code").reset_index(drop=True)


def load_zonage_communes(path: Path = ZONAGE_COMMUNES_FILE) -> pd.DataFrame:
    """Zone 1bis/1/2/3 of every commune of 2014, with its population where the code still
    exists (communes merged since have none)."""
    raw = _read_csv(
        path, BUILD_ZONAGE,
        dtype={"commune_code": str, "dep_code": str, "reg2015_code": str, "zone": str},
        na_values={"population": [""]},
    )
    return _validate(raw, ZONAGE_COMMUNES_SCHEMA, path, BUILD_ZONAGE)


def load_zonage_regions(path: Path = ZONAGE_REGIONS_FILE) -> pd.DataFrame:
    """Per region of 2015 and zone: number of communes and their population (4 rows a region)."""
    raw = _read_csv(path, BUILD_ZONAGE, dtype={"reg2015_code": str, "zone": str},
                    na_values={"population": [""]})
    return _validate(raw, ZONAGE_REGIONS_SCHEMA, path, BUILD_ZONAGE)


@lru_cache(maxsize=1)
def _region_of_departement() -> dict[str, str]:
    terr = load_territoires()
    return dict(zip(terr["dep_code"], terr["reg2015_code"], strict=True))


def normalise_dep_code(dep_code: str | int) -> str:
    """"1" or 1 -> "01", "2a" -> "2A"; other codes are returned stripped and upper-cased."""
    code = str(dep_code).strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


def dep_to_region(dep_code: str | int) -> str:
    """Region code (before 2016) of a département code, e.g. "34" -> "91", "2A" -> "94"."""
    code = normalise_dep_code(dep_code)
    try:
        return _region_of_departement()[code]
    except KeyError:
        raise DataError(f"Code de département inconnu : « {dep_code} ».") from None
