"""The pact's parameters, read from ``data/pacte_parametres.yaml`` into plain frozen values.

The pact fixes the mutualisation amounts "pour 2013" and foresees a yearly review (annex 1), so
every value is keyed by the year it applies from; ``value(path, year)`` takes the latest one that
applies. No page or chart types a pact number: they all come through here.

Each leaf carries, as OpenFisca's parameters do, a ``metadata`` block: the pact's ``article`` and
a list of dated references (``title``, ``date``, ``href``, optional ``document`` and ``note``).
A leaf a user can move on the Mutualisation page also carries ``metadata.controle``: its page
section, URL key, French label and, for a number, the displayed unit, bounds, step and scale
(``ControlSpec``); the page's controls are built from these, never typed in code. Any other metadata
key is kept as given in ``Parameter.metadata``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from lib.errors import DataError
from lib.fmt import fmt_num
from lib.paths import PARAMS_FILE

LEAF_KEYS = ("description", "unite", "metadata", "valeurs")
METADATA_KEYS = ("article", "reference")
REFERENCE_KEYS = ("title", "date", "href")
CONTROL_KEYS = ("groupe", "cle_url", "libelle")
NUMBER_CONTROL_KEYS = ("unite", "bornes", "echelle")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_KEY = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


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
class ControlSpec:
    """How a parameter is moved on the page: ``cle_url`` is the widget key and the share link's
    parameter; bounds and step are in the displayed unit (displayed value = value × ``echelle``);
    a yes/no parameter is a switch (``bornes`` empty)."""

    groupe: str
    cle_url: str
    libelle: str
    unite: str = ""
    bornes: tuple[float, float, float] | tuple[()] = ()
    echelle: float = 1.0

    @property
    def is_switch(self) -> bool:
        return not self.bornes


@dataclass(frozen=True)
class Parameter:
    path: str
    description: str
    unite: str
    article: str
    valeurs: Mapping[int, Any]
    references: tuple[Reference, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    controle: ControlSpec | None = None

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


def _fr(x: Any) -> str:
    """A bound or value in a French message: « 0,5 », « 10 000 », not « 0.5 »."""
    x = float(x)
    decimals = next((d for d in range(7) if round(x, d) == x), 6)
    return fmt_num(x, decimals)


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
            metadata=MappingProxyType({k: _frozen(v) for k, v in meta.items()
                                       if k not in METADATA_KEYS and k != "controle"}),
            controle=_control(path, meta.get("controle"), valeurs) if "controle" in meta else None,
        )
    _check_url_keys_unique(out)
    return MappingProxyType(out)


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _control(path: str, spec: Any, valeurs: Mapping) -> ControlSpec:
    """A leaf's ``controle`` block, checked: a control a user cannot move, or whose default lies
    outside its bounds, would silently clip the pact's own value."""
    where = f"Paramètre « {path} » : « controle »"
    if not isinstance(spec, Mapping):
        raise ParamsError(f"{where} doit être un bloc (groupe, cle_url, libelle…).")
    missing = [k for k in CONTROL_KEYS if not isinstance(spec.get(k), str) or not spec[k].strip()]
    if missing:
        raise ParamsError(f"{where} : il manque {', '.join(missing)}.")
    if not _URL_KEY.match(spec["cle_url"]):
        raise ParamsError(f"{where} : clé d'URL « {spec['cle_url']} » invalide (minuscules, chiffres et _, "
                          "20 caractères au plus).")
    if all(isinstance(v, bool) for v in valeurs.values()):
        extra = [k for k in NUMBER_CONTROL_KEYS if k in spec]
        if extra:
            raise ParamsError(f"{where} : un paramètre oui/non est un interrupteur, sans {', '.join(extra)}.")
        return ControlSpec(groupe=spec["groupe"], cle_url=spec["cle_url"], libelle=spec["libelle"])
    missing = [k for k in NUMBER_CONTROL_KEYS if k not in spec]
    if missing:
        raise ParamsError(f"{where} : il manque {', '.join(missing)}.")
    bornes, echelle = spec["bornes"], spec["echelle"]
    if not (isinstance(bornes, list) and len(bornes) == 3 and all(_number(b) for b in bornes)):
        raise ParamsError(f"{where} : « bornes » doit être [min, max, pas] (trois nombres).")
    lo, hi, step = (float(b) for b in bornes)
    if not (lo < hi and 0 < step <= hi - lo):
        raise ParamsError(f"{where} : bornes [{_fr(lo)} ; {_fr(hi)} ; {_fr(step)}] incohérentes (min < max, pas > 0).")
    if not (_number(echelle) and echelle > 0):
        raise ParamsError(f"{where} : « echelle » doit être un nombre positif.")
    for year, v in valeurs.items():
        if not _number(v) or not lo <= v * echelle <= hi:
            shown = _fr(v * echelle) if _number(v) else repr(v)  # in the control's unit, as the bounds are
            raise ParamsError(f"{where} : la valeur {year} ({shown}) sort des bornes [{_fr(lo)} ; {_fr(hi)}].")
    return ControlSpec(groupe=spec["groupe"], cle_url=spec["cle_url"], libelle=spec["libelle"],
                   unite=str(spec["unite"]), bornes=(lo, hi, step), echelle=float(echelle))


def _check_url_keys_unique(params: Mapping[str, Parameter]) -> None:
    seen: dict[str, str] = {}
    for path, p in params.items():
        if p.controle is None:
            continue
        other = seen.setdefault(p.controle.cle_url, path)
        if other != path:
            raise ParamsError(f"Clé d'URL « {p.controle.cle_url} » donnée à deux paramètres : « {other} » et « {path} ».")


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
    """All parameters by dotted path (e.g. ``mutualisation.aides.aide_zone_1_1bis_eur``)."""
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
