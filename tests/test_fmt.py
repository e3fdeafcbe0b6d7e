import math

import pytest

from lib import fmt

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("fn, arg, expected", [
    (fmt.fmt_int, 1234567, f"1{NNBSP}234{NNBSP}567"),
    (fmt.fmt_int, 117065.4, f"117{NNBSP}065"),
    (fmt.fmt_num, (12.345, 1), "12,3"),
    (fmt.fmt_pct, 0.125, f"12,5{NBSP}%"),
    (fmt.fmt_eur, 3300, f"3{NNBSP}300{NBSP}€"),
    (fmt.fmt_meur, 281.44e6, f"281,4{NBSP}M€"),
    (fmt.fmt_signed, -1234, f"−1{NNBSP}234"),
    (fmt.fmt_signed, 56, "+56"),
    (fmt.fmt_int, None, "n.d."),
    (fmt.fmt_pct, math.nan, "n.d."),
])
def test_french_formats(fn, arg, expected):
    assert (fn(*arg) if isinstance(arg, tuple) else fn(arg)) == expected


@pytest.mark.parametrize("n, feminine, expected", [
    (1, False, "1er"),
    (1, True, "1re"),
    (2, True, "2e"),
    (27.0, False, "27e"),
    (math.nan, True, "n.d."),
])
def test_french_ordinals(n, feminine, expected):
    assert fmt.fmt_ordinal(n, feminine=feminine) == expected


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_fmt_num_is_babels_format_decimal(decimals):
    """The locale and pattern are parsed once (speed); the text is babel's, to the character."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    for x in (0, -0.0, 0.05, 0.15, 0.25, 2.5, 1234.5, -1234.55, 279.05, 1e9 + 0.5, -7.45e7, 123456789.125):
        assert fmt.fmt_num(x, decimals) == format_decimal(float(x), format=pattern, locale="fr_FR")


def test_fmt_count_groups_thousands_and_agrees_in_number():
    assert fmt.fmt_count(0, "ligne") == "0 ligne"
    assert fmt.fmt_count(1, "ligne") == "1 ligne"
    assert fmt.fmt_count(2, "ligne") == "2 lignes"
    assert fmt.fmt_count(12345, "ligne") == "12\u202f345 lignes"


def test_fmt_rate_is_whole_percent_and_says_an_estimate():
    assert fmt.fmt_rate(16_803 / 19_133) == "88\u00a0%"
    assert fmt.fmt_rate(16_803 / 19_133, estimated=True) == "environ 88\u00a0%"
    assert fmt.fmt_rate(float("nan"), True) == "n.d."
