"""Column mapping: which column of the file holds which field."""


from __future__ import annotations

import difflib

from lib.importer.fields import fields_of
from lib.importer.reading import RawTable
from lib.importer.text import normalize_label


def propose_mapping(raw: RawTable, kind: str) -> dict[str, str | None]:
    """For each field of ``kind``, the file column that seems to hold it (or None).

    Exact label or known synonym first (case, accents and punctuation ignored), then labels
    containing a synonym's words, then close spellings; each column is used once.
    """
    fields = fields_of(kind)
    columns = [str(c) for c in raw.frame.columns]
    norm = {c: normalize_label(c) for c in columns}
    candidates = []
    for f in fields:
        syns = [normalize_label(f.key.replace("_", " ")), normalize_label(f.label),
                *(normalize_label(s) for s in f.synonyms)]
        for c in columns:
            score = max((_label_score(norm[c], s) for s in syns if s), default=0.0)
            if score >= 0.6:
                candidates.append((score, -fields.index(f), f.key, c))
    candidates.sort(reverse=True)
    mapping: dict[str, str | None] = {f.key: None for f in fields}
    used: set[str] = set()
    for _score, _, key, col in candidates:
        if mapping[key] is None and col not in used:
            mapping[key] = col
            used.add(col)
    return mapping


def _label_score(label: str, synonym: str) -> float:
    if not label:
        return 0.0
    if label == synonym:
        return 1.0
    lt, st_ = label.split(), synonym.split()
    if len(synonym) >= 3 and _contains_words(lt, st_):
        return 0.7 + 0.2 * len(synonym) / len(label)
    if len(label) >= 4 and len(synonym) >= 4:
        ratio = difflib.SequenceMatcher(None, label, synonym).ratio()
        if ratio >= 0.85:
            return 0.6 + 0.3 * (ratio - 0.85) / 0.15
    return 0.0


def _contains_words(words: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return any(words[i:i + n] == sub for i in range(len(words) - n + 1))
