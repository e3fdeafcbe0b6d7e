"""Reference territories: codes and names of regions, départements, communes."""


from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lib.errors import DataError
from lib.importer.cells import _objects
from lib.importer.limits import KIND_LEVELS, LEVELS
from lib.importer.reading import RawTable
from lib.importer.text import _blank, _is_number_value, normalize_label


@dataclass(frozen=True)
class Reference:
    """Départements and regions (before and after 2016), from data/territoires.csv."""

    dep_nom: Mapping[str, str]
    dep_reg2015: Mapping[str, str]
    reg2015_nom: Mapping[str, str]
    reg2016_nom: Mapping[str, str]
    reg2016_to_2015: Mapping[str, tuple[str, ...]]
    deps_of_reg2015: Mapping[str, frozenset[str]]
    commune_dep: Mapping[str, str] = field(default_factory=dict)

    @property
    def merged_reg2016(self) -> dict[str, str]:
        """Regions created in 2016 by merging several old ones: code -> name."""
        return {c: n for c, n in self.reg2016_nom.items() if len(self.reg2016_to_2015[c]) > 1}


@functools.lru_cache(maxsize=1)
def load_reference() -> Reference:
    """The territories, read once (lib/geo.py validates the shipped files)."""
    from lib import geo

    terr = geo.load_territoires()
    try:
        communes = geo.load_zonage_communes()
        commune_dep = dict(zip(communes["commune_code"].astype(str), communes["dep_code"].astype(str), strict=True))
    except DataError:
        commune_dep = {}
    return _reference_from(terr, commune_dep)


def _reference_from(terr: pd.DataFrame, commune_dep: Mapping[str, str]) -> Reference:
    t = terr.astype({"dep_code": str, "reg2015_code": str, "reg2016_code": str})
    to2015: dict[str, set[str]] = {}
    deps: dict[str, set[str]] = {}
    for d, r15, r16 in zip(t["dep_code"], t["reg2015_code"], t["reg2016_code"], strict=True):
        to2015.setdefault(r16, set()).add(r15)
        deps.setdefault(r15, set()).add(d)
    return Reference(
        dep_nom=dict(zip(t["dep_code"], t["dep_nom"], strict=True)),
        dep_reg2015=dict(zip(t["dep_code"], t["reg2015_code"], strict=True)),
        reg2015_nom=dict(zip(t["reg2015_code"], t["reg2015_nom"], strict=False)),
        reg2016_nom=dict(zip(t["reg2016_code"], t["reg2016_nom"], strict=False)),
        reg2016_to_2015={k: tuple(sorted(v)) for k, v in to2015.items()},
        deps_of_reg2015={k: frozenset(v) for k, v in deps.items()},
        commune_dep=dict(commune_dep),
    )


def normalize_code(value: Any, level: str) -> str | None:
    """A territory code as INSEE writes it for ``level`` ('1' -> '01', 2.0 -> '02', '2a' -> '2A',
    '1004' -> '01004'), or None when it cannot be one."""
    if _blank(value):
        return None
    if _is_number_value(value):
        v = float(value)
        if not np.isfinite(v) or not v.is_integer() or v < 0:
            return None
        text = str(int(v))
    else:
        text = str(value).strip().upper().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"\d+\.0+", text):
            text = text.split(".")[0]
    if level in ("region2015", "region2016"):
        return text.zfill(2) if re.fullmatch(r"\d{1,2}", text) else None
    if level == "departement":
        if re.fullmatch(r"\d{1,2}", text):
            return text.zfill(2)
        if re.fullmatch(r"97\d|2[AB]", text):
            return text
        return None
    if level == "commune":
        if re.fullmatch(r"\d{4}", text):
            return text.zfill(5)
        if re.fullmatch(r"\d{5}|2[AB]\d{3}", text):
            return text
        return None
    return None


def commune_departement(code: str) -> str:
    """Département of an INSEE commune code ('97411' -> '974', '2A004' -> '2A', '75056' -> '75')."""
    return code[:3] if code.startswith("97") else code[:2]


