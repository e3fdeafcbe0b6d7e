"""The shipped data's regional achievement, built the way the pages build it: one helper for the
tests that need the real figures, objectives and achievement rather than a fixture of their own."""

from __future__ import annotations

from types import SimpleNamespace

from lib import data, geo, params, targets


def shipped_achievement() -> SimpleNamespace:
    """figures, regions, params (``p``), the pact's ``years``, regional objectives (``obj``) and the
    achievement of financed social dwellings against them (``ach``)."""
    figures, regions, p = data.load_figures(), geo.load_regions(), params.load_params()
    years = targets.pact_years(p)
    obj = targets.regional_objectives(figures, regions, p)
    ach = targets.achievement(targets.regional_production(figures, regions, "lls_finances", years), obj)
    return SimpleNamespace(figures=figures, regions=regions, p=p, years=years, obj=obj, ach=ach)
