"""Containers whose content is built only while the reader can see it.

A collapsed ``st.expander`` or a tab not shown still runs its content, sends it and makes the
browser draw it (a table pulls the data grid's JavaScript, ~290 KB, into the page). With a key and
``on_change="rerun"`` (Streamlit's lazy containers) opening one reruns the page (or the fragment
it sits in) and ``.open`` says whether to build it. The open state lives in the session under the
key, so a rerun keeps it; a test opens one by setting that key (``True``, or the tab's label).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import streamlit as st


@contextmanager
def expander(label: str, *, key: str, expanded: bool = False, **kwargs) -> Iterator[bool]:
    """``with lazy.expander(label, key=…) as shown:`` — an expander; ``shown`` is whether it is
    open, that is whether to build its content. ``key`` must be unique on the page."""
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun", **kwargs)
    with box:
        yield bool(box.open)


def tabs(labels: Sequence[str], *, key: str) -> Sequence:
    """Tabs of which only the one shown is built: draw a tab's content only if its ``.open``."""
    return st.tabs(list(labels), key=key, on_change="rerun")


def keep_state(key: str) -> None:
    """Keep the value of the widget ``key`` over a run that does not draw it (it sits in a tab not
    shown): Streamlit forgets a widget's state when a run leaves it out, unless the script set it."""
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]
