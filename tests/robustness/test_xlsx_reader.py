"""lib/xlsx_reader.py: the cells it reads are the ones openpyxl reads (data_only), on workbooks
written by openpyxl, xlsxwriter and by hand (namespace prefixes, no cell references, CDATA,
comments), and hostile archives are refused before they are inflated."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
import xlsxwriter

from lib import xlsx_reader as xr
from lib.errors import DataError
from tests.robustness import corpus

WHERE = "Fichier « t.xlsx »"


def reference_cells(content: bytes) -> dict[str, dict[tuple[int, int], object]]:
    wb = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[(c.row, c.column)] = c.value
        out[ws.title] = cells
    return out


def reader_cells(content: bytes) -> dict[str, dict[tuple[int, int], object]]:
    book = xr.XlsxBook(content, WHERE)
    out = {}
    for name in book.sheets:
        cells = {}
        for line, values in book.rows(name):
            for col, v in enumerate(values, start=1):
                if v is not None:
                    cells[(line, col)] = v
        out[name] = cells
    return out


def openpyxl_book() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Données"
    ws["A1"] = "Code région"
    ws["B1"] = "Année"
    ws["C1"] = "Texte & <balises> \"guillemets\" 'apostrophes'"
    ws["A2"], ws["B2"], ws["C2"] = 11, 2014, "Île-de-France — été 🏠"
    ws["A3"], ws["B3"], ws["C3"] = -5.25, 1.5e-7, "ligne 1\nligne 2"
    ws["D4"] = True
    ws["E4"] = False
    ws["F4"] = dt.datetime(2014, 3, 1, 12, 30)
    ws["G4"] = dt.date(2015, 1, 1)
    ws["AA7"] = "colonne AA"
    ws["B9"] = "=SUM(A2:A3)"  # a formula without cached value: None with data_only
    ws["C9"] = "  espaces  "
    ws["A12"] = 12345678901234567
    ws2 = wb.create_sheet("Deuxième")
    ws2["C5"] = "seule cellule"
    wb.create_sheet("Vide")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsxwriter_book() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("Feuil1")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    ws.write(0, 0, "Extraction SISAL — titre")
    ws.write(2, 0, "Code")
    ws.write(2, 1, "Année")
    ws.write(2, 2, "PLAI")
    ws.write(3, 0, "2A")
    ws.write_datetime(3, 1, dt.datetime(2014, 1, 1), date)
    ws.write_number(3, 2, 1234.5)
    ws.write_formula(4, 0, "=1/0", None, "#DIV/0!")
    ws.write_formula(4, 1, "=A1", None, 5)
    ws.write_formula(4, 2, '="a"&"b"', None, "ab")
    ws.write_string(4, 3, "=SUM(A1)")
    ws.write_boolean(5, 0, True)
    ws.write_blank(5, 1, None, bold)
    ws.write_rich_string(5, 2, "riche ", bold, "en gras", " fin")
    ws.write(6, 5, "après un trou")
    ws.write_number(200, 30, 7)
    ws.write_blank(300, 2, None, bold)
    wb.add_worksheet("Autre").write(0, 0, "x")
    wb.close()
    return buf.getvalue()


def hand_written(sheet_body: str, root: str = "worksheet", prefix: str = "") -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    decl = f'xmlns:{prefix[:-1]}="{ns}"' if prefix else f'xmlns="{ns}"'
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<{prefix}{root} {decl}><{prefix}sheetData>{sheet_body}'
           f'</{prefix}sheetData></{prefix}{root}>').encode()
    return corpus.xlsx_from_parts(xml)


HAND_CASES = {
    "sans_references": "<row><c><v>1</v></c><c t=\"inlineStr\"><is><t>a</t></is></c></row>"
                       "<row/><row><c/><c><v>2.5</v></c></row>",
    "prefixe": "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>préfixé</x:t></x:is></x:c>"
               "<x:c r=\"C1\"><x:v>3</x:v></x:c></x:row>",
    "cdata_commentaire": "<row r=\"2\"><!-- un commentaire <c r=\"A2\"><v>9</v></c> --><c r=\"B2\" t=\"inlineStr\">"
                         "<is><t><![CDATA[a < b & c]]></t></is></c></row>",
    "attributs_desordre": "<row r=\"3\" spans=\"1:3\"><c t=\"n\" r=\"B3\" s=\"0\"><v>4</v></c>"
                          "<c r='C3' t='b'><v>1</v></c><c r=\"D3\" t=\"e\"><v>#N/A</v></c>"
                          "<c r=\"E3\" t=\"str\"><f>A1</f><v>texte &amp; co</v></c></row>",
    "texte_riche_inline": "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><r><rPr><b/><color rgb=\"FF0000\"/>"
                          "<rFont val=\"Calibri\"/><charset val=\"1\"/></rPr><t>gras</t></r><r><t xml:space=\"preserve\">"
                          " suite</t></r><rPh sb=\"0\" eb=\"1\"><t>phonétique</t></rPh></is></c></row>",
}


@pytest.mark.parametrize("builder", [openpyxl_book, xlsxwriter_book], ids=["openpyxl", "xlsxwriter"])
def test_reader_matches_openpyxl_on_library_workbooks(builder):
    content = builder()
    assert reader_cells(content) == reference_cells(content)


@pytest.mark.parametrize("case", sorted(HAND_CASES))
def test_reader_matches_openpyxl_on_hand_written_sheets(case):
    body = HAND_CASES[case]
    content = hand_written(body, prefix="x:" if case == "prefixe" else "")
    assert reader_cells(content) == reference_cells(content)


def test_reader_matches_openpyxl_on_the_shipped_bad_workbooks():
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent / "bad_files"
    for name in ("xlsx_formula_as_text.xlsx", "xlsx_title_rows_negative.xlsx", "xlsx_empty_sheet.xlsx"):
        content = (here / name).read_bytes()
        assert reader_cells(content) == reference_cells(content), name


def test_row_and_width_limits_stop_the_stream():
    content = corpus.big_sheet_xlsx(rows=500, columns=5)
    book = xr.XlsxBook(content, WHERE)
    with pytest.raises(xr.TooLarge) as exc:
        list(book.rows(book.sheets[0], max_rows=100))
    assert exc.value.what == "rows"
    with pytest.raises(xr.TooLarge) as exc:
        list(book.rows(book.sheets[0], max_width=3))
    assert exc.value.what == "columns"


def test_filled_cells_are_counted_not_declared():
    content = corpus.big_sheet_xlsx(rows=1000, columns=8, dimension="A1:B2")
    report = xr.inspect(content, WHERE)
    part = report.sheets[corpus.SHEET]
    assert part.filled_cells == 1001 * 8
    assert (part.declared_rows, part.declared_columns) == (2, 2)


def test_bzip2_bomb_is_refused_before_inflating():
    bomb = corpus.bzip2_bomb_xlsx(inflated=300 * 1024 * 1024)
    assert len(bomb) < 10_000
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="méthode \\(bzip2\\) qu'Excel n'utilise pas"):
            xr.inspect(bomb, WHERE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_deflate_member_lying_about_its_size_is_refused_in_bounded_memory():
    bomb = corpus.deflate_bomb_xlsx(inflated=200 * 1024 * 1024, declared=4096)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="abîmé"):
            xr.inspect(bomb, WHERE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_inflated_total_is_counted_while_inflating():
    honest = corpus.deflate_bomb_xlsx(inflated=40 * 1024 * 1024, declared=None)
    with pytest.raises(DataError, match="décompressé dépasse 10 Mo"):
        xr.inspect(honest, WHERE, max_unpacked=10 * 1024 * 1024)


def test_encrypted_and_duplicated_members_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", b"<a/>")
        zf.writestr("xl/workbook.xml", b"<b/>")
    with pytest.raises(DataError, match="deux fois"):
        xr.inspect(buf.getvalue(), WHERE)
    data = bytearray(corpus.xlsx_from_parts(b"<worksheet/>"))
    pos = data.find(b"PK\x01\x02")
    data[pos + 8] |= 0x1  # general purpose flag: encrypted
    with pytest.raises(DataError, match="chiffré"):
        xr.inspect(bytes(data), WHERE)


def _one_long_row(cells: bytes) -> bytes:
    sheet = (corpus.SHEET_HEAD + b'<sheetData><row><c t="inlineStr"><is><t>Ann\xc3\xa9e</t></is></c></row><row>'
             + cells + b"</row></sheetData></worksheet>")
    return corpus.xlsx_from_parts(sheet)


def test_an_endless_row_of_empty_cells_is_refused_in_bounded_memory():
    """No filled cell, so the filled-cell limit does not see it: the row's length must."""
    content = _one_long_row(b"<c/>" * 10_000_000)  # 40 MB of XML, a few hundred KB packed
    assert len(content) < 1_000_000
    book = xr.XlsxBook(content, WHERE)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="une ligne dépasse 16 Mo de contenu"):
            list(book.rows(book.sheets[0]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024


def test_a_row_wider_than_excel_is_refused_before_its_cells_are_read():
    content = _one_long_row(b"<c/>" * (xr.EXCEL_MAX_COLUMNS + 1))
    book = xr.XlsxBook(content, WHERE)
    with pytest.raises(xr.TooLarge) as exc:
        list(book.rows(book.sheets[0]))
    assert (exc.value.what, exc.value.n) == ("columns", xr.EXCEL_MAX_COLUMNS + 1)
