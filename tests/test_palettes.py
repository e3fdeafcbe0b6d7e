"""Palettes stay distinct for colour-blind readers (simulated), diverging scales centre on zero."""

import itertools

import pytest
from coloraide import Color

from lib import dsfr, natures, palettes

VISIONS = (None, "protan", "deutan", "tritan")


def _seen(hex_colour: str, vision: str | None) -> Color:
    c = Color(hex_colour)
    return c if vision is None else c.filter(vision, method="brettel").clip()


def _delta(a: str, b: str, vision: str | None) -> float:
    return _seen(a, vision).delta_e(_seen(b, vision), method="2000")


@pytest.mark.parametrize("name", list(palettes.ALL_PALETTES))
@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
def test_every_pair_of_a_palette_stays_distinct(name, vision):
    pal = palettes.ALL_PALETTES[name]
    worst = min(((_delta(a, b, vision), a, b) for a, b in itertools.combinations(pal, 2)))
    assert worst[0] >= palettes.MIN_DELTA_E, f"{name} ({vision}) : {worst[1]} et {worst[2]} ΔE {worst[0]:.1f}"


def _moves_away(pal, vision) -> list[float]:
    return [_delta(pal[0], c, vision) for c in pal[1:]]


@pytest.mark.parametrize("name", palettes.SEQUENTIAL)
@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
def test_sequential_scales_move_away_from_their_first_class(name, vision):
    """Each class is farther from the first than the one before: the ends are the farthest pair."""
    dist = _moves_away(palettes.ALL_PALETTES[name], vision)
    assert dist == sorted(dist), f"{name} ({vision}) : {[round(d, 1) for d in dist]}"


@pytest.mark.parametrize("name", list(palettes.DIVERGING_CENTRES))
@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
def test_diverging_scales_move_away_from_their_centre(name, vision):
    """On each side of the centre, each class is farther from the centre than the one before,
    so « moins de 50 % » reads as far from the objective as « objectif atteint » is beyond it."""
    pal, i = palettes.ALL_PALETTES[name], palettes.DIVERGING_CENTRES[name]
    for side in (pal[i:], pal[i::-1]):
        dist = _moves_away(side, vision)
        assert dist == sorted(dist), f"{name} ({vision}) : {[round(d, 1) for d in dist]}"


def test_old_achievement_classes_would_fail_the_check():
    """The former green/orange ends merged for a protanope: the check catches that."""
    assert _delta("#18753c", "#b34000", "protan") < palettes.MIN_DELTA_E


def test_nature_palette_anchors_on_bleu_france():
    assert palettes.NATURE_RANGE[0] == dsfr.colour(dsfr.BLEU_FRANCE)
    assert len(natures.LEGEND) == len(palettes.NATURE_RANGE)


def test_diverging_scale_is_centred_and_clipped_at_a_robust_quantile():
    # 22 regions: twenty balances within ±3 M€, Île-de-France at +90 M€, one at −40 M€
    values = [x * 1e6 for x in (-3, -2.5, -2, -1.6, -1.2, -0.9, -0.6, -0.3, -0.1, 0, 0.1, 0.2, 0.4, 0.7,
                                1, 1.3, 1.7, 2.1, 2.6, 3, 90, -40)]
    scale = palettes.diverging_scale(values, quantile=0.9)
    assert scale.bound <= 5e6, "the largest balances must not set the scale"
    assert scale.edges == tuple(-e for e in reversed(scale.edges)), "symmetric around zero"
    assert scale.colour(0.0) == palettes.DIVERGING[3]
    assert scale.colour(90e6) == palettes.DIVERGING[-1]
    assert scale.colour(-90e6) == palettes.DIVERGING[0]
    used = {scale.colour(v) for v in values}
    assert len(used) == 7, "the balances spread over the classes instead of all looking white"
    assert scale.edges[-1] == scale.bound, "the extreme classes hold what lies beyond the bound"


def test_diverging_legend_says_what_the_extremes_hold():
    scale = palettes.diverging_scale([-10, 4, 7, 10])
    legend = scale.legend(lambda x: f"{x:g}")
    assert [c for _, c in legend] == list(palettes.DIVERGING)
    assert legend[0][0].endswith("ou moins") and legend[-1][0].endswith("ou plus")
    assert "zéro" in legend[3][0]


