"""A table as a projected room reads it: every cell as French text, escaped for Streamlit
markdown, following the column configuration the page gives ``st.dataframe``.

Presentation mode draws tables with ``st.table`` (``lib.ui.tables``): unlike ``st.dataframe``,
whose grid is painted on a canvas at the theme's size, its cells are HTML that the presentation's
CSS enlarges, in a box that scrolls instead of cutting. ``st.table`` reads markdown in every cell,
so each cell is escaped here (``plain_text.md_escape``: no markup, no live address) and a link
column becomes a markdown link only for a relative path or an http(s) address, named by its site.
In the static tables a page shows at open (``cited=True``), a column citing sources in words
(``SOURCE_COLUMNS``) shows each http(s) address in its text the same way; never a name's column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd

from lib import fmt
from lib.plain_text import md_escape

MAX_ROWS = 30  # rows shown in presentation mode; the rest is said under the table

_PRINTF = re.compile(r"%(?:\.(\d+))?([dfi])")
# characters kept as typed in a link's address; anything else (spaces, parentheses, brackets,
# quotes, angle brackets, backslashes…) is percent-encoded so that it cannot close the markdown link
_URL_SAFE = "/:?#&=%+~-._,;!*@$"


@dataclass(frozen=True)
class ReadableTable:
    frame: pd.DataFrame  # markdown cells, escaped; columns are the (escaped) labels shown
    total_rows: int
    shown_rows: int

    @property
    def hidden_rows(self) -> int:
        return self.total_rows - self.shown_rows


def _config(column_config: Mapping[str, Any] | None, column: str) -> dict | None | bool:
    """The column's configuration as a dict, ``None`` when it is hidden, ``{}`` when none is given."""
    if not column_config or column not in column_config:
        return {}
    c = column_config[column]
    if c is None:
        return None
    if isinstance(c, str):
        return {"label": c}
    c = dict(c)
    if c.get("hidden"):
        return None
    return c


def _trimmed(x: float, decimals: int = 4) -> str:
    """A number in French with at most ``decimals`` decimals, trailing zeros dropped (as the
    grid shows a number without a format)."""
    text = fmt.fmt_num(x, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def format_number(x: Any, number_format: str | None) -> str:
    """A number as ``st.column_config.NumberColumn(format=…)`` asks, in French: printf formats
    (« %d », « %.1f », with text around them, « %% » for a percent sign), « localized »,
    « plain », « percent », « euro »; any other or none: up to four decimals."""
    if fmt.is_missing(x):
        return fmt.MISSING
    if number_format == "plain":  # digits without grouping (a year: 2014), a French decimal comma
        value = float(x)
        if value == round(value):
            return str(int(round(value)))
        return _trimmed(value).replace("\u202f", "").replace("\xa0", "")
    if number_format == "percent":
        return fmt.fmt_pct(x)
    if number_format == "euro":
        return fmt.fmt_eur(x, 0 if float(x) == round(float(x)) else 2)
    if number_format and _PRINTF.search(number_format):
        def number(m: re.Match) -> str:
            if m.group(2) in "di":
                return fmt.fmt_int(round(float(x)))
            return fmt.fmt_num(x, int(m.group(1) or 6))

        return _PRINTF.sub(number, number_format, count=1).replace("%%", "%")
    if pd.api.types.is_integer(x):
        return fmt.fmt_int(x)
    return _trimmed(float(x))


def safe_href(url: Any) -> str | None:
    """``url`` as a link address if it is a relative path or an http(s) address, else None
    (``javascript:``, ``data:``, ``//host`` and the like are shown as text)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ord(c) < 32 for c in url):
        return None
    if url.startswith("//") or url.startswith("\\"):
        return None
    parts = urlsplit(url)
    if parts.scheme:
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
    elif ":" in url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return None  # « javascript&colon; »-like text read as a scheme by some parsers
    return quote(url, safe=_URL_SAFE)


def _link_text(url: str, display_text: str | None) -> str:
    """What a link cell shows: the column's display text (a regex's first group, as
    st.column_config.LinkColumn does), else the site's name for a web address (a whole address,
    often percent-encoded, cannot be read from the back of a room; the link still opens it)."""
    if not display_text:
        # the host alone: a « user@ » part (https://www.gouv.fr@pirate.example/) must not name the link
        host = (urlsplit(url.strip()).hostname or "") if safe_href(url) else ""
        return host.removeprefix("www.") if host else url
    try:
        pattern = re.compile(display_text)
    except re.error:
        return display_text
    if pattern.groups:
        m = pattern.search(url)
        return m.group(1) if m and m.group(1) else url
    return display_text


# columns citing their sources in words: each web address in their text is shown as a link named
# by its site (« national 2015 (innovapresse.com) moins… »), the rest escaped as any text
SOURCE_COLUMNS = ("Source", "Sources", "Autres sources")
_ADDRESS = re.compile(r"https?://[^\s<>\"'\[\]«»]+")
_TRAILING = ".,;:!?…’"  # punctuation closing a sentence, not part of an address


def cited_text(text: str) -> str:
    """``text`` escaped, each http(s) address in it a markdown link named by its site."""
    out, end = [], 0
    for m in _ADDRESS.finditer(text):
        url = m.group(0)
        while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
            url = url[:-1]  # « (https://…/a.html), » : the parenthesis closes the sentence's, not the address's
        href = safe_href(url)
        if href is None:
            continue
        out.append(md_escape(text[end:m.start()]))
        out.append(f"[{md_escape(_link_text(url, None))}]({href})")
        end = m.start() + len(url)
    out.append(md_escape(text[end:]))
    return "".join(out)


def cell_text(value: Any, config: Mapping[str, Any] | None = None, placeholder: str | None = None) -> str:
    """One cell as escaped markdown, following its column's configuration."""
    config = config or {}
    type_config = config.get("type_config") or {}
    kind = type_config.get("type")
    if isinstance(value, (list, tuple)):
        return md_escape(", ".join(str(v) for v in value))
    if not isinstance(value, str) and fmt.is_missing(value):
        return md_escape(fmt.MISSING if placeholder is None else placeholder)
    if kind == "link" and isinstance(value, str):
        href = safe_href(value)
        label = md_escape(_link_text(value, type_config.get("display_text")))
        return f"[{label}]({href})" if href else label
    if kind == "cited" and isinstance(value, str):
        return cited_text(value)
    if isinstance(value, pd.Timestamp):
        return md_escape(fmt.fmt_date(value.date()))
    if isinstance(value, dt.datetime):
        return md_escape(fmt.fmt_date(value.date()))
    if isinstance(value, dt.date):
        return md_escape(fmt.fmt_date(value))
    if pd.api.types.is_bool(value):
        return "oui" if value else "non"
    if pd.api.types.is_number(value):
        return md_escape(format_number(value, type_config.get("format")))
    return md_escape(value)


