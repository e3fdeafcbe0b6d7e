"""The pact's parameters, read from ``data/pacte_parametres.yaml`` into plain frozen values.

The pact fixes the mutualisation amounts "pour 2013" and foresees a yearly review (annex 1), so
every value is keyed by the year it applies from; ``value(path, year)`` takes the latest one that
applies. No page or chart types a pact number: they all come through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from lib.paths import PARAMS_FILE

LEAF_KEYS = ("description", "unite", "reference", "valeurs")


class ParamsError(ValueError):
    """The parameter file is missing, unreadable or incomplete (message in French)."""


@dataclass(frozen=True)
class Parameter:
    path: str
    description: str
    unite: str
    reference: str
    valeurs: Mapping[int, Any]

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
        out[path] = Parameter(
            path=path,
            description=str(leaf["description"]),
            unite=str(leaf["unite"]),
            reference=str(leaf["reference"]),
            valeurs=MappingProxyType({int(y): _frozen(v) for y, v in valeurs.items()}),
        )
    return MappingProxyType(out)


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
