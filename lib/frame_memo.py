"""Remember a pure function's frames by the content of its arguments, for every session.

Why: a page's first run asks the same questions of the same figures many times over (the region
page called ``data.retained`` 19 times and ``targets.regional_production`` 5 times, a third of its
run), each time on a fresh copy of the data (Streamlit's ``st.cache_data`` hands out copies), so
a memo keyed on the object would never hit. ``content_memo`` keys each call on a digest of its
frames' content (columns, types, cells, index: about 2 ms for the shipped figures) and on its
other arguments, so the shipped data is computed once per process and a user's own data once per
version of it, whichever session asks.

No session can change another's result: the memo keeps its own copy and hands out copies (a
copy of these small frames costs microseconds, the computations milliseconds). Bounded (least
recently used first out). Pure: no Streamlit import.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable)


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of everything of ``frame`` a computation can read: columns, types, index, cells."""
    digest = hashlib.sha1(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    except TypeError:  # cells pandas cannot hash (lists…): their pickled form
        digest.update(pickle.dumps(frame, protocol=5))
    return digest.hexdigest()


def _copy(value):
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=True)
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


def _key_part(value):
    if isinstance(value, pd.DataFrame):
        return ("frame", frame_digest(value))
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    if isinstance(value, range):
        return ("range", value.start, value.stop, value.step)
    if isinstance(value, list | tuple):
        return (type(value).__name__, *(_key_part(v) for v in value))
    # a programming error, never a user's: every caller passes frames, text, Python numbers and
    # ranges; say what to pass instead (a numpy array or scalar is the likely slip)
    raise TypeError(f"content_memo: an argument of type {type(value).__name__} has no content key; pass "
                    "DataFrames, str, int, float, bool, None, ranges, or lists and tuples of them "
                    "(convert a numpy array with .tolist(), a numpy number with int() or float())")


def content_memo(maxsize: int = 256) -> Callable[[F], F]:
    """Decorator: results of ``func`` remembered by the content of its arguments (frames by
    ``frame_digest``; str, numbers, None, ranges, lists and tuples of them by value). An iterator (a generator…)
    argument is read into a tuple first, so that it can be both keyed and passed on.
    ``func.cache_clear()`` empties the memo."""

    def decorate(func: F) -> F:
        store: OrderedDict[tuple, object] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            args = tuple(tuple(a) if isinstance(a, Iterator) else a for a in args)
            kwargs = {k: tuple(v) if isinstance(v, Iterator) else v for k, v in kwargs.items()}
            key = (tuple(_key_part(a) for a in args),
                   tuple(sorted((k, _key_part(v)) for k, v in kwargs.items())))
            with lock:
                if key in store:
                    store.move_to_end(key)
                    return _copy(store[key])
            result = func(*args, **kwargs)
            with lock:
                store[key] = _copy(result)
                while len(store) > maxsize:
                    store.popitem(last=False)
            return _copy(result)

        def cache_clear() -> None:
            with lock:
                store.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