def detect_level(raw: RawTable, kind: str, mapping: Mapping[str, str | None]) -> str:
    """Which kind of territory the code column holds, from its label, then its names, then its codes.

    Codes 11, 24, 52, 53, 93, 94 and the overseas ones mean the same region before and after
    2016, so they need no telling apart; a region code column is read as after-2016 when its
    label says so ("2016", "nouvelle") or when it holds a merged region's code (84, 27…) and
    no code that only existed before. Region codes are also département codes (11 is
    Île-de-France and Aude): names in the file, when given, settle it. The user can override.
    """
    allowed = KIND_LEVELS.get(kind, LEVELS)
    code_field = "territoire_code" if kind != "organismes" else "reg_code"
    col = mapping.get(code_field)
    if col is None or col not in raw.frame.columns:
        return allowed[0]
    label = normalize_label(col)
    words = set(label.split())
    values = [v for v in _objects(raw.frame[col].iloc[:20000]) if not _blank(v)][:5000]
    ref = _safe_reference()
    if words & {"commune", "insee", "codgeo", "com"} and "commune" in allowed:
        return "commune"
    if words & {"departement", "dep", "dept", "departements"} and "departement" in allowed:
        return "departement"
    by_names = _level_from_names(raw, mapping, values, ref, allowed)
    if by_names:
        return by_names
    texts = [str(normalize_code(v, "departement") or normalize_code(v, "commune") or v) for v in values]
    if words & {"region", "reg", "regions"} or kind == "organismes":
        if words & {"2016", "nouvelle", "nouvelles"}:
            return "region2016"
        return _region_coding(values, ref)
    if "commune" in allowed and texts and sum(len(t) == 5 for t in texts) > 0.5 * len(texts):
        return "commune"
    codes = {normalize_code(v, "region2015") for v in values} - {None}
    if ref and codes and codes <= set(ref.reg2015_nom) | set(ref.reg2016_nom) and len(codes) <= 27 and len(values) > 0:
        if not any(t in ("2A", "2B") or (len(t) == 3 and t.startswith("97")) for t in texts):
            region = _region_coding(values, ref)
            if region in allowed:
                return region
    return "departement" if "departement" in allowed else allowed[0]


def _safe_reference() -> Reference | None:
    try:
        return load_reference()
    except DataError:
        return None


def _region_coding(values: list[Any], ref: Reference | None) -> str:
    if ref is None:
        return "region2015"
    codes = {normalize_code(v, "region2015") for v in values} - {None}
    only_2016 = codes & (set(ref.reg2016_nom) - set(ref.reg2015_nom))
    only_2015 = codes & (set(ref.reg2015_nom) - set(ref.reg2016_nom))
    return "region2016" if only_2016 and not only_2015 else "region2015"


def _level_from_names(raw, mapping, values, ref, allowed) -> str | None:
    name_col = mapping.get("territoire_nom")
    if ref is None or name_col is None or name_col not in raw.frame.columns:
        return None
    head = raw.frame.iloc[:20000]
    pairs = [(c, n) for c, n in zip(_objects(head[mapping.get("territoire_code") or name_col]),
                                    _objects(head[name_col]), strict=True)
             if not _blank(c) and not _blank(n)][:2000]
    if not pairs:
        return None
    tables = {"region2015": ref.reg2015_nom, "region2016": ref.reg2016_nom, "departement": ref.dep_nom}
    best, best_rate = None, 0.0
    for level, names in tables.items():
        if level not in allowed:
            continue
        hits = sum(1 for c, n in pairs if _same_name(names.get(normalize_code(c, level) or "", ""), n))
        rate = hits / len(pairs)
        if rate > best_rate:
            best, best_rate = level, rate
    return best if best_rate >= 0.5 else None


def _same_name(reference: str, given: Any) -> bool:
    a, b = normalize_label(reference), normalize_label(given)
    if not a or not b:
        return False
    return a == b or a.replace(" ", "") == b.replace(" ", "") or (len(b) >= 4 and (a.startswith(b) or b.startswith(a)))
