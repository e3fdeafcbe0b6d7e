"""Colour palettes of every chart and map, chosen to stay distinct for colour-blind readers.

Each palette is checked by ``tests/test_palettes.py``: every pair of its colours stays at least
``MIN_DELTA_E`` apart (CIEDE2000) in normal vision and in simulated protanopia, deuteranopia and
tritanopia (Brettel 1997, complete dichromacy). Anchors are DSFR colours (bleu France, the
system colours for warning and success); the steps between them were chosen along OKLab lines to
pass that test. Ordered scales (counts, rates, balances) also change lightness step by step, so
they read in grey print too.

Also here, without Streamlit: the diverging classes of a balance centred on zero and clipped at a
robust quantile (one region's large balance must not wash every other region out to white),
with the labels of its value legend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

MIN_DELTA_E = 15.0  # CIEDE2000; about six times a just-noticeable difference

# Nature of a figure (categorical), in the order of lib.natures.LEGEND (officiel, cité, dérivé, estimé,
# importé, manquant). Officiel in bleu France; estimé in the DSFR warning orange.
NATURE_RANGE = ("#000091", "#0063cb", "#6e445a", "#b34000", "#00a95f", "#929292")

# Counts (five ordered classes, light to dark).
SEQUENTIAL_BLUES = ("#fef7da", "#b4c1ce", "#6e8bbe", "#395fae", "#000091")

# Achievement of an objective: orange below, blue at or above (fixed classes around 100 %).
RATE_BREAKS = (0.5, 0.75, 0.9, 1.0)
RATE_COLOURS = ("#a33d00", "#e4794a", "#f9dcc4", "#9c9cf2", "#000091")
RATE_LABELS = ("moins de 50 %", "50 à 75 %", "75 à 90 %", "90 à 100 %", "objectif atteint (100 % ou plus)")

# A balance centred on zero: orange = pays more than it receives, blue = receives more.
DIVERGING = ("#8d3300", "#b06e53", "#d5b1a3", "#f6f6f6", "#93aad8", "#385eb4", "#000091")

# Two flows side by side (aids received, contribution paid): the two ends of ``DIVERGING``.
FLOWS = {"Aides reçues": "#000091", "Cotisation versée": "#b34000"}

# The pact's two readings of the target, drawn as ticks over the bars.
TARGETS = {"Objectif tous bailleurs": "#e1000f", "Objectif organismes Hlm": "#161616"}

# Products PLAI / PLUS / PLS (ordered by rent level) and zones 1bis to 3 (most to least tense).
PRODUCTS = {"PLAI": "#000091", "PLUS": "#6a6af4", "PLS": "#c9c9ee"}
ZONES = {"1bis": "#6e0a0a", "1": "#9d5646", "2": "#c89983", "3": "#fef7da"}

# Sensitivity (tornado): an input moved down, moved up.
SENSITIVITY = {"Entrée en baisse": "#6a6af4", "Entrée en hausse": "#c2571a"}

MISSING_COLOUR = "#cccccc"

ALL_PALETTES: dict[str, tuple[str, ...]] = {
    "nature": NATURE_RANGE,
    "effectifs": SEQUENTIAL_BLUES,
    "taux": RATE_COLOURS,
    "solde": DIVERGING,
    "flux": tuple(FLOWS.values()),
    "objectifs": (*TARGETS.values(), NATURE_RANGE[0]),
    "produits": tuple(PRODUCTS.values()),
    "zones": tuple(ZONES.values()),
    "sensibilite": tuple(SENSITIVITY.values()),
}
SEQUENTIAL = ("effectifs", "produits", "zones")
DIVERGING_CENTRES = {"taux": 2, "solde": 3}  # index of the class at the centre of each diverging scale


NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_ceiling(x: float) -> float:
    """The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k that is ≥ ``x`` (a bound a reader can
    say aloud)."""
    if not x or x <= 0 or not math.isfinite(x):
        return 0.0
    mag = 10 ** math.floor(math.log10(x))
    for step in NICE_STEPS:
        if x <= step * mag * (1 + 1e-12):
            return step * mag
    return 10 * mag


def nice_floor(x: float) -> float:
    """The largest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k that is ≤ ``x``."""
    if not x or x <= 0 or not math.isfinite(x):
        return 0.0
    mag = 10 ** math.floor(math.log10(x))
    return max(step * mag for step in NICE_STEPS if step * mag <= x * (1 + 1e-12))


@dataclass(frozen=True)
class DivergingScale:
    """Classes of a diverging scale: ``edges`` between the seven classes of ``DIVERGING``
    (symmetric around 0), ``bound`` the clipping value (the extreme classes hold everything
    beyond ±bound)."""

    bound: float
    edges: tuple[float, ...]

    def colour(self, value: float) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING_COLOUR
        if self.bound <= 0:
            return DIVERGING[3]
        return DIVERGING[int(np.searchsorted(self.edges, float(value), side="right"))]

    def legend(self, fmt: Callable[[float], str]) -> list[tuple[str, str]]:
        """``[(label, colour)]`` from the most negative class to the most positive one; the
        extreme labels say that they hold everything beyond the bound (the outer edges)."""
        if self.bound <= 0:
            return [("solde nul", DIVERGING[3])]
        e = self.edges
        labels = [
            f"{fmt(-self.bound)} ou moins",
            f"{fmt(e[0])} à {fmt(e[1])}",
            f"{fmt(e[1])} à {fmt(e[2])}",
            f"proche de zéro ({fmt(e[2])} à {fmt(e[3])})",
            f"{fmt(e[3])} à {fmt(e[4])}",
            f"{fmt(e[4])} à {fmt(e[5])}",
            f"{fmt(self.bound)} ou plus",
        ]
        return list(zip(labels, DIVERGING, strict=True))


def diverging_scale(values: Sequence[float], quantile: float = 0.9) -> DivergingScale:
    """Seven classes symmetric around zero. The outer bound is the ``quantile`` of the absolute
    values (rounded up to a nice number): the few largest balances fall in the extreme classes
    instead of setting the scale for all, and the legend says so. Inside, the edges sit at the
    quartile (rounded down) and the 60th percentile (rounded up) of the absolute values, so that balances
    bunched near zero still spread over the classes; equal widths when the values are too few."""
    vals = np.abs(np.asarray([v for v in values if v is not None], dtype=float))
    vals = vals[np.isfinite(vals)]
    if vals.size == 0 or not vals.any():
        return DivergingScale(0.0, ())
    bound = nice_ceiling(float(np.quantile(vals, quantile)))
    # rounded down: rounded up, the class « proche de zéro » swallowed a third of the regions
    inner = nice_floor(float(np.quantile(vals, 0.25)))
    mid = nice_ceiling(float(np.quantile(vals, 0.6)))
    upper = [inner, mid, bound] if 0 < inner < mid < bound else [bound / 5, 3 * bound / 5, bound]
    edges = tuple([-u for u in reversed(upper)] + upper)
    return DivergingScale(bound, edges)
