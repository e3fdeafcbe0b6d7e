"""Read the cells of an uploaded .xlsx without trusting what the file declares.

Why not openpyxl alone: an .xlsx is a zip, and Python's zipfile inflates a bzip2 or LZMA member
in one call before cutting it to the size the archive declares, so a file of a few Ko can take
gigabytes of memory (a « decompression bomb »); and openpyxl builds Python objects cell by cell
(about 10 µs each), so a 0,6 Mo workbook of 8 million cells holds a server for minutes.

What this module does instead, in order:
1. ``inspect`` walks the archive once, inflating every member in bounded chunks and counting the
   bytes *actually* produced (never the declared sizes): members compressed otherwise than Excel
   does (stored or deflate) are refused before any byte is inflated; the inflated total is capped;
   a member that inflates to another size than declared, or fails its CRC, is refused. The same
   pass reads each sheet's declared ``<dimension>`` and counts its filled cells.
2. ``XlsxBook`` then lets openpyxl read what is small and well-defined (sheet names and paths,
   shared strings, date styles, the 1900/1904 epoch) and reads a sheet's cells itself, streaming
   the XML in chunks with regular expressions (C speed), keeping only the rows it yields.
   Values are the ones openpyxl's ``read_only=True, data_only=True`` gives (tests compare both):
   numbers, text, booleans, dates for date-styled numbers, the cached result of a formula (never
   the formula), error codes such as ``#DIV/0!`` as text.

Every refusal is a ``DataError`` with a French message that starts with ``where`` (the file).
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from lib.errors import DataError

#: what the members of an .xlsx may inflate to, counted on the bytes produced
MAX_UNPACKED_BYTES = 150 * 1024 * 1024
#: what one sheet may hold (filled cells, i.e. cells with a value)
MAX_CELLS = 4_000_000
# A row's XML is buffered until its end tag: bounded, so that one endless row of empty cells
# (which the filled-cell count does not see) cannot hold the server. Generous for real rows:
# the importer reads at most 300 columns, and Excel's cells hold at most 32 767 characters.
MAX_ROW_CHARS = 16 * 1024 * 1024
EXCEL_MAX_COLUMNS = 16_384  # column XFD: no spreadsheet program writes a wider row
CHUNK = 1024 * 1024
#: compression methods Excel, LibreOffice and the usual libraries write
ALLOWED_METHODS = {zipfile.ZIP_STORED: "aucune", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}

_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref\s*=\s*[\"']([A-Za-z]{0,3})(\d*):?([A-Za-z]{0,3})(\d*)[\"']")
_VALUE_TAGS = (b"<v>", b"<v ", b"<is>", b"<is ")


def _mo(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}".replace(".", ",")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class SheetPart:
    """What the archive says and holds for one worksheet member."""

    path: str
    declared_rows: int | None = None
    declared_columns: int | None = None
    filled_cells: int = 0


@dataclass(frozen=True)
class ArchiveReport:
    members: tuple[str, ...]
    unpacked_bytes: int
    sheets: dict[str, SheetPart] = field(default_factory=dict)


def inspect(content: bytes, where: str, max_unpacked: int = MAX_UNPACKED_BYTES) -> ArchiveReport:
    """Check the archive as described in the module docstring; raise ``DataError`` otherwise."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise DataError(f"{where} : classeur Excel abîmé (archive illisible). Enregistrez-le à nouveau depuis "
                        "Excel, au format .xlsx.") from exc
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise DataError(f"{where} : archive incohérente (un même élément y figure deux fois). Enregistrez le "
                            "classeur à nouveau depuis Excel.")
        for info in infos:
            if info.flag_bits & 0x1:
                raise DataError(f"{where} : classeur chiffré ou protégé par mot de passe. Enregistrez-le sans mot "
                                "de passe, ou exportez la feuille en CSV.")
            if info.compress_type not in ALLOWED_METHODS:
                method = _METHOD_NAMES.get(info.compress_type, f"n° {info.compress_type}")
                raise DataError(f"{where} : archive compressée avec une méthode ({method}) qu'Excel n'utilise pas ; "
                                "le fichier n'est pas lu. Ouvrez-le dans votre tableur et enregistrez-le à nouveau "
                                "au format .xlsx.")
        declared = sum(i.file_size for i in infos)
        if declared > max_unpacked:
            raise _too_big(where, max_unpacked)
        total = 0
        sheets: dict[str, SheetPart] = {}
        for info in infos:
            is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            produced, part = _inflate_counting(zf, info, where, max_unpacked - total, is_sheet)
            total += produced
            if produced != info.file_size:
                raise DataError(f"{where} : classeur Excel abîmé (un élément n'a pas la taille annoncée). "
                                "Enregistrez-le à nouveau depuis Excel.")
            if part is not None:
                sheets[info.filename] = part
    return ArchiveReport(tuple(names), total, sheets)


