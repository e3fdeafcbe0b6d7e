"""Values read from the page's address: each parameter checked against its domain, and what to do
with a bad one, said in French.

Why: Streamlit drops a bound value it cannot use (out of range, unknown choice, written twice)
without a word, so a committee member opening a link sees defaults and believes they are the
scenario; and it accepts a slider value between two steps, which no one could have set. Here a
value outside its domain, or given twice, is removed (the default applies) and a value between two
steps is brought to the nearest one, each with a message, so that the page can say it once.
No Streamlit here: ``lib/ui/url_check.py`` applies the fixes to ``st.query_params``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lib import fmt


@dataclass(frozen=True)
class UrlParam:
    """One parameter of the address and the values it may take."""

    name: str
    label: str  # what it sets, in French (« Aide par logement en zone 1 et 1 bis (€) »)
    kind: str  # "choice" | "number" | "bool"
    choices: tuple[str, ...] = ()  # the texts accepted (a choice widget bound to the URL writes its label)
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    hint: str = ""  # how to write it, when the choices are too many to list
    exact: tuple[float, ...] = ()  # values the app itself writes between steps (default, cited figures)
    free: bool = False  # any value in range is valid (a result of « Valeur cible », say)


@dataclass(frozen=True)
class UrlFix:
    """A bad value and what was done with it: removed (``replacement`` None) or replaced."""

    name: str
    values: tuple[str, ...]
    replacement: str | None
    message: str


_TRUE, _FALSE = ("true",), ("false",)


def _shown(values: Sequence[str], limit: int = 40) -> str:
    out = ", ".join(v if len(v) <= limit else v[: limit - 1] + "…" for v in values)
    return out or "(vide)"


def _number(text: str) -> float | None:
    try:
        v = float(text.strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _decimals(step: float) -> int:
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def check_value(param: UrlParam, text: str) -> tuple[str | None, str] | None:
    """None if ``text`` is a valid value of ``param``; else (replacement or None, why) in French."""
    where = f"« {param.name}={_shown([text])} » ({param.label})"
    if param.kind == "bool":
        if text in _TRUE + _FALSE:
            return None
        return None, f"{where} : écrivez true ou false ; la valeur par défaut est utilisée."
    if param.kind == "choice":
        if text in param.choices:
            return None
        listed = (", ".join(param.choices) if len(param.choices) <= 8 and not param.hint else param.hint)
        return None, f"{where} n'est pas un choix possible ({listed}) ; la valeur par défaut est utilisée."
    v = _number(text)
    if v is None:
        return None, f"{where} n'est pas un nombre ; la valeur par défaut est utilisée."
    lo, hi, step = param.lo, param.hi, param.step
    d = _decimals(step) if step else 2
    if (lo is not None and v < lo - 1e-9) or (hi is not None and v > hi + 1e-9):
        return None, (f"{where} est hors de la plage du curseur ({fmt.fmt_num(lo, d)} à {fmt.fmt_num(hi, d)}) ; "
                      "la valeur par défaut est utilisée.")
    if step and not param.free and not any(abs(v - x) <= 1e-6 for x in param.exact):
        base = lo if lo is not None else 0.0
        k = (v - base) / step
        if abs(k - round(k)) > 1e-6:
            snapped = round(base + round(k) * step, 10)
            if hi is not None:
                snapped = min(snapped, hi)
            return repr(float(snapped)), (f"{where} tombe entre deux crans du curseur (pas de {fmt.fmt_num(step, d)}) : "
                                          f"ramené à {fmt.fmt_num(snapped, d)}.")
    return None


def check_query(query: Mapping[str, Sequence[str]], params: Sequence[UrlParam]) -> list[UrlFix]:
    """The fixes to apply to ``query`` (name -> every value given for it) for ``params``."""
    fixes = []
    for p in params:
        values = tuple(query.get(p.name, ()))
        if not values:
            continue
        if len(values) > 1:
            fixes.append(UrlFix(p.name, values, None, (
                f"« {p.name} » ({p.label}) figure {len(values)} fois dans l'adresse ({_shown(values)}) : "
                "aucune n'est retenue, la valeur par défaut est utilisée.")))
            continue
        bad = check_value(p, values[0])
        if bad is not None:
            fixes.append(UrlFix(p.name, values, bad[0], bad[1]))
    return fixes


def summary(fixes: Sequence[UrlFix]) -> str:
    """One French paragraph for the page."""
    if not fixes:
        return ""
    head = ("L'adresse de la page contient une valeur inutilisable" if len(fixes) == 1
            else f"L'adresse de la page contient {len(fixes)} valeurs inutilisables")
    return head + " : " + " ".join(f.message for f in fixes)


def from_controls(controls: Sequence, choices: Mapping[str, Sequence[str]],
                  exact: Mapping[str, Sequence[float]] | None = None, free: frozenset[str] = frozenset()
                  ) -> list[UrlParam]:
    """Parameters of controls bound to the URL (objects with key, label, kind slider | toggle |
    select, lo, hi, step); ``choices``: the labels a select control binds, by key; ``exact``: the
    values between steps the app writes itself, by key; ``free``: keys taking any value in range."""
    exact = exact or {}
    out = []
    for c in controls:
        if c.kind == "toggle":
            out.append(UrlParam(c.key, c.label, "bool"))
        elif c.kind == "select":
            out.append(UrlParam(c.key, c.label, "choice", tuple(choices.get(c.key, ()))))
        else:
            out.append(UrlParam(c.key, c.label, "number", lo=float(c.lo), hi=float(c.hi), step=float(c.step),
                                exact=tuple(float(x) for x in exact.get(c.key, ())), free=c.key in free))
    return out


def simulator_params() -> list[UrlParam]:
    """The simulator's address parameters: its controls, where the default, the cited volumes of
    each year (« Partir des chiffres cités de l'année ») and, for the fields « Valeur cible »
    adjusts, any value in range, are values the page itself writes between two steps."""
    from lib.errors import DataError
    from lib.mutualisation_inputs import SCENARIOS, data_assumptions
    from lib.views.mutualisation import YEARS, control_value, controls, default_values, goalseek_controls

    defaults, all_controls = default_values(), controls()
    exact: dict[str, list[float]] = {c.key: [defaults[c.key]] for c in all_controls if c.kind == "slider"}
    for year in YEARS:
        try:
            cited, _ = data_assumptions(year)
        except DataError:
            continue
        for c in all_controls:
            if c.target == "volumes" and c.kind == "slider":
                exact[c.key].append(control_value(c, getattr(cited, c.field)))
    return from_controls(all_controls, {"annee": [str(y) for y in YEARS], "scen": [s.libelle for s in SCENARIOS.values()]},
                         exact, frozenset(c.key for c in goalseek_controls().values()))


def backtest_params(modes: Sequence[str], campaign_years: Sequence[int], region_labels: Sequence[str]
                    ) -> list[UrlParam]:
    """The address parameters of « Confronter le simulateur aux chiffres publiés »: the view, the
    campaign replayed (left out when the campaigns are unknown) and the region of the tornado,
    each as the label its bound widget writes."""
    out = [UrlParam("verif", "vue", "choice", tuple(modes))]
    if campaign_years:
        out.append(UrlParam("campagne", "campagne rejouée", "choice", tuple(str(y) for y in campaign_years)))
    out.append(UrlParam("sens_region", "région dont on suit le solde", "choice", tuple(region_labels),
                        hint="nom d'une région d'avant 2016, par exemple Bretagne"))
    return out
