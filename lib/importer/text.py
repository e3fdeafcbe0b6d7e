"""Text helpers shared by the readers and the checks (labels, blanks, display)."""


from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np


def normalize_label(value: Any) -> str:
    """Lower case, no accents, words separated by one space: 'Nombre de logements financés (PLAI)'
    -> 'nombre de logements finances plai'."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("n°", "n ").replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return False


def _is_number_value(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _message_text(value: Any, limit: int = 60) -> str:
    """A cell value as quoted in a message (shortened; the UI escapes it)."""
    if _blank(value):
        return "(vide)"
    if _is_number_value(value):
        v = float(value)
        text = str(int(v)) if v.is_integer() and abs(v) < 1e15 else str(v)
    else:
        text = str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
