"""Open lazy containers in an AppTest as a reader's click does (``lib.ui.lazy``): their content is
built only once open, so a test that reads it opens it first, by its label."""

from __future__ import annotations

from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.testing.v1 import AppTest


def expander_key(at: AppTest, label: str) -> str:
    """The session key of the lazy expander labelled ``label`` (fails if there is none)."""
    found = [e for e in at.expander if e.label == label]
    assert found, f"pas d'expandeur « {label} » : {[e.label for e in at.expander]}"
    key = user_key_from_element_id(found[0].proto.id)
    assert key, f"l'expandeur « {label} » n'est pas paresseux (sans clé)"
    return key


def open_expander(at: AppTest, label: str) -> AppTest:
    """Open the expander labelled ``label`` and rerun (what a click on it does)."""
    at.session_state[expander_key(at, label)] = True
    return at.run()


def open_expanders(at: AppTest) -> AppTest:
    """Open every lazy expander of the page, rerunning until none is left closed (an expander
    may appear only once another is open)."""
    for _ in range(5):
        closed = [k for e in at.expander if (k := user_key_from_element_id(e.proto.id) if e.proto.id else None)
                  and not (k in at.session_state and at.session_state[k])]
        if not closed:
            return at
        for key in closed:
            at.session_state[key] = True
        at.run()
    return at


def show_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Show the tab ``label`` of the lazy tabs keyed ``key`` and rerun (what its click does)."""
    at.session_state[key] = label
    return at.run()


def frames_of_every_tab(at: AppTest, key: str, labels) -> list:
    """The dataframes shown by each tab of the lazy tabs ``key`` in turn (and their open expanders)."""
    frames = []
    for label in labels:
        open_expanders(show_tab(at, key, label))
        assert not at.exception, (label, [e.value for e in at.exception])
        frames += [d.value for d in at.dataframe]
    return frames