def _too_big(where: str, limit: int) -> DataError:
    return DataError(f"{where} : le classeur décompressé dépasse {_mo(limit)} Mo. Gardez seulement la feuille "
                     "utile, ou exportez-la en CSV.")


def _inflate_counting(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: int,
                      is_sheet: bool) -> tuple[int, SheetPart | None]:
    """Inflate one member in chunks; count what comes out, stop past ``budget``."""
    produced = 0
    filled = 0
    head = b""
    tail = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                produced += len(chunk)
                if produced > budget:
                    raise _too_big(where, MAX_UNPACKED_BYTES)
                if is_sheet:
                    if len(head) < 4096:
                        head += chunk[: 4096 - len(head)]
                    window = tail + chunk
                    filled += sum(window.count(tag) for tag in _VALUE_TAGS) - sum(tail.count(tag) for tag in _VALUE_TAGS)
                    tail = chunk[-8:]
    except DataError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise DataError(f"{where} : classeur Excel abîmé (contrôle d'intégrité de l'archive en échec). "
                        "Enregistrez-le à nouveau depuis Excel.") from exc
    if not is_sheet:
        return produced, None
    if b":v>" in head or b":is>" in head or re.search(rb"<\w+:worksheet", head):
        filled = _count_prefixed(zf, info)
    rows = cols = None
    m = _DIMENSION.search(head)
    if m and m.group(4):
        c0, r0, c1, r1 = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4) or m.group(2)
        try:
            rows = int(r1) - int(r0 or 1) + 1
            cols = _column_index(c1.decode()) - _column_index((c0 or b"A").decode()) + 1
        except ValueError:
            rows = cols = None
    return produced, SheetPart(info.filename, rows, cols, filled)


