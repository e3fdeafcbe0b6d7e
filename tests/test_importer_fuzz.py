"""Property-based fuzzing of the import parser: whatever the bytes, it either returns a dataset
or raises the project's own ``DataError`` (French message), never anything else."""

from __future__ import annotations

import io
import os

import openpyxl
import pandas as pd
from babel.numbers import format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import importer as im
from lib.errors import DataError

SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = ["Code région", "Code département", "Code commune", "Code", "Région", "Année", "PLAI", "PLUS", "PLS",
           "Nombre de logements financés", "Identifiant", "Nom", "Loyers", "Patrimoine", "Cotisation CGLLS",
           "Exonéré", "Objectif", "", "=SUM(A1)", "<b>x</b>", "Année"]
CELLS = st.one_of(
    st.sampled_from(["11", "82", "84", "2A", "971", "75056", "2014", "1850", "-3", "1 234,5", "1.234", "1,234",
                     "douze", "", " ", "oui", "x", "=1+1", "#N/A", "<img src=x onerror=alert(1)>", "Total", '"',
                     "1e400", "\u00a0", "12\u202f000", "NaN", "inf", "None", "2014.0"]),
    st.text(max_size=12),
    st.integers(-10**6, 10**6).map(str),
)
KINDS = st.sampled_from(im.KINDS)
SEPARATORS = st.sampled_from([";", ",", "\t", "|"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])


def attempt(content: bytes, filename: str, kind: str, **kw) -> None:
    try:
        ds = im.import_file(content, filename, kind, **kw)
    except DataError as err:
        assert str(err).strip()  # a message to show
        return
    assert ds.kind == kind and len(ds.frame) > 0


@SETTINGS
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a", "a.xls"]),
       kind=KINDS)
def test_arbitrary_bytes(content, name, kind):
    attempt(content, name, kind)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=12),
    sep=SEPARATORS,
    encoding=ENCODINGS,
    kind=KINDS,
    title=st.booleans(),
)
def test_csv_like_files(header, rows, sep, encoding, kind, title):
    lines = (["Extraction du 01/01/2016"] if title else []) + [sep.join(header)] + [sep.join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    attempt(content, "fuzz.csv", kind)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(st.one_of(CELLS, st.integers(-10**9, 10**9), st.floats(allow_nan=True),
                                     st.booleans(), st.none()), max_size=7), max_size=8),
    kind=KINDS,
)
def test_xlsx_files(header, rows, kind):
    wb = openpyxl.Workbook()
    ws = wb.active
    try:
        ws.append(header)
        for r in rows:
            # openpyxl stores text starting with "=" as a formula (no cached value): part of the test
            ws.append(list(r))
        buf = io.BytesIO()
        wb.save(buf)
    except Exception:  # noqa: BLE001 - openpyxl refuses some cells (control characters): not our parser
        return
    attempt(buf.getvalue(), "fuzz.xlsx", kind)


@SETTINGS
@given(
    mapping=st.dictionaries(st.sampled_from([f.key for f in im.FIELDS["figures"]] + ["inconnu"]),
                            st.one_of(st.none(), st.sampled_from(["A", "B", "C", "Z"])), max_size=6),
    level=st.one_of(st.none(), st.sampled_from([*im.LEVELS, "autre"])),
    year=st.one_of(st.none(), st.integers(1800, 2100)),
    rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=6),
)
def test_any_mapping_the_user_can_choose(mapping, level, year, rows):
    content = ("A;B;C\n" + "\n".join(";".join(r) for r in rows) + "\n").encode()
    try:
        raw = im.read_table(content, "m.csv")
    except DataError:
        return
    try:
        im.build_dataset(raw, "figures", mapping, level=level, fixed_year=year)
    except DataError:
        pass


@SETTINGS
@given(st.integers(0, 10**12), st.sampled_from(["\u00a0", "\u202f", " ", "."]))
def test_french_formatted_integers_read_back(n, group):
    text = format_decimal(n, format="#,##0", locale="fr_FR").replace("\u202f", group).replace("\u00a0", group)
    assert im.parse_numbers(pd.Series([text], dtype=object), ",").iloc[0] == n


@SETTINGS
@given(st.lists(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.none(), st.booleans()), max_size=20),
       st.sampled_from([",", "."]))
def test_cell_parsers_never_raise(values, decimal):
    s = pd.Series(values, dtype=object)
    im.parse_numbers(s, decimal)
    im.parse_years(s)
    im.parse_bools(s)
    for v in values:
        for level in im.LEVELS:
            im.normalize_code(v, level)
        im.normalize_label(v)
