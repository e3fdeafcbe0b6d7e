"""The pact's parameters, read from ``data/pacte_parametres.yaml`` into plain frozen values.

The pact fixes the mutualisation amounts "pour 2013" and foresees a yearly review (annex 1), so
every value is keyed by the year it applies from; ``value(path, year)`` takes the latest one that
applies. No page or chart types a pact number: they all come through here.

Each leaf carries, as OpenFisca's parameters do, a ``metadata`` block: the pact's ``article`` and
a list of dated references (``title``, ``date``, ``href``, optional ``document`` and ``note``).
Any other metadata key (a label, bounds, a URL key…) is kept as given in ``Parameter.metadata``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from lib.errors import DataError
from lib.paths import PARAMS_FILE

LEAF_KEYS = ("description", "unite", "metadata", "valeurs")
METADATA_KEYS = ("article", "reference")
REFERENCE_KEYS = ("title", "date", "href")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParamsError(DataError):
    """The parameter file is missing, unreadable or incomplete (message in French)."""


@dataclass(frozen=True)
class Reference:
    """A dated text a parameter comes from: its title, date (ISO), the address read, and where
    the full text is kept when the address only announces it."""

    title: str
    date: str
    href: str
    document: str = ""
    note: str = ""


@dataclass(frozen=True)
class Parameter:
    path: str
    description: str
    unite: str
    article: str
    valeurs: Mapping[int, Any]
    references: tuple[Reference, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def reference(self) -> str:
        """The pact's article, as the pages quote it (kept for the callers of the former flat key)."""
        return self.article

    def value(self, year: int) -> Any:
        """Value in force for ``year``: the latest one keyed at or before it."""
        years = sorted(y for y in self.valeurs if y <= year)
        if not years:
            raise ParamsError(
                f"Le paramètre « {self.path} » n'a pas de valeur pour {year} "
                f"(première année connue : {min(self.valeurs)})."
            )
        return self.valeurs[years[-1]]


def _frozen(v: Any) -> Any:
    """Lists become tuples: parameters are shared by every session and must not be mutated."""
    return tuple(v) if isinstance(v, list) else v


def _walk(node: Mapping, prefix: str = ""):
    for key, child in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(child, Mapping) and "valeurs" in child:
            yield path, child
        elif isinstance(child, Mapping):
            yield from _walk(child, path)
        else:
            raise ParamsError(f"Entrée « {path} » mal formée dans le fichier des paramètres.")


def parse_params(text: str) -> Mapping[str, Parameter]:
    try:
        tree = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParamsError(f"Fichier des paramètres illisible : {exc}") from exc
    if not isinstance(tree, Mapping):
        raise ParamsError("Fichier des paramètres vide ou mal formé.")
    out: dict[str, Parameter] = {}
    for path, leaf in _walk(tree):
        missing = [k for k in LEAF_KEYS if not leaf.get(k) and leaf.get(k) is not False]
        if missing:
            raise ParamsError(f"Paramètre « {path} » incomplet : il manque {', '.join(missing)}.")
        valeurs = leaf["valeurs"]
        if not isinstance(valeurs, Mapping) or not valeurs:
            raise ParamsError(f"Paramètre « {path} » : « valeurs » doit associer une année à une valeur.")
        meta = leaf["metadata"]
        article, references = _metadata(path, meta)
        out[path] = Parameter(
            path=path,
            description=str(leaf["description"]),
            unite=str(leaf["unite"]),
            article=article,
            valeurs=MappingProxyType({int(y): _frozen(v) for y, v in valeurs.items()}),
            references=references,
            metadata=MappingProxyType({k: _frozen(v) for k, v in meta.items() if k not in METADATA_KEYS}),
        )
    return MappingProxyType(out)


def _metadata(path: str, meta: Any) -> tuple[str, tuple[Reference, ...]]:
    """The article and the dated references of a leaf; French errors for what is missing."""
    if not isinstance(meta, Mapping):
        raise ParamsError(f"Paramètre « {path} » : « metadata » doit être un bloc (article, reference).")
    missing = [k for k in METADATA_KEYS if not meta.get(k)]
    if missing:
        raise ParamsError(f"Paramètre « {path} » : il manque {', '.join(missing)} dans « metadata ».")
    refs = meta["reference"]
    if not isinstance(refs, list) or not refs:
        raise ParamsError(f"Paramètre « {path} » : « reference » doit être une liste de références datées.")
    out = []
    for ref in refs:
        if not isinstance(ref, Mapping):
            raise ParamsError(f"Paramètre « {path} » : chaque référence doit avoir title, date et href.")
        absent = [k for k in REFERENCE_KEYS if not ref.get(k)]
        if absent:
            raise ParamsError(f"Paramètre « {path} » : référence sans {', '.join(absent)}.")
        date = str(ref["date"])
        if not _ISO_DATE.match(date):
            raise ParamsError(f"Paramètre « {path} » : date de référence « {date} » attendue au format AAAA-MM-JJ.")
        out.append(Reference(title=str(ref["title"]), date=date, href=str(ref["href"]),
                             document=str(ref.get("document", "")), note=str(ref.get("note", ""))))
    return str(meta["article"]), tuple(out)


@lru_cache(maxsize=4)
def load_params(path: Path = PARAMS_FILE) -> Mapping[str, Parameter]:
    """All parameters by dotted path (e.g. ``mutualisation.aides.production_zone_1_1bis``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ParamsError(f"Fichier des paramètres du pacte introuvable : {path}") from exc
    return parse_params(text)


def value(path: str, year: int = 2013) -> Any:
    """Shortcut: the value of one parameter in force for ``year``."""
    params = load_params()
    if path not in params:
        raise ParamsError(f"Paramètre inconnu : « {path} ».")
    return params[path].value(year)
