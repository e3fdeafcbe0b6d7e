"""Read-only tables, readable from the back of a room in presentation mode.

``dataframe`` takes what ``st.dataframe`` takes. Out of presentation mode it is ``st.dataframe``
with the same arguments (nothing changes). In presentation mode it draws ``st.table``: its
cells are HTML, which the presentation's CSS enlarges (``lib.ui._PRESENTATION_CSS``), in a box
that scrolls sideways instead of cutting; st.dataframe's grid is painted on a canvas at the
theme's size and cannot be enlarged for one session. The cells are French text escaped for
markdown, link columns live links to relative or http(s) addresses only (``lib.table_view``),
at most ``table_view.MAX_ROWS`` rows with a sentence saying what is left out.

Editable tables (``st.data_editor``) stay editors in presentation mode.

``static_table`` is for a short read-only table visible when a page opens: drawn as HTML
(``st.table``, the same escaped French cells), every row shown, with the interactive grid (sort,
search, column widths, full screen, CSV download) one click away in a lazy expander. The grid's
JavaScript (156 KB compressed) is then downloaded only by a reader who opens it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib import table_view
from lib.ui import lazy, presentation_requested

GRID_LABEL = "Trier, chercher ou télécharger ce tableau"  # the lazy expander holding the grid

# rows above which the presented table gets a box of its own that scrolls (header kept in view)
SCROLL_ROWS = 12
SCROLL_HEIGHT = 520  # px: the box's height, under a 720 px viewport's height with the title above


def dataframe(data: Any = None, *, where: Any = None, **kwargs: Any):
    """``st.dataframe(data, **kwargs)`` (on ``where``, a container or column, if given), or in
    presentation mode the same table large (``st.table``)."""
    target = st if where is None else where
    if not presentation_requested() or kwargs.get("on_select", "ignore") != "ignore":
        return target.dataframe(data, **kwargs)
    table = table_view.readable_table(data, kwargs.get("column_config"), hide_index=kwargs.get("hide_index"),
                                      column_order=kwargs.get("column_order"),
                                      placeholder=kwargs.get("placeholder"))
    key = kwargs.get("key")
    box = target.container(key=f"{key}_presentation" if key else None)
    height = SCROLL_HEIGHT if table.shown_rows > SCROLL_ROWS else "content"
    box.table(table.frame, hide_index=True, border="horizontal", height=height, alt=kwargs.get("alt"))
    note = table_view.hidden_rows_note(table)
    if note:
        box.caption(note)
    return None


def static_table(data: Any, *, key: str, grid_label: str = GRID_LABEL, **kwargs: Any) -> None:
    """A short read-only table as HTML, every row, its grid (``st.dataframe(data, **kwargs)``)
    built once the expander ``grid_label`` below is opened; in presentation mode ``dataframe``'s
    large table. ``key`` names the expander (unique on the page)."""
    if presentation_requested():
        dataframe(data, **kwargs)
        return
    frame = data if hasattr(data, "__len__") else list(data)
    table = table_view.readable_table(frame, kwargs.get("column_config"), hide_index=kwargs.get("hide_index"),
                                      column_order=kwargs.get("column_order"),
                                      placeholder=kwargs.get("placeholder"), max_rows=max(len(frame), 1),
                                      cited=True)
    # a long table gets its own box, which Streamlit makes a focusable region (a keyboard can
    # scroll it sideways: axe's scrollable-region-focusable), header kept in view
    height = SCROLL_HEIGHT if table.shown_rows > SCROLL_ROWS else "content"
    st.table(table.frame, hide_index=True, border="horizontal", height=height)
    with lazy.expander(grid_label, key=key) as shown:
        if shown:
            st.dataframe(frame, **kwargs)
