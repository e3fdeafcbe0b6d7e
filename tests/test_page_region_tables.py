"""AppTest: the Région page opens without a grid (``st.dataframe``): its tables visible at open
(rank, pace, renovation, peers) are HTML tables carrying every row in French, each with its grid
one click away in a lazy expander naming its table (``lib.ui.tables.static_table``)."""

from __future__ import annotations

from lib.plain_text import md_escape
from lib.views import region as view
from tests.lazy_open import open_expander
from tests.test_page_committee import open_page

# each grid's expander and a column only its table has
GRIDS = {view.RANK_GRID_LABEL: "Rang (logements financés)", view.PACE_GRID_LABEL: "Rythme nécessaire",
         view.RENOVATION_GRID_LABEL: "Objectif de la période", view.PEERS_GRID_LABEL: "Région"}


def _table(at, column: str):
    """The one static table of the page that has ``column`` (headers are markdown, escaped)."""
    found = [t.value for t in at.get("table") if md_escape(column) in t.value.columns]
    assert len(found) == 1, [list(t.value.columns) for t in at.get("table")]
    return found[0]


def test_region_opens_without_a_grid_its_tables_static_with_their_values():
    at = open_page("pages/region.py", region="91")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.dataframe  # no grid at open: the grid's JavaScript is not downloaded
    labels = [e.label for e in at.expander]
    for label in GRIDS:
        assert labels.count(label) == 1, labels  # each grid's expander names its table, once
    paced = _table(at, "Rythme nécessaire")[md_escape("Rythme nécessaire")].tolist()
    assert len(paced) >= 3 and any("\u202f" in v for v in paced)  # every year, French thousands
    peers = _table(at, "Région")
    assert any("Médiane nationale" in r for r in peers["Région"])
    assert md_escape("Languedoc-Roussillon (région du comité)") in peers["Région"].tolist()


def test_each_grid_is_built_once_its_expander_is_opened_with_every_row_the_table_shows():
    at = open_page("pages/region.py", region="91")
    statics = {label: _table(at, column) for label, column in GRIDS.items()}
    for n, (label, column) in enumerate(GRIDS.items(), start=1):
        open_expander(at, label)
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.dataframe) == n  # this grid only, added to those opened before
        grid = next(d.value for d in at.dataframe if column in d.value.columns)
        shown = statics[label]
        assert len(grid) == len(shown)  # every row
        assert [md_escape(c) for c in grid.columns] == list(shown.columns)
        first = grid.columns[0]
        assert [md_escape(str(v)) for v in grid[first]] == shown[md_escape(first)].tolist()


def test_presentation_mode_keeps_its_large_tables_without_grid_expanders():
    at = open_page("pages/region.py", region="91", presentation="true")
    assert not at.exception
    assert not at.dataframe
    labels = [e.label for e in at.expander]
    assert not any(label in labels for label in GRIDS)
    assert any(md_escape("Rythme nécessaire") in t.value.columns for t in at.get("table"))
