"""Hostile and oversized files, generated at test time (never committed: some inflate to 1 Go).

Used by the robustness tests and by ``bench/bench_import.py``. Every builder returns the bytes of
the file as a user (or an attacker) would upload them.
"""

from __future__ import annotations

import bz2
import io
import struct
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
SHEET = "xl/worksheets/sheet1.xml"


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _text_cell(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(header: list[str], rows: int, cells: list[str], dimension: str | None = "auto") -> bytes:
    """A worksheet: one header row of text, then ``rows`` identical rows of ``cells`` (values).
    Cells carry no reference, as some exporters write them; ``dimension`` "auto" states the true
    size, None leaves it out, any other text is written as is (a sheet may lie about its size)."""
    width = max(len(header), len(cells))
    if dimension == "auto":
        dimension = f"A1:{column_letters(width - 1)}{rows + 1}"
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = "<row>" + "".join(_text_cell(h) for h in header) + "</row>"
    row = "<row>" + "".join(f"<c><v>{v}</v></c>" if v.replace(".", "").isdigit() else _text_cell(v)
                            for v in cells) + "</row>"
    return SHEET_HEAD + f"{dim}<sheetData>{head}".encode() + row.encode() * rows + b"</sheetData></worksheet>"


def xlsx_from_parts(sheet: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr(SHEET, sheet, compress_type=method)
    return buf.getvalue()


def big_sheet_xlsx(rows: int = 199_990, columns: int = 40, dimension: str | None = "auto") -> bytes:
    """The probe's file: inside every stated limit (0,6 Mo, < 200 000 rows, < 100 columns) but
    ``rows`` × ``columns`` numeric cells, some 120 Mio of XML once unpacked."""
    header = ["Code région", "Année", "Nombre de logements financés",
              *(f"Colonne {i + 1}" for i in range(3, columns))]
    cells = ["11", "2014", *(str(i + 1) for i in range(2, columns))]
    return xlsx_from_parts(sheet_xml(header, rows, cells, dimension))


def _bzip2_bomb_stream(inflated: int) -> bytes:
    """bzip2 of ``inflated`` bytes of one repeated character: a few hundred bytes per Go."""
    comp = bz2.BZ2Compressor(9)
    chunk = b"0" * (16 * 1024 * 1024)
    out = [comp.compress(SHEET_HEAD + b"<sheetData><row><c><v>")]
    left = inflated
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        out.append(comp.compress(piece))
        left -= len(piece)
    out.append(comp.flush())
    return b"".join(out)


def lie_about_size(content: bytes, member: str, declared: int) -> bytes:
    """Rewrite the sizes a zip declares for ``member`` (local header and central directory)."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        info = zf.getinfo(member)
    # local file header: uncompressed size at offset 22
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    # central directory entry: signature PK\x01\x02, uncompressed size at offset 24
    name = member.encode()
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46: pos + 46 + n_len]) == name:
            struct.pack_into("<I", data, pos + 24, declared)
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def bzip2_bomb_xlsx(inflated: int = 1100 * 1024 * 1024, declared: int = 4096) -> bytes:
    """The probe's bomb: a workbook of a few Ko whose sheet, compressed with bzip2 (allowed by the
    zip format, never written by Excel), declares ``declared`` bytes but inflates to ``inflated``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr(SHEET, b"", compress_type=zipfile.ZIP_BZIP2)
    # replace the empty member by the bomb stream, keeping the archive consistent
    stream = _bzip2_bomb_stream(inflated)
    return _replace_member(buf.getvalue(), SHEET, stream, declared)


def deflate_bomb_xlsx(inflated: int = 400 * 1024 * 1024, declared: int | None = 4096) -> bytes:
    """A workbook whose sheet is a deflate bomb (~1 000 : 1); with ``declared`` it lies about its
    size, with None it tells the truth (and the declared total is over the limit)."""
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"0" * (16 * 1024 * 1024)
    parts = [comp.compress(SHEET_HEAD)]
    left = inflated
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        parts.append(comp.compress(piece))
        left -= len(piece)
    parts.append(comp.flush())
    stream = b"".join(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr(SHEET, b"")
    true_size = len(SHEET_HEAD) + inflated
    return _replace_member(buf.getvalue(), SHEET, stream, declared if declared is not None else true_size)


def _replace_member(content: bytes, member: str, stream: bytes, declared: int) -> bytes:
    """Swap the compressed bytes of the last member ``member`` for ``stream`` and fix the offsets.
    The CRC is left as written for the empty member: a reader that checks it rejects the file
    only after inflating it, which is exactly the case a bomb exploits."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        info = zf.getinfo(member)
        infos = zf.infolist()
    assert infos[-1].filename == member, "the replaced member must be the last one"
    data = bytearray(content)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    old_end = start + info.compress_size
    new = data[:start] + stream + data[old_end:]
    shift = len(stream) - info.compress_size
    struct.pack_into("<I", new, info.header_offset + 18, len(stream))
    struct.pack_into("<I", new, info.header_offset + 22, declared)
    cd = new.find(b"PK\x01\x02", start + len(stream))
    pos = cd
    while pos != -1:
        n_len = struct.unpack_from("<H", new, pos + 28)[0]
        if bytes(new[pos + 46: pos + 46 + n_len]) == member.encode():
            struct.pack_into("<I", new, pos + 20, len(stream))
            struct.pack_into("<I", new, pos + 24, declared)
        pos = new.find(b"PK\x01\x02", pos + 4)
    eocd = new.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", new, eocd + 16)[0]
    struct.pack_into("<I", new, eocd + 16, cd_offset + shift)
    return bytes(new)
