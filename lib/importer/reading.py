"""Reading: bytes (CSV or XLSX) -> grid of cells -> raw table, within the limits."""


from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import pandas as pd

from lib import xlsx_reader
from lib.errors import DataError
from lib.importer import limits
from lib.importer.fields import FIELDS
from lib.importer.limits import (
    HEADER_SCAN_ROWS,
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MESSAGES,
    MAX_XLSX_UNPACKED_BYTES,
)
from lib.importer.problems import Problem, _where
from lib.importer.text import _blank, _message_text, normalize_label


@dataclass(frozen=True, eq=False)
class RawTable:
    """A file as read, before any interpretation: the header row found and the cells below it.

    ``frame`` holds the cells as found (str from CSV; str, int, float, bool or datetime from
    XLSX; None when empty), columns named by the header (made unique), index = the line number
    the user sees (text line for CSV, row number in Excel).
    """

    filename: str
    frame: pd.DataFrame
    header_line: int
    file_format: str  # "CSV" | "XLSX"
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    default_decimal: str = ","
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    candidate_header_lines: tuple[int, ...] = ()


_SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "utf-16": "UTF-16",
                   "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


def read_table(content: bytes, filename: str, kind: str = "figures", header_line: int | None = None,
               sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file into a ``RawTable``; raise ``DataError`` (French) if it cannot be read.

    ``header_line`` (1-based, as shown to the user) forces the header row; otherwise the row that
    best looks like a header for ``kind`` among the first ``HEADER_SCAN_ROWS`` is taken.
    """
    filename = _clean_filename(filename)
    if not isinstance(content, (bytes, bytearray)):
        raise DataError(f"{_where(filename)} : contenu illisible (octets attendus).")
    content = bytes(content)
    if len(content) == 0:
        raise DataError(f"{_where(filename)} : le fichier est vide. Enregistrez-le à nouveau depuis "
                        "votre tableur, ou partez du modèle téléchargeable.")
    if len(content) > MAX_BYTES:
        size = f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")
        raise DataError(
            f"{_where(filename)} : {size} Mo, au-delà de la limite de {MAX_BYTES // (1024 * 1024)} Mo. "
            "Retirez les colonnes ou les années inutiles, ou découpez le fichier.")
    fmt = _sniff_format(content, filename)
    if fmt == "XLSX":
        grid, sheet_name, sheets = _read_xlsx_grid(content, filename, sheet)
        encoding = separator = None
        default_decimal = ","
        notes = [f"Classeur Excel, feuille « {sheet_name} »"
                 + (f" (autres feuilles : {', '.join(s for s in sheets if s != sheet_name)})"
                    if len(sheets) > 1 else "")]
    else:
        text, encoding = _decode(content, filename)
        _no_table(text, filename)
        separator = _sniff_separator(text)
        grid = _read_csv_grid(text, separator, filename)
        sheet_name, sheets = None, ()
        default_decimal = "." if separator == "," else ","
        notes = [f"Texte CSV, encodage {_ENCODING_NAMES.get(encoding, encoding)}, séparateur "
                 f"{_SEPARATOR_NAMES.get(separator, repr(separator))}"]
    return _grid_to_raw(grid, filename, kind, header_line, fmt, encoding, separator, sheet_name,
                        tuple(sheets), default_decimal, notes)


def _clean_filename(filename: Any) -> str:
    name = PurePath(str(filename or "fichier")).name.replace("\x00", "")
    name = "".join(c for c in name if c.isprintable())
    return name[:120] or "fichier"


def _sniff_format(content: bytes, filename: str) -> str:
    ext = PurePath(filename).suffix.lower()
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        if b"mimetype" in content[:100] and b"opendocument" in content[:200]:
            raise DataError(f"{_where(filename)} : format OpenDocument (.ods) non pris en charge. "
                            "Enregistrez le classeur au format Excel (.xlsx) ou CSV.")
        return "XLSX"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(f"{_where(filename)} : ancien format Excel (.xls) non pris en charge. "
                        "Ouvrez-le dans votre tableur et enregistrez-le au format .xlsx ou CSV.")
    if content.startswith(b"%PDF"):
        raise DataError(f"{_where(filename)} : c'est un PDF, pas un tableau. Exportez les données au "
                        "format CSV ou .xlsx depuis l'outil d'origine.")
    if ext in (".xlsx", ".xlsm"):
        raise DataError(f"{_where(filename)} : porte l'extension {ext} mais n'est pas un classeur Excel "
                        "valide (fichier abîmé ou renommé). Enregistrez-le à nouveau depuis Excel.")
    if ext in (".xls", ".ods", ".numbers", ".pdf", ".doc", ".docx", ".zip"):
        raise DataError(f"{_where(filename)} : format {ext} non pris en charge. Enregistrez les données "
                        "au format CSV ou Excel (.xlsx).")
    if ext and ext not in TEXT_EXTENSIONS:
        raise DataError(f"{_where(filename)} : les fichiers {ext} ne sont pas acceptés. Importez un fichier CSV "
                        f"({', '.join(TEXT_EXTENSIONS)}) ou un classeur Excel .xlsx.")
    return "CSV"


#: extensions read as delimited text (a file without extension is read as text too)
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv", ".tab")


def _no_table(text: str, filename: str) -> None:
    """A text with no separator anywhere in its first lines cannot hold the two columns or more
    that every kind of file needs: say so rather than list missing columns."""
    head = text[:16384]
    if not any(sep in head for sep in (";", ",", "\t", "|")):
        raise DataError(f"{_where(filename)} : ce fichier texte ne contient pas de tableau (aucune colonne séparée "
                        "par « ; », « , » ou une tabulation). Exportez vos données en CSV depuis votre tableur, "
                        "ou partez du modèle téléchargeable.")


def _decode(content: bytes, filename: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's « texte Unicode »), else
    Windows-1252, else Latin-1.

    Why not a guesser such as charset-normalizer: on short French files it proposes code pages
    (cp1250, mac_roman…) that turn « é » into another letter without error. The files we meet
    are UTF-8 or Windows-1252 (a superset of Latin-1's printable characters), which can be told
    apart exactly: Windows-1252 bytes of accented letters are never valid UTF-8.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", content[3:], "utf-8")]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", content, "utf-16")]
    else:
        candidates = [("utf-8", content, "utf-8"), ("cp1252", content, "cp1252"), ("latin-1", content, "latin-1")]
    for label, data, codec in candidates:  # noqa: B007 - label is used after the loop
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise DataError(f"{_where(filename)} : encodage des caractères illisible. Enregistrez le fichier "
                        "en « CSV UTF-8 » depuis votre tableur.")
    if "\x00" in text or _binary_share(text) > 0.05:
        raise DataError(f"{_where(filename)} : ce fichier ne semble pas être un tableau (CSV ou .xlsx) : "
                        "il contient des caractères binaires. Exportez les données en CSV ou .xlsx.")
    return text, label


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t") or 0x80 <= ord(c) < 0xA0)
    return bad / len(sample)


def _sniff_separator(text: str) -> str:
    """The field separator among ; , tab |, detected on the first lines by clevercsv (which
    scores the regularity of rows and the types of the cells, so decimal commas in a
    semicolon file do not fool it), with a plain count as fallback."""
    sample = text[:16384]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    lines = [ln for ln in sample.splitlines() if ln.strip()][:100]
    if not lines:
        return ";"
    counts = {sep: sum(ln.count(sep) for ln in lines) for sep in (";", ",", "\t", "|")}
    present = [s for s, c in counts.items() if c]
    if len(present) == 0:
        return ";"
    if len(present) == 1:
        return present[0]
    try:
        import clevercsv

        dialect = clevercsv.Detector().detect("\n".join(lines), delimiters=[";", ",", "\t", "|"])
        if dialect is not None and dialect.delimiter in (";", ",", "\t", "|"):
            return dialect.delimiter
    except Exception:  # noqa: BLE001 - a third-party heuristic failing is not the user's problem
        pass
    return _regular_separator(lines)


def _regular_separator(lines: list[str]) -> str:
    best, best_score = ";", (-1.0, 0)
    for sep in (";", "\t", ",", "|"):
        widths = [len(row) for row in csv.reader(lines, delimiter=sep)]
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = (round(widths.count(mode) / len(lines), 1), mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv_grid(text: str, separator: str, filename: str) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    filled = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=False)
    line = 1
    try:
        for row in reader:
            if reader.line_num > line and any("\n" in c and (separator in c or '"' in c) for c in row):
                raise DataError(f"{_where(filename, line)} : un guillemet (\") ouvert sur cette ligne n'est jamais "
                                "refermé, si bien que les lignes suivantes sont lues comme une seule cellule. "
                                "Refermez le guillemet ou retirez-le.")
            if len(rows) > limits.MAX_ROWS + HEADER_SCAN_ROWS:
                raise DataError(_too_many_rows(filename))
            if len(row) > MAX_COLUMNS * 3:
                raise DataError(_too_many_columns(filename, len(row)))
            cells = [c.strip() or None for c in row]
            filled += len(cells) - cells.count(None)
            if filled > MAX_CELLS:
                raise DataError(_too_many_cells(filename, filled))
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"{_where(filename, line)} : ligne illisible ({_csv_error(exc)}). Vérifiez les "
                        "guillemets de cette ligne (un guillemet ouvert doit être refermé).") from exc
    return rows


def _csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "cellule beaucoup trop longue, sans doute un guillemet jamais refermé"
    return "structure CSV incorrecte"


def _too_many_rows(filename: str) -> str:
    return (f"{_where(filename)} : plus de {limits.MAX_ROWS:,} lignes, au-delà de la limite. Gardez les années et "
            "les territoires utiles, ou découpez le fichier.").replace(",", "\u202f", 1)


def _too_many_cells(filename: str, n: int) -> str:
    return (f"{_where(filename)} : plus de {_thousands(MAX_CELLS)} cellules remplies, au-delà de la limite. "
            "Supprimez les colonnes inutiles (gardez le code, l'année et les chiffres à importer) ou découpez "
            "le fichier.")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _too_many_columns(filename: str, n: int) -> str:
    return (f"{_where(filename)} : {n} colonnes, au-delà de la limite de {MAX_COLUMNS}. Retirez les colonnes "
            "inutiles avant d'importer.")


def _read_xlsx_grid(content: bytes, filename: str, sheet: str | None) -> tuple[list, str, list[str]]:
    """Cells of one sheet, read by ``lib.xlsx_reader`` (bounded by what the archive really
    inflates to, sheets refused by their filled-cell count before any cell is read)."""
    where = _where(filename)
    report = xlsx_reader.inspect(content, where, MAX_XLSX_UNPACKED_BYTES)
    if "xl/workbook.xml" not in report.members:
        if "mimetype" in report.members and b"opendocument" in _zip_member(content, "mimetype"):
            raise DataError(f"{where} : format OpenDocument (.ods) non pris en charge. "
                            "Enregistrez le classeur au format Excel (.xlsx) ou CSV.")
        raise DataError(f"{where} : archive zip qui n'est pas un classeur Excel .xlsx. "
                        "Enregistrez les données au format .xlsx ou CSV.")
    book = xlsx_reader.XlsxBook(content, where, report)
    sheets = list(book.sheets)
    if not sheets:
        raise DataError(f"{where} : le classeur ne contient aucune feuille.")
    if sheet is not None and sheet not in sheets:
        raise DataError(f"{where} : pas de feuille « {sheet} » (feuilles : {', '.join(sheets)}).")
    order = [sheet] if sheet is not None else sheets
    try:
        for name in order:
            book.check_size(name, limits.MAX_ROWS + HEADER_SCAN_ROWS, MAX_COLUMNS * 3, MAX_CELLS)
            grid = _xlsx_sheet_rows(book, name, filename)
            if grid:
                return grid, name, sheets
        return [], order[0], sheets
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML and the like
        raise DataError(f"{where} : feuille Excel illisible. Enregistrez le classeur à nouveau "
                        "depuis Excel, ou exportez la feuille en CSV.") from exc


def _zip_member(content: bytes, name: str, limit: int = 200) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf, zf.open(name) as fh:
            return fh.read(limit)
    except Exception:  # noqa: BLE001 - only used to word a message
        return b""


def _xlsx_sheet_rows(book: xlsx_reader.XlsxBook, sheet: str, filename: str) -> list[tuple[int, list[Any]]]:
    rows = []
    try:
        for line, values in book.rows(sheet, max_rows=limits.MAX_ROWS + HEADER_SCAN_ROWS, max_width=MAX_COLUMNS * 3,
                                      normalise=True):
            while values and values[-1] is None:
                values.pop()
            if values:
                rows.append((line, values))
    except xlsx_reader.TooLarge as exc:
        if exc.what == "rows":
            raise DataError(_too_many_rows(filename)) from None
        raise DataError(_too_many_columns(filename, exc.n)) from None
    return rows


def _grid_to_raw(grid, filename, kind, header_line, fmt, encoding, separator, sheet, sheets,
                 default_decimal, notes) -> RawTable:
    """Header found, rows below it as records. Cells are already normalised by the readers
    (a blank cell is None), so rows are tested with ``list.count`` rather than cell by cell."""
    if all(row.count(None) == len(row) for _, row in grid):
        raise DataError(f"{_where(filename)} : le fichier ne contient aucune donnée (seulement des lignes "
                        "vides). Vérifiez que vous avez choisi le bon fichier, ou la bonne feuille.")
    if header_line is not None:
        idx = next((i for i, (ln, _) in enumerate(grid) if ln == header_line), None)
        if idx is None or all(_blank(c) for c in grid[idx][1]):
            raise DataError(f"{_where(filename, header_line)} : cette ligne est vide ou n'existe pas ; "
                            "choisissez la ligne qui porte les noms des colonnes.")
        candidates = (header_line,)
    else:
        idx, candidates = _find_header(grid, kind)
    hline, header_cells = grid[idx]
    width = max(i + 1 for i, c in enumerate(header_cells) if not _blank(c))
    if width > MAX_COLUMNS:
        raise DataError(_too_many_columns(filename, width))
    columns = _unique_labels(header_cells[:width])
    problems: list[Problem] = []
    lines, records = [], []
    for ln, row in grid[idx + 1:]:
        n = len(row)
        if row.count(None) == n:
            continue
        if n > width:
            tail = row[width:]
            extra = len(tail) - tail.count(None)
            if extra:
                sep_hint = ""
                if separator == ",":
                    sep_hint = (" Un nombre écrit avec une virgule décimale dans un fichier séparé par des virgules "
                                "se coupe en deux : mettez-le entre guillemets ou enregistrez avec « ; ».")
                if len(problems) < MAX_MESSAGES:
                    problems.append(Problem(
                        f"{_where(filename, ln)} : {width + extra} valeurs ou plus pour {width} colonnes "
                        f"d'en-tête.{sep_hint} Corrigez la ligne pour qu'elle ait autant de valeurs que l'en-tête.",
                        "colonnes_en_trop", ln))
            row = row[:width]
            if row.count(None) == width:
                continue
        elif n < width:
            row = row + [None] * (width - n)
        records.append(row)
        lines.append(ln)
    if not records:
        raise DataError(f"{_where(filename)} : aucune ligne de données sous l'en-tête (ligne {hline}). "
                        "Ajoutez les données sous la ligne des noms de colonnes.")
    if len(records) > limits.MAX_ROWS:
        raise DataError(_too_many_rows(filename))
    frame = _compact_frame(pd.DataFrame(records, columns=columns, index=pd.Index(lines, name="ligne"),
                                        dtype=object))
    del records
    if idx > 0:
        notes = [*notes, f"En-têtes lus ligne {hline} (lignes de titre au-dessus ignorées)"]
    return RawTable(filename, frame, hline, fmt, encoding, separator, sheet, sheets, default_decimal,
                    tuple(problems[:MAX_MESSAGES]), tuple(notes), tuple(candidates))


def _compact_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns held compactly: numbers only -> float64 (NaN = blank), text only -> Arrow strings
    (NaN = blank), anything mixed stays Python objects. A 200 000-row file then weighs tens of Mo
    in the session instead of hundreds."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        kind = pd.api.types.infer_dtype(s, skipna=True)
        if kind in ("integer", "floating", "mixed-integer-float"):
            out[c] = s.astype(float)
        elif kind == "string":
            out[c] = s.astype("str")
        else:
            out[c] = s
    return pd.DataFrame(out, index=frame.index)


def release_memory() -> None:
    """Give the memory of a large refused or dropped file back to the system: collect cycles,
    then ask glibc to return its free pages (no-op elsewhere)."""
    import gc

    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _unique_labels(cells: list[Any]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(cells):
        label = _message_text(c, 80) if not _blank(c) else f"Colonne {i + 1}"
        if isinstance(c, (datetime, date)):
            label = str(c.year) if hasattr(c, "year") else label
        base = label
        if base in seen:
            seen[base] += 1
            label = f"{base} ({seen[base]})"
        else:
            seen[base] = 1
        out.append(label)
    return out


_NUMBERISH = re.compile(r"^[\s\u00a0\u202f+\-−]*[\d\s\u00a0\u202f.,]+[%€]?$")


def _find_header(grid, kind: str) -> tuple[int, tuple[int, ...]]:
    """Index of the row that looks most like a header: known labels first, then text cells."""
    syn = _synonym_index(kind)
    scored = []
    for i, (ln, row) in enumerate(grid[:HEADER_SCAN_ROWS]):
        cells = [c for c in row if not _blank(c)]
        if not cells:
            continue
        texts = [c for c in cells if isinstance(c, str) and not _NUMBERISH.match(c)]
        known = sum(1 for c in texts if normalize_label(c) in syn)
        if len(cells) < 2 and known == 0:
            score = 0.0
        elif len(texts) < 0.6 * len(cells):
            score = 0.0
        else:
            score = known * 10 + len(texts)
        scored.append((score, -i, i, ln))
    if not scored:
        first = next(i for i, (_, row) in enumerate(grid) if any(not _blank(c) for c in row))
        return first, (grid[first][0],)
    scored.sort(reverse=True)
    if scored[0][0] == 0:
        first = next(i for i, (_, row) in enumerate(grid) if any(not _blank(c) for c in row))
        return first, (grid[first][0],)
    return scored[0][2], tuple(s[3] for s in scored[:5] if s[0] > 0)


@functools.lru_cache(maxsize=8)
def _synonym_index(kind: str) -> frozenset[str]:
    out = set()
    for f in FIELDS.get(kind, ()):
        out.add(normalize_label(f.label))
        out.update(normalize_label(s) for s in f.synonyms)
    return frozenset(out)
