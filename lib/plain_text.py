"""Text from data shown as typed: no web or mail address in it becomes a live link.

Streamlit renders markdown with GitHub's autolink extension, which turns ``https://…``,
``www.…`` and ``name@domain`` into links even when every markdown character is escaped
(checked in Chromium: backslashes and HTML entities both still link). A WORD JOINER (U+2060,
invisible, no line break) placed inside the trigger (``https⁠://``, ``www⁠.``, ``@⁠``) keeps the
text identical to the eye and to a screen reader while no rule matches any more.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_SCHEME = re.compile(r"(?i)([a-z][a-z0-9+.-]*)(:)(?=//|[^\s]*@)|(mailto|xmpp)(:)")
_WWW = re.compile(r"(?i)\b(www)(\.)")


def no_autolink(text: str) -> str:
    """``text`` with a word joiner inside every autolink trigger (scheme colon, ``www.``, ``@``)."""
    if ":" not in text and "@" not in text and "." not in text:
        return text
    text = _SCHEME.sub(lambda m: (m.group(1) or m.group(3)) + WORD_JOINER + (m.group(2) or m.group(4)), text)
    text = _WWW.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), text)
    return text.replace("@", "@" + WORD_JOINER)


def visible(text: str) -> str:
    """The text as read on screen (word joiners removed), for tests and comparisons."""
    return text.replace(WORD_JOINER, "")


MD_SPECIALS = "\\`*_{}[]()#+-.!|<>~$:"


def md_escape(value: object) -> str:
    """Text from data, escaped for Streamlit markdown (so '<img …>' or '[x](…)' shows as typed),
    web and mail addresses included (``no_autolink``: no live link from a name)."""
    return "".join("\\" + c if c in MD_SPECIALS else c for c in no_autolink(str(value)))
