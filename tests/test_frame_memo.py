"""lib.frame_memo: results remembered by the content of the frames, handed out as copies."""

from __future__ import annotations

import pandas as pd

from lib import data, geo, targets
from lib.frame_memo import content_memo, frame_digest


def test_same_content_computes_once_other_content_again():
    calls = []

    @content_memo()
    def total(frame: pd.DataFrame, col: str, years=range(3)) -> pd.DataFrame:
        calls.append(col)
        return frame[[col]].assign(n=len(list(years)))

    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    first = total(a, "x")
    assert calls == ["x"]
    pd.testing.assert_frame_equal(total(a.copy(), "x"), first)  # a copy: same content
    assert calls == ["x"]
    total(a, "x", years=(i for i in range(5)))  # an iterator is keyed by its values
    assert calls == ["x", "x"]
    changed = a.copy()
    changed.loc[0, "x"] = 3
    assert total(changed, "x")["x"].tolist() == [3, 2] and len(calls) == 3
    total(a.astype({"x": float}), "x")  # same values, other type: another key
    assert len(calls) == 4


def test_results_are_copies_a_caller_cannot_change_the_memo():
    @content_memo()
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"v": range(n)})

    got = frame(3)
    got.loc[0, "v"] = 99
    assert frame(3)["v"].tolist() == [0, 1, 2]


def test_digest_sees_cells_index_and_columns():
    a = pd.DataFrame({"x": [1, 2]})
    assert frame_digest(a) == frame_digest(a.copy())
    assert frame_digest(a) != frame_digest(a.rename(columns={"x": "y"}))
    assert frame_digest(a) != frame_digest(a.set_axis([5, 6]))
    assert frame_digest(a) != frame_digest(a.assign(x=[1, 3]))


def test_memoised_domain_functions_give_what_they_computed():
    figures = data.load_figures()
    for func, args in ((data.retained, (figures, "lls_finances")),
                       (targets.regional_production, (figures, geo.load_regions(),
                                                      "lls_finances", range(2010, 2017)))):
        pd.testing.assert_frame_equal(func(*args), func.__wrapped__(*args))
        pd.testing.assert_frame_equal(func(*args), func.__wrapped__(*args))  # from the memo