def readable_table(data: Any, column_config: Mapping[str, Any] | None = None, *, hide_index: bool | None = None,
                   column_order: Any = None, placeholder: str | None = None,
                   max_rows: int = MAX_ROWS, cited: bool = False) -> ReadableTable:
    """``data`` (what ``st.dataframe`` takes) as rows of escaped, French-formatted markdown
    cells, with the labels, formats, link columns and hidden columns of ``column_config``,
    at most ``max_rows`` rows; with ``cited``, the addresses in ``SOURCE_COLUMNS`` as links."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    if isinstance(frame.index, pd.RangeIndex) and hide_index is None:
        hide_index = True
    if not hide_index:
        index_name = frame.index.name if frame.index.name is not None else ""
        frame = frame.reset_index(names=[index_name] if frame.index.nlevels == 1 else None)
    columns = [c for c in (column_order if column_order is not None else frame.columns) if c in frame.columns]
    if not hide_index and frame.columns[0] not in columns:
        columns.insert(0, frame.columns[0])
    total = len(frame)
    head = frame.head(max_rows)
    out = {}
    for col in columns:
        config = _config(column_config, str(col))
        if config is None:
            continue
        label = config.get("label") or str(col)
        if cited and label in SOURCE_COLUMNS and (config.get("type_config") or {}).get("type") in (None, "text"):
            config = {**config, "type_config": {**(config.get("type_config") or {}), "type": "cited"}}
        if label.lower().startswith(("année", "annee")) and not (config.get("type_config") or {}).get("format"):
            config = {**config, "type_config": {**(config.get("type_config") or {}), "format": "plain"}}  # 2014, not 2 014
        key = md_escape(label)
        while key in out:  # two columns with the same label stay two columns
            key += "\u200b"
        out[key] = [cell_text(v, config, placeholder) for v in head[col].tolist()]
    shown = pd.DataFrame(out, index=pd.RangeIndex(len(head)))
    return ReadableTable(shown, total, len(head))


def hidden_rows_note(table: ReadableTable) -> str | None:
    """The French sentence under a table cut to its first rows, None when nothing is hidden."""
    if not table.hidden_rows:
        return None
    return (f"Mode présentation : {fmt.fmt_int(table.shown_rows)} premières lignes affichées sur "
            f"{fmt.fmt_int(table.total_rows)} ; {'la ligne restante est visible' if table.hidden_rows == 1 else f'les {fmt.fmt_int(table.hidden_rows)} autres sont visibles'} "
            "hors de ce mode ou dans le fichier téléchargeable.")