def test_diverging_scale_of_zeros_or_nothing():
    assert palettes.diverging_scale([0, 0]).colour(0) == palettes.DIVERGING[3]
    assert palettes.diverging_scale([]).legend(str) == [("solde nul", palettes.DIVERGING[3])]


@pytest.mark.parametrize(("x", "nice"), [(0.7, 0.8), (0.95, 1), (1.3, 1.5), (2.2, 2.5), (3.1, 4), (7.5, 8), (123, 150), (0, 0)])
def test_nice_ceiling(x, nice):
    assert palettes.nice_ceiling(x) == pytest.approx(nice)


def _colour_ranges(spec) -> list[tuple[str, ...]]:
    """Every colour list of a Vega-Lite spec's scales (``range`` of hex colours)."""
    found = []
    if isinstance(spec, dict):
        rng = spec.get("range")
        if isinstance(rng, list) and rng and all(isinstance(c, str) and c.startswith("#") for c in rng):
            found.append(tuple(c.lower() for c in rng))
        for v in spec.values():
            found += _colour_ranges(v)
    elif isinstance(spec, list):
        for v in spec:
            found += _colour_ranges(v)
    return found


def _every_chart_drawn():
    """Each chart builder of the app on the shipped data (region 11 has all its charts)."""
    from lib import charts, data, geo, params, region_report, sensitivity, targets
    from lib.mutualisation import MutualisationParams
    from lib.mutualisation_inputs import preset_assumptions
    from lib.views import mutualisation as mutualisation_view

    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    obj = targets.regional_objectives(figures, regions, pact)
    p = region_report.region_profile(figures, regions, pact, obj, "11", geo.load_zonage_regions())
    coverage = data.coverage_matrix(figures, regions)
    _, flows = mutualisation_view.compute(mutualisation_view.default_values())
    tornado = sensitivity.tornado(preset_assumptions(), MutualisationParams.from_pact(2013), 2013, "11")
    return {
        "production nationale": charts.national_production_chart(data.national_production(figures, pact)),
        "couverture": charts.coverage_chart(coverage[coverage["indicateur"] == coverage["indicateur"].iloc[0]]),
        "réalisation": region_report.achievement_chart(p), "tendance": region_report.trend_chart(p),
        "produits": region_report.mix_chart(p), "zonage": region_report.zonage_chart(p),
        "flux": mutualisation_view.flows_chart(flows), "sensibilité": sensitivity.tornado_chart(tornado, "fonds", "F"),
    }


def test_every_chart_colour_comes_from_a_checked_palette():
    """A colour list in a chart that is not (part of) a palette above escapes the simulation."""
    palettes_lower = [tuple(c.lower() for c in pal) for pal in palettes.ALL_PALETTES.values()]
    seen = 0
    for name, chart in _every_chart_drawn().items():
        assert chart is not None, name
        for rng in _colour_ranges(chart if isinstance(chart, dict) else chart.to_dict()):
            seen += 1
            assert any(set(rng) <= set(pal) for pal in palettes_lower), f"{name} : {rng}"
    assert seen >= 6


def test_both_maps_colour_with_checked_classes():
    """The maps take their colours from the values table: the achievement classes, the count
    classes and the balance classes are the palettes checked above."""
    from lib import offline_map
    from lib.views import mutualisation as mutualisation_view

    _, legend = offline_map.classify([0.3, 0.6, 0.8, 0.95, 1.2], rate=True)
    assert [c for _, c in legend] == list(palettes.RATE_COLOURS)
    colours, legend = offline_map.classify([float(v) for v in range(1, 28)])
    assert {c for _, c in legend} <= set(palettes.SEQUENTIAL_BLUES) and set(colours) <= set(palettes.SEQUENTIAL_BLUES)
    _, regions = mutualisation_view.compute(mutualisation_view.default_values())
    shown = set(mutualisation_view.flows_values(regions)["couleur"]) - {""}
    assert shown <= set(palettes.DIVERGING) and len(shown) >= 5


@pytest.mark.parametrize(("x", "nice"), [(0.63, 0.6), (0.95, 0.8), (1.3, 1), (2.7, 2.5), (8, 8), (123, 100), (0, 0)])
def test_nice_floor(x, nice):
    assert palettes.nice_floor(x) == pytest.approx(nice)
