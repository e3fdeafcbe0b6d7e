"""Cell parsers, vectorised over a column (None = blank, NaN = unreadable)."""


from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from lib.importer.text import _blank, _is_number_value, normalize_label

#: spaces between thousands: plain, NBSP U+00A0, narrow NBSP U+202F, thin and figure spaces, apostrophe
#: (real characters, not \u escapes, so that Arrow's regex engine runs it)
_NUM_SPACES = re.compile("[\\s\u00a0\u202f\u2009\u2007\u2008\u200a']")
_NUM_UNITS = re.compile(r"(€|eur|euros?|logements?|lgts?)$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?\d*,\d+")
_DOT_DECIMAL = re.compile(r"[+-]?\d*\.\d+")


def _clean_number_text(value: str) -> str:
    text = _NUM_SPACES.sub("", value).replace("\u2212", "-").replace("\u2013", "-")
    return _NUM_UNITS.sub("", text)


def decimal_separator(texts: Sequence[str], default: str = ",") -> str:
    """The decimal mark used in a column: ',' if some value can only be read with a decimal
    comma (1,5 or 1.234,5), '.' if some value can only be read with a decimal point, else the
    file's default (',' for a ';'-separated file or a workbook, '.' for a ','-separated file)."""
    t = pd.Series(list(texts), dtype="str")
    if t.empty:
        return default
    has_c, has_d = t.str.contains(",", regex=False), t.str.contains(".", regex=False)
    both = has_c & has_d
    comma_last = t.str.rfind(",") > t.str.rfind(".")
    comma = (both & comma_last) | (~both & _fullmatch(t, _COMMA_DECIMAL) & ~_fullmatch(t, _THOUSANDS_COMMA))
    dot = (both & ~comma_last) | (~both & _fullmatch(t, _DOT_DECIMAL) & ~_fullmatch(t, _THOUSANDS_DOT))
    if comma.any() and not dot.any():
        return ","
    if dot.any() and not comma.any():
        return "."
    return default


def _fullmatch(t: pd.Series, pattern: re.Pattern) -> pd.Series:
    return t.str.fullmatch(pattern.pattern).fillna(False).astype(bool)


def _numbers_from_texts(texts: pd.Series, decimal: str) -> pd.Series:
    """Vectorised ``_number_from_text`` over cleaned texts."""
    t = texts
    if decimal == ",":
        bad = t.str.contains(".", regex=False) & ~_fullmatch(t, _THOUSANDS_DOT)
        t = t.str.replace(".", "", regex=False)
        bad |= t.str.count(",") > 1
        t = t.str.replace(",", ".", regex=False)
    else:
        bad = t.str.contains(",", regex=False) & ~_fullmatch(t, _THOUSANDS_COMMA)
        t = t.str.replace(",", "", regex=False)
    ok = ~bad & _fullmatch(t, _PLAIN_NUMBER)
    values = pd.to_numeric(t.where(ok), errors="coerce").astype(float)
    return values.where(np.isfinite(values))


def _number_from_text(text: str, decimal: str) -> float:
    return float(_numbers_from_texts(pd.Series([_clean_number_text(text)], dtype="str"), decimal).iloc[0])


def _objects(values: pd.Series) -> list:
    """A column's cells as Python objects, None where blank (fast for Arrow and float columns)."""
    if values.dtype == object:
        return values.tolist()
    return values.to_numpy(dtype=object, na_value=None).tolist()


def parse_numbers(values: pd.Series, default_decimal: str = ",") -> pd.Series:
    """Numbers as floats: NaN where blank or unreadable (tell them apart with ``_blank``)."""
    if pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
        out_f = values.astype(float)
        return out_f.where(np.isfinite(out_f))
    vals = _objects(values)
    out = np.full(len(vals), np.nan)
    pos: list[int] = []
    texts: list[str] = []
    for i, v in enumerate(vals):
        if isinstance(v, str):
            if v.strip():
                pos.append(i)
                texts.append(v)
        elif _is_number_value(v):
            f = float(v)
            out[i] = f if np.isfinite(f) else np.nan
    if texts:
        t = pd.Series(texts, dtype="str")  # Arrow-backed strings: the regexes below run in C++
        t = t.str.replace(_NUM_SPACES.pattern, "", regex=True).str.replace("\u2212", "-", regex=False)
        t = t.str.replace("\u2013", "-", regex=False).str.replace("(?i)" + _NUM_UNITS.pattern, "", regex=True)
        decimal = decimal_separator(t.drop_duplicates().tolist(), default_decimal)
        out[pos] = _numbers_from_texts(t, decimal).to_numpy()
    return pd.Series(out, index=values.index, dtype=float)


def _memo_map(values: pd.Series, fn) -> list:
    """``fn`` applied once per distinct cell (files repeat codes, years and flags a lot)."""
    cache: dict = {}
    out = []
    for v in _objects(values):
        if _blank(v):
            out.append(fn(None))
            continue
        key = (type(v), v)
        if key not in cache:
            cache[key] = fn(v)
        out.append(cache[key])
    return out


def parse_years(values: pd.Series) -> pd.Series:
    """Years as floats (NaN where blank or unreadable): 2014, 2014.0, '2014', a date's year."""
    def one(v: Any) -> float:
        if _blank(v):
            return np.nan
        if isinstance(v, (datetime, date)):
            return float(v.year)
        if _is_number_value(v):
            f = float(v)
            return f if np.isfinite(f) and f.is_integer() else np.nan
        if isinstance(v, str):
            t = v.strip()
            if re.fullmatch(r"\d{4}(\.0+)?", t):
                return float(t.split(".")[0])
        return np.nan
    return pd.Series(_memo_map(values, one), index=values.index, dtype=float)


_TRUE = {"oui", "o", "1", "vrai", "true", "x", "yes", "y", "exonere", "exoneree"}
_FALSE = {"non", "n", "0", "faux", "false", "no", ""}


def parse_bools(values: pd.Series) -> pd.Series:
    """oui/non, vrai/faux, 1/0, x/blank -> True/False; anything else -> None."""
    def one(v: Any) -> Any:
        if _blank(v):
            return False
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if _is_number_value(v):
            return {1.0: True, 0.0: False}.get(float(v))
        t = normalize_label(v)
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        return None
    return pd.Series(_memo_map(values, one), index=values.index, dtype=object)
