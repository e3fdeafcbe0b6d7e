"""lib.frame_memo: results remembered by the content of the frames, handed out as copies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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


def test_an_argument_without_content_key_is_refused_with_what_to_pass_instead():
    """A numpy array or scalar (a programming slip: no caller passes one) is refused before the
    function runs, and the message says how to convert it."""
    calls = []

    @content_memo()
    def count(frame: pd.DataFrame, years) -> int:
        calls.append(years)
        return len(frame)

    frame = pd.DataFrame({"x": [1]})
    for bad in (np.array([2013, 2014]), [np.int64(2013)]):
        with pytest.raises(TypeError, match=r"type (ndarray|int64) has no content key.*\.tolist\(\)"):
            count(frame, bad)
    assert calls == []
    assert count(frame, np.array([2013, 2014]).tolist()) == 1
