"""French number formats for every figure the UI shows (1 234 567 ; 12,5 % ; 3 300 €).

Babel holds the CLDR rules for fr_FR, so we do not hand-roll separators. A missing value is
never formatted as 0: it reads "n.d." (non disponible).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "fr_FR"
MISSING = "n.d."
_LOCALE = Locale.parse(LOCALE)  # parsed once: babel's format_decimal parses locale and pattern per call


@lru_cache(maxsize=16)
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def is_missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def fmt_num(x: Any, decimals: int = 0) -> str:
    """1234567 -> '1 234 567'; 12.345, 1 -> '12,3'."""
    if is_missing(x):
        return MISSING
    return _pattern(decimals).apply(float(x), _LOCALE)  # what format_decimal does, minus the parsing


def fmt_int(x: Any) -> str:
    return fmt_num(x, 0)


def fmt_count(n: int, word: str) -> str:
    """12345, 'ligne' -> '12 345 lignes'; 1 -> '1 ligne' (French: plural from 2)."""
    return f"{fmt_int(n)} {word}{'s' if abs(n) >= 2 else ''}"


def fmt_pct(ratio: Any, decimals: int = 1) -> str:
    """A ratio (0.125) as '12,5 %'."""
    if is_missing(ratio):
        return MISSING
    return f"{fmt_num(float(ratio) * 100, decimals)}\u00a0%"


def fmt_rate(ratio: Any, estimated: bool = False) -> str:
    """A share of an objective as every sentence says it, in whole percent: '88 %', or
    'environ 88 %' when a figure in it is estimated (a decimal would claim a precision the
    estimate does not have). The region page and the presentation use it for the same figure."""
    if is_missing(ratio):
        return MISSING
    return ("environ " if estimated else "") + fmt_pct(ratio, 0)


def fmt_eur(x: Any, decimals: int = 0) -> str:
    """3300 -> '3 300 €'."""
    if is_missing(x):
        return MISSING
    return f"{fmt_num(x, decimals)}\u00a0€"


def fmt_meur(x: Any, decimals: int = 1) -> str:
    """An amount in euros shown in millions: 280e6 -> '280,0 M€'."""
    if is_missing(x):
        return MISSING
    return f"{fmt_num(float(x) / 1e6, decimals)}\u00a0M€"


def fmt_signed(x: Any, decimals: int = 0, unit: str = "") -> str:
    """A difference with its sign: -1234 -> '−1 234', 56 -> '+56'."""
    if is_missing(x):
        return MISSING
    sign = "+" if float(x) > 0 else ("−" if float(x) < 0 else "")
    body = fmt_num(abs(float(x)), decimals)
    return f"{sign}{body}" + (f"\u00a0{unit}" if unit else "")


def fmt_ordinal(n: Any, feminine: bool = False) -> str:
    """A French ordinal in abbreviated form: 1er / 1re, 2e, 3e … (n.d. when missing)."""
    if is_missing(n):
        return MISSING
    k = int(n)
    if k == 1:
        return "1re" if feminine else "1er"
    return f"{k}e"


def fmt_date(day: dt.date) -> str:
    """A date in words, French style: '1er décembre 2026', '15 janvier 2014'."""
    text = format_date(day, format="d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def fmt_month(day: dt.date) -> str:
    """A month in words: 'janvier 2014'."""
    return format_date(day, format="MMMM y", locale=LOCALE)
