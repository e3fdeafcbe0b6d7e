"""Files written for users (CSV and XLSX for French Excel), one way for the whole app.

CSV: ';' separator, decimal comma, UTF-8 with BOM, so that a double click opens it right in a
French Excel. Every text cell that a spreadsheet would read as a formula is neutralised with a
leading apostrophe (OWASP "CSV injection"): names, sources and notes can come from users' files.
XLSX: xlsxwriter with strings_to_formulas off, so text stays text.
Numbers are rounded to what the figure means before they are written (``round_columns``):
dwellings and ranks as whole numbers, euros to the euro, rates to a tenth of a point; a file
never shows 16-digit decimals that the figure does not have.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd

_INJECTION_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe;
    numbers are left alone."""
    if isinstance(value, str) and value.startswith(_INJECTION_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def round_columns(frame: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """A copy with each named numeric column rounded to its number of decimals; 0 decimals gives
    whole numbers (nullable integers, so a missing value stays an empty cell, never 0)."""
    out = frame.copy()
    for col, d in decimals.items():
        if col not in out.columns or not pd.api.types.is_numeric_dtype(out[col]):
            continue
        values = pd.to_numeric(out[col], errors="coerce").astype(float).round(d)
        out[col] = values.astype("Int64") if d == 0 else values
    return out


def to_csv_bytes(frame: pd.DataFrame, float_format: str | None = None) -> bytes:
    """CSV for French Excel: ';', decimal comma, UTF-8 with BOM, formulas neutralised."""
    return neutralise_frame(frame).to_csv(sep=";", decimal=",", index=False,
                                          float_format=float_format).encode("utf-8-sig")


def to_xlsx_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], sheet: str = "donnees") -> bytes:
    """XLSX with one sheet per frame (a single frame goes in ``sheet``); text stays text."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {sheet: sheets}
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        for name, frame in sheets.items():
            neutralise_frame(frame).to_excel(xw, sheet_name=str(name)[:31], index=False)
    return buf.getvalue()