def _count_prefixed(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Filled cells of a sheet written with a namespace prefix (``<x:c><x:v>``): rare, counted apart."""
    pattern = re.compile(rb"<(?:[\w.-]+:)?(?:v|is)[\s>]")
    count, tail = 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            window = tail + chunk
            count += len(pattern.findall(window)) - len(pattern.findall(tail))
            tail = chunk[-16:]
    return count


def _column_index(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27 (0 for an empty reference)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(letters)
        n = n * 26 + ord(ch) - 64
    return n


# ---------------------------------------------------------------------------------------------
# Reading cells

_CELL = re.compile(r"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c\s*>)", re.S)
_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_V = re.compile(r"<(?:[\w.-]+:)?v(?:\s[^>]*)?>(.*?)</(?:[\w.-]+:)?v\s*>|<(?:[\w.-]+:)?v(?:\s[^>]*)?/>", re.S)
_IS = re.compile(r"<(?:[\w.-]+:)?is\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?is\s*>)", re.S)
_RPH = re.compile(r"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh\s*>", re.S)
_T = re.compile(r"<(?:[\w.-]+:)?t\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?t\s*>)", re.S)
#: the usual layout of a cell: r, s, t in that order, perhaps a formula, perhaps a value
_FAST_CELL = re.compile(r'<c(?: r="([A-Z]{1,3})\d+")?(?: s="(\d+)")?(?: t="(\w+)")?'
                        r'(?:/>|>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>)?</c>)')
_COLUMNS = {}
for _i in range(16384):
    _n, _letters = _i + 1, ""
    while _n:
        _n, _r = divmod(_n - 1, 26)
        _letters = chr(65 + _r) + _letters
    _COLUMNS[_letters] = _i + 1
del _i, _n, _r, _letters
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SHEET_DATA = re.compile(r"<(?:([\w.-]+):)?sheetData\b[^>]*?(/?)>")


def _text(raw: str | None) -> str:
    if not raw:
        return ""
    if "<![CDATA[" in raw:
        parts, last = [], 0
        for m in _CDATA.finditer(raw):
            parts.append(html.unescape(raw[last:m.start()]))
            parts.append(m.group(1))
            last = m.end()
        parts.append(html.unescape(raw[last:]))
        return "".join(parts)
    return html.unescape(raw) if "&" in raw else raw


def _attrs(text: str) -> dict[str, str]:
    out = {}
    for name, dq, sq in _ATTR.findall(text):
        out[name.rsplit(":", 1)[-1] if name.count(":") == 1 and not name.startswith("xml") else name] = \
            dq if dq or not sq else sq
    return out


def _number(text: str) -> int | float:
    text = text.strip()
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class XlsxBook:
    """A workbook checked by ``inspect``: sheet names, and the cells of one sheet row by row."""

    def __init__(self, content: bytes, where: str, report: ArchiveReport | None = None):
        self.where = where
        self.report = report or inspect(content, where)
        self._content = content
        try:
            import openpyxl

            # read_only: sheets are not parsed here; data_only: a formula's stored value, never the formula
            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        except DataError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the third-party parser = unreadable file
            raise DataError(f"{where} : classeur Excel illisible. Enregistrez-le à nouveau depuis Excel au format "
                            ".xlsx, ou exportez la feuille en CSV.") from exc
        try:
            self.sheets = tuple(str(s) for s in wb.sheetnames)
            self._paths: dict[str, str | None] = {}
            shared: list = []
            for name in self.sheets:
                ws = wb[name]
                path = getattr(ws, "_worksheet_path", None)
                self._paths[name] = path.lstrip("/") if isinstance(path, str) else None
                shared = getattr(ws, "_shared_strings", None) or shared
            self._shared = shared
            self._shared_normalised = [str(v).strip() or None for v in shared]
            self._date_styles = frozenset(getattr(wb, "_date_formats", ()) or ())
            self._date_style_texts = frozenset(str(i) for i in self._date_styles)
            self._timedelta_styles = frozenset(getattr(wb, "_timedelta_formats", ()) or ())
            self._epoch = wb.epoch
        finally:
            try:
                wb.close()
            except Exception:  # noqa: BLE001
                pass

    def part(self, sheet: str) -> SheetPart | None:
        path = self._paths.get(sheet)
        return self.report.sheets.get(path) if path else None

    def check_size(self, sheet: str, max_rows: int, max_columns: int, max_cells: int = MAX_CELLS) -> None:
        """Refuse a sheet too large before reading a single cell (its filled cells are counted,
        its declared dimension is only used to word the message)."""
        part = self.part(sheet)
        if part is None:
            return
        if part.filled_cells > max_cells:
            shape = ""
            if part.declared_rows and part.declared_columns:
                shape = (f" ({_thousands(part.declared_rows)} lignes × {_thousands(part.declared_columns)} "
                         "colonnes)")
            raise DataError(
                f"{self.where} : la feuille « {sheet} » compte {_thousands(part.filled_cells)} cellules remplies"
                f"{shape}, au-delà de la limite de {_thousands(max_cells)}. Supprimez les colonnes inutiles "
                "(gardez le code, l'année et les chiffres à importer) ou découpez le fichier.")

    def rows(self, sheet: str, max_rows: int | None = None, max_width: int | None = None,
             normalise: bool = False) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, values from column A, None where blank) for each row that holds a
        cell. ``max_rows`` / ``max_width`` raise ``TooLarge`` as soon as passed. ``normalise``:
        text stripped (blank text -> None), values of other types than number, text, boolean and
        date or time as text, which is what the importer reads."""
        path = self._paths.get(sheet)
        if path is None:
            raise DataError(f"{self.where} : feuille « {sheet} » introuvable dans le classeur.")
        with zipfile.ZipFile(io.BytesIO(self._content)) as zf, zf.open(path) as fh:
            row_counter = 0
            count = 0
            for prefix, body in self._row_blocks(fh, sheet):
                for skipped, attrs, cells in _row_pieces(body, prefix):
                    if attrs.endswith("/"):
                        row_counter += skipped + 1
                        continue
                    r = _attr_value(attrs, "r")
                    row_counter = int(r) if r and r.isdigit() else row_counter + skipped + 1
                    values = self._row_values(cells, max_width, prefix, normalise)
                    if not values:
                        continue
                    count += 1
                    if max_rows is not None and count > max_rows:
                        raise TooLarge("rows", count)
                    yield row_counter, values

    def _row_blocks(self, fh: IO[bytes], sheet: str) -> Iterator[tuple[str, str]]:
        """(namespace prefix, text of whole rows) for the sheet's ``<sheetData>``, read a chunk at a
        time, so that memory holds one chunk and at most one unfinished row (``MAX_ROW_CHARS``)
        however large the sheet. Comments are dropped and CDATA escaped, so that neither can hide
        or fake a row tag."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        buffer = ""
        in_data = False
        done = False
        prefix = ""
        while not done:
            chunk = fh.read(CHUNK)
            buffer += self._decoded(decoder, chunk, sheet)
            if not in_data:
                start = _SHEET_DATA.search(buffer)
                if start is None:
                    if not chunk:
                        return
                    buffer = buffer[-512:]
                    continue
                if start.group(2) == "/":
                    return
                prefix = f"{start.group(1)}:" if start.group(1) else ""
                buffer = buffer[start.end():]
                in_data = True
            body, buffer, done = self._whole_rows(buffer, prefix, bool(chunk), sheet)
            if body is None:
                continue
            if "<!--" in body:
                body = _COMMENT.sub("", body)
            if "<![CDATA[" in body:
                body = _CDATA.sub(lambda m: html.escape(m.group(1), quote=False), body)
            yield prefix, body

    def _decoded(self, decoder: codecs.IncrementalDecoder, chunk: bytes, sheet: str) -> str:
        """The chunk as text (an empty chunk ends the stream): a sheet that is not UTF-8 is
        refused in French rather than read as garbage."""
        try:
            return decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise DataError(f"{self.where} : feuille « {sheet} » illisible (caractères mal codés). "
                            "Enregistrez le classeur à nouveau depuis Excel.") from exc

    def _whole_rows(self, buffer: str, prefix: str, more: bool, sheet: str) -> tuple[str | None, str, bool]:
        """(rows to parse now or None, what stays buffered, whether the sheet data ended): cut
        after the last complete row, and refuse a row whose text passes ``MAX_ROW_CHARS`` before
        it ends (an endless row of empty cells, which the filled-cell count does not see)."""
        end = buffer.find(f"</{prefix}sheetData")
        if end != -1:
            return buffer[:end], "", True
        if not more:
            return buffer, "", True
        row_close = f"</{prefix}row>"
        cut = buffer.rfind(row_close)
        if cut == -1:
            if len(buffer) > MAX_ROW_CHARS:
                raise DataError(
                    f"{self.where} : feuille « {sheet} » : une ligne dépasse "
                    f"{MAX_ROW_CHARS // (1024 * 1024)} Mo de contenu (des millions de cellules, "
                    "vides ou non) ; ce n'est pas un tableau que l'import peut lire. Copiez le "
                    "tableau seul dans un nouveau classeur, ou exportez-le en CSV.")
            return None, buffer, False
        cut += len(row_close)
        return buffer[:cut], buffer[cut:], False

    def _row_values(self, body: str, max_width: int | None, prefix: str = "", normalise: bool = False
                    ) -> list[Any]:
        tags = body.count(f"<{prefix}c")  # cells, filled or empty (also counts <col…>, absent from rows)
        if tags > EXCEL_MAX_COLUMNS:
            raise TooLarge("columns", tags)
        if not prefix:
            cells = _FAST_CELL.findall(body)
            if len(cells) == body.count("<c"):
                return self._fast_row_values(cells, max_width, normalise)
        values = self._general_row_values(body, max_width)
        if normalise:
            values = [_normalised(v) for v in values]
            while values and values[-1] is None:
                values.pop()
        return values

    def _fast_row_values(self, cells: list[tuple[str, str, str, str]], max_width: int | None,
                         normalise: bool) -> list[Any]:
        """Cells as Excel, LibreOffice and the usual libraries write them (``r``, ``s``, ``t`` in
        that order, a value and perhaps a formula): one regular expression, no per-cell parsing."""
        values: list[Any] = []
        shared = self._shared_normalised if normalise else self._shared
        dates = self._date_style_texts
        col = 0
        for letters, style, kind, raw in cells:
            col = (_COLUMNS.get(letters) or _column_index(letters)) if letters else col + 1
            if not raw:
                continue
            if max_width is not None and col > max_width:
                raise TooLarge("columns", col)
            if kind == "" or kind == "n":
                if "&" in raw:
                    raw = _text(raw)
                try:
                    value: Any = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                except ValueError:
                    value = raw
                else:
                    if style and style in dates:
                        value = self._date(value, style)
                        if normalise:
                            value = _normalised(value)
            elif kind == "s":
                try:
                    value = shared[int(raw)]
                    if value is None:
                        continue
                except (ValueError, IndexError):
                    raise DataError(f"{self.where} : classeur Excel abîmé (texte partagé n° {raw[:12]} absent). "
                                    "Enregistrez-le à nouveau depuis Excel.") from None
            else:
                value = self._cell_value(f' t="{kind}"' + (f' s="{style}"' if style else ""), f"<v>{raw}</v>")
                if normalise:
                    value = _normalised(value)
                if value is None:
                    continue
            n = len(values)
            if col > n:
                if col == n + 1:
                    values.append(value)
                    continue
                values.extend([None] * (col - n))
            values[col - 1] = value
        return values

    def _date(self, value: int | float, style: str) -> Any:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value, self._epoch, timedelta=int(style) in self._timedelta_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"

    def _general_row_values(self, body: str, max_width: int | None) -> list[Any]:
        values: list[Any] = []
        col = 0
        for attrs, inner in _CELL.findall(body):
            ref = _attr_value(attrs, "r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = _column_index(letters) if letters else col + 1
            else:
                col += 1
            value = self._cell_value(attrs, inner)
            if value is None:
                continue
            if max_width is not None and col > max_width:
                raise TooLarge("columns", col)
            if col > len(values):
                values.extend([None] * (col - len(values)))
            values[col - 1] = value
        return values

    def _cell_value(self, attrs: str, inner: str) -> Any:
        if not inner:
            return None
        kind = _attr_value(attrs, "t") or "n"
        if kind == "inlineStr":
            m = _IS.search(inner)
            if m is None:
                return None
            content = m.group(1) or ""
            if "rPh" in content:
                content = _RPH.sub("", content)
            return "".join(_text(t) for t in _T.findall(content))
        if inner.startswith("<v>") and inner.endswith("</v>") and "<" not in inner[3:-4]:
            raw = inner[3:-4]
        else:
            m = _V.search(inner)
            if m is None:
                return None
            raw = m.group(1)
        if raw is None:
            return None
        raw = _text(raw)
        if raw == "":
            return None  # openpyxl: ``findtext(v) or None``
        if kind == "n":
            try:
                value = _number(raw)
            except ValueError:
                return raw
            style = _attr_value(attrs, "s")
            if style and style in self._date_style_texts:
                return self._date(value, style)
            return value
        if kind == "s":
            try:
                return self._shared[int(raw)]
            except (ValueError, IndexError):
                raise DataError(f"{self.where} : classeur Excel abîmé (texte partagé n° {raw[:12]} absent). "
                                "Enregistrez-le à nouveau depuis Excel.") from None
        if kind == "b":
            try:
                return bool(int(raw))
            except ValueError:
                return raw
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return from_ISO8601(raw)
            except (ValueError, TypeError):
                return raw
        return raw  # "str" (a formula's text result), "e" (an error such as #DIV/0!)


def _normalised(value: Any) -> Any:
    if value is None or type(value) in (int, float, bool, dt.datetime, dt.date):
        return value
    if isinstance(value, str):
        return value.strip() or None
    return str(value)


def _row_pieces(body: str, prefix: str) -> Iterator[tuple[int, str, str]]:
    """(empty rows written ``<row/>`` just before, the row tag's attributes, the row's cells) for
    each row of a block of whole rows; tags that merely start with "row" are not rows."""
    row_open, row_close = f"<{prefix}row", f"</{prefix}row>"
    for piece in body.split(row_close):
        i = piece.rfind(row_open)
        if i == -1:
            continue
        j = piece.find(">", i)
        if j == -1:
            continue
        attrs = piece[i + len(row_open): j]
        if attrs[:1] not in ("", " ", "\t", "\n", "\r", "/"):
            continue  # another tag that starts with "row"
        skipped = piece.count(row_open, 0, i)  # empty rows written <row .../>
        yield skipped, attrs, piece[j + 1:]


class TooLarge(DataError):
    """Raised by ``XlsxBook.rows`` past a limit; the importer words a fuller message from
    ``what`` (``"rows"`` or ``"columns"``) and ``n``."""

    def __init__(self, what: str, n: int):
        label = "lignes" if what == "rows" else "colonnes"
        super().__init__(f"Feuille Excel trop grande : {n} {label}, au-delà de la limite.")
        self.what = what
        self.n = n


def _attr_value(attrs: str, name: str) -> str | None:
    """The value of attribute ``name`` in a start tag's attribute text (fast path, then regex)."""
    key = f' {name}="'
    i = attrs.find(key)
    if i != -1:
        j = attrs.find('"', i + len(key))
        return attrs[i + len(key): j] if j != -1 else None
    if name + "=" not in attrs and name + " " not in attrs and name + "\t" not in attrs:
        return None
    return _attrs(attrs).get(name)
