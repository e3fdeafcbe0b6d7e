"""The nature vocabulary is defined once (lib/natures.py) and every module reads it from there."""

import ast
import pathlib

import pytest

from lib import charts, natures, palettes
from lib.paths import ROOT

WORDS = {natures.OFFICIEL, natures.CITE, natures.DERIVE, natures.ESTIME, natures.IMPORTE, natures.HYPOTHESE,
         natures.MANQUANT}


def test_every_nature_of_the_legend_has_a_label_a_colour_and_a_badge():
    assert set(natures.LABELS) == set(natures.LEGEND)
    assert list(natures.COLOURS) == list(natures.LEGEND) == charts.NATURE_DOMAIN
    assert list(natures.COLOURS.values()) == list(palettes.NATURE_RANGE) == charts.NATURE_RANGE
    assert set(natures.BADGE_COLOURS) == set(natures.LEGEND)


@pytest.mark.parametrize(
    ("given", "weakest"),
    [
        ((natures.CITE, natures.ESTIME), natures.ESTIME),
        ((natures.OFFICIEL, natures.CITE), natures.CITE),
        ((natures.IMPORTE, natures.DERIVE), natures.DERIVE),
        ((natures.CITE, natures.IMPORTE), natures.IMPORTE),
        ((natures.ESTIME, natures.MANQUANT), natures.MANQUANT),
        ((natures.CITE, "inconnu"), natures.MANQUANT),
    ],
)
def test_a_figure_from_several_takes_the_least_certain_nature(given, weakest):
    assert natures.weakest(*given) == weakest


def test_the_users_import_is_retained_first_then_the_surest_source():
    ranks = [natures.preference_rank(n) for n in natures.BY_PREFERENCE]
    assert ranks == sorted(ranks)
    assert natures.preference_rank(natures.IMPORTE) < natures.preference_rank(natures.CITE)
    assert natures.preference_rank(natures.ESTIME) < natures.preference_rank(natures.HYPOTHESE)
    assert natures.preference_rank("inconnu") == 9


def _tuples_of_nature_words(path: pathlib.Path) -> list[int]:
    """Line numbers where a tuple, list or dict of two or more nature words is spelt out."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else (
            node.keys if isinstance(node, ast.Dict) else [])
        words = [i.value for i in items if isinstance(i, ast.Constant) and i.value in WORDS]
        if len(words) >= 2:
            lines.append(node.lineno)
    return lines


def test_no_module_outside_lib_natures_spells_out_the_vocabulary_again():
    spelt = {str(p.relative_to(ROOT)): lines for p in sorted((ROOT / "lib").rglob("*.py"))
             if p.name != "natures.py" and (lines := _tuples_of_nature_words(p))}
    assert spelt == {}
