"""Hostile and oversized uploads through the importer: each is refused (or read) with a French
message, in bounded memory, and never reaches the page unescaped. The large files are generated
here, at test time (tests/robustness/corpus.py), never committed.

Memory is measured with tracemalloc (Python allocations, which is where an inflated member or a
grid of cells lives), never with timings."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from lib import importer as im
from lib.errors import DataError
from tests.robustness import corpus

MB = 1024 * 1024


def traced(fn, *args, **kwargs):
    """(result or exception, peak of Python allocations in bytes)."""
    tracemalloc.start()
    try:
        try:
            out = fn(*args, **kwargs)
        except DataError as err:  # noqa: PERF203 - the refusal is the result here
            out = err
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


def refused(content: bytes, name: str, kind: str = "figures") -> tuple[DataError, int]:
    out, peak = traced(im.import_file, content, name, kind)
    assert isinstance(out, DataError), f"{name} accepté : {out!r}"
    return out, peak


# ---------------------------------------------------------------------------------------------
# Decompression bombs


def test_bzip2_bomb_is_refused_without_inflating_it():
    bomb = corpus.bzip2_bomb_xlsx(inflated=300 * MB)
    assert len(bomb) < 10_000
    err, peak = refused(bomb, "bombe.xlsx")
    assert "bzip2" in str(err) and "Excel n'utilise pas" in str(err)
    assert "Fichier « bombe.xlsx »" in str(err)
    assert peak < 32 * MB


def test_lzma_member_is_refused_too():
    content = corpus.xlsx_from_parts(corpus.sheet_xml(["Code région", "Année", "PLAI"], 3, ["11", "2014", "5"]),
                                     method=zipfile.ZIP_LZMA)
    err, _ = refused(content, "lzma.xlsx")
    assert "LZMA" in str(err)


def test_deflate_member_lying_about_its_size_is_refused_in_bounded_memory():
    bomb = corpus.deflate_bomb_xlsx(inflated=300 * MB, declared=4096)
    err, peak = refused(bomb, "ment.xlsx")
    assert "abîmé" in str(err)
    assert peak < 32 * MB


def test_honest_member_over_the_unpacked_limit_is_refused_before_inflating():
    bomb = corpus.deflate_bomb_xlsx(inflated=200 * MB, declared=None)
    err, peak = refused(bomb, "gros.xlsx")
    assert "décompressé dépasse 150 Mo" in str(err)
    assert peak < 32 * MB


def test_entity_expansion_in_the_workbook_is_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", corpus.CONTENT_TYPES)
        zf.writestr("_rels/.rels", corpus.ROOT_RELS)
        zf.writestr("xl/workbook.xml", laughs)
    err, peak = refused(buf.getvalue(), "rires.xlsx")
    assert "illisible" in str(err)
    assert peak < 32 * MB


def test_entity_expansion_in_a_sheet_is_refused():
    dtd = (b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10)) + b"]>")
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?>\n' + dtd
             + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>Code</t></is></c><c r="B1" t="inlineStr"><is><t>&lol9;'
             b'</t></is></c></row></sheetData></worksheet>')
    err, peak = refused(corpus.xlsx_from_parts(sheet), "rires_feuille.xlsx")
    assert "illisible" in str(err)
    assert peak < 32 * MB


# ---------------------------------------------------------------------------------------------
# Files inside the size limits that would hold the server


def test_probe_workbook_of_8_million_cells_is_refused_early_in_bounded_memory():
    """0,6 Mo, 199 990 rows × 40 numeric cells: took 229 s and 982 Mo before."""
    content = corpus.big_sheet_xlsx()
    assert len(content) < im.MAX_BYTES
    err, peak = refused(content, "grand.xlsx")
    assert "7\u202f999\u202f640 cellules remplies" in str(err)
    assert "199\u202f991 lignes × 40 colonnes" in str(err)
    assert "Supprimez les colonnes inutiles" in str(err)
    assert peak < 48 * MB


def test_a_sheet_lying_about_its_dimension_is_counted_not_trusted():
    content = corpus.big_sheet_xlsx(dimension="A1:C3")
    err, peak = refused(content, "petit_menteur.xlsx")
    assert "cellules remplies" in str(err)
    assert peak < 48 * MB


def test_a_large_legitimate_sheet_is_read_and_held_compactly():
    content = corpus.big_sheet_xlsx(rows=150_000, columns=6)
    raw, _ = traced(im.read_table, content, "legitime.xlsx")
    assert isinstance(raw, im.RawTable), raw
    assert len(raw.frame) == 150_000
    # numbers held as float64 (8 bytes a cell), not as Python objects (about 36)
    assert raw.frame.memory_usage(deep=True).sum() < 12 * MB
    err, _ = refused(content, "legitime.xlsx")
    assert "doublon" in str(err) and "150000 fois" in str(err)


def test_csv_over_the_cell_limit_is_refused():
    row = ";".join(["1"] * 25) + "\n"
    content = ("Code région;Année;" + ";".join(f"c{i}" for i in range(23)) + "\n" + row * 170_000).encode()
    assert len(content) < im.MAX_BYTES
    err, peak = refused(content, "cellules.csv")
    assert "plus de 4\u202f000\u202f000 cellules remplies" in str(err)
    assert peak < 200 * MB


def test_csv_one_byte_over_the_size_limit_is_refused_in_french():
    content = b"a" * (im.MAX_BYTES + 1)
    err, _ = refused(content, "gros.csv")
    assert "au-delà de la limite de 10 Mo" in str(err)


def test_release_memory_runs_everywhere():
    im.release_memory()  # glibc: malloc_trim; Arrow: release its pool; elsewhere a no-op


# ---------------------------------------------------------------------------------------------
# Encodings, formulas, payloads


@pytest.mark.parametrize(("content", "fragment"), [
    ("Code région;Année;PLAI\n11;2014;5\n".encode("utf-16-le"), "caractères binaires"),
    (b"\x00\x01\x02" * 1000, "caractères binaires"),
    ("Code région;Année;PLAI\n11;2014;5\n".encode("utf-32"), "caractères binaires"),
], ids=["utf16_sans_bom", "octets_nuls", "utf32"])
def test_unreadable_encodings_get_a_french_message(content, fragment):
    err, _ = refused(content, "texte.csv")
    assert fragment in str(err)


@pytest.mark.parametrize("payload", [
    "=HYPERLINK(\"http://exemple.invalid\",\"cliquez\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
])
def test_formulas_in_count_cells_are_refused_as_text(payload):
    content = f"Code région;Année;PLAI\n11;2014;{payload}\n".encode()
    err, _ = refused(content, "formule.csv")
    assert "n'est pas un nombre" in str(err) or "est une formule" in str(err)


def test_formulas_in_names_stay_text_and_are_neutralised_on_export():
    content = "Code région;Région;Année;PLAI\n11;=HYPERLINK(\"http://x.invalid\");2014;5\n".encode()
    ds = im.import_file(content, "nom.csv", "figures")
    assert any("=HYPERLINK" in w for w in ds.warnings)  # quoted in the name warning, as text
    exported = im.to_csv_bytes(ds.frame.assign(territoire_nom="=HYPERLINK(\"http://x.invalid\")"))
    assert b"'=HYPERLINK" in exported


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[clic](javascript:alert(1))",
    "https://exemple.invalid/piege", "**gras** _italique_ :red[rouge]",
])
def test_payloads_in_cells_are_quoted_as_typed(payload):
    content = f"Code région;Année;PLAI\n{payload};2014;5\n".encode()
    err, _ = refused(content, "charge.csv")
    assert f"« {payload} »" in str(err)


def test_dataset_name_keeps_payload_as_plain_text():
    content = "Code région;Année;PLAI\n11;2014;5\n".encode()
    ds = im.import_file(content, "x.csv", "figures", name="<b>https://exemple.invalid</b>\x00\u202e")
    assert ds.name == "<b>https://exemple.invalid</b>"  # control and bidi characters dropped, rest kept
    assert ds.frame["source"].iloc[0] == "Fichier importé : <b>https://exemple.invalid</b>"
