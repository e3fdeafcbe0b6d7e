"""AppTest of the read-only tables (lib/ui/tables.py): a grid (st.dataframe) as before out of
presentation mode, a large static table (st.table, French escaped cells) in presentation mode."""

import pytest

from lib.plain_text import md_escape
from lib.ui import donnees
from tests.lazy_open import open_expanders
from tests.test_pages import run_page


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))


def test_out_of_presentation_mode_each_static_table_has_its_grid():
    at = open_expanders(run_page("pages/region.py", region="91"))  # the tables folded at open too
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe) >= 5
    # the tables visible at open are HTML (lib.ui.tables.static_table), each with its grid, now open
    statics = [list(t.value.columns) for t in at.get("table")]
    grids = [[md_escape(c) for c in d.value.columns] for d in at.dataframe]
    assert all(columns in grids for columns in statics), (statics, grids)
    assert len(statics) == len([e for e in at.expander if e.label.startswith("Trier, chercher ou télécharger")])


def test_in_presentation_mode_tables_are_large_static_tables():
    at = open_expanders(run_page("pages/region.py", region="91", presentation="true"))
    assert not at.exception, [e.value for e in at.exception]
    assert not at.dataframe, "no canvas grid at the theme's small size in presentation mode"
    tables = at.get("table")
    assert len(tables) >= 5
    label = md_escape("Rang (logements financés)")  # headers are markdown in st.table, escaped
    rank = next(t.value for t in tables if label in t.value.columns)
    assert rank["Année"].tolist()[:3] == ["2013", "2014", "2015"]
    assert all(" sur " in v for v in rank[label])


def test_presentation_tables_keep_links_and_labels():
    normal = show_params(run_page("pages/donnees.py"))
    grid = normal.dataframe[len(normal.dataframe) - 1].value  # the pact's parameters
    at = show_params(run_page("pages/donnees.py", presentation="true"))
    assert not at.exception, [e.value for e in at.exception]
    params = at.get("table")[-1].value
    assert len(params) == min(len(grid), 30)
    assert list(params.columns) == [md_escape(c) for c in grid.columns]
    links = [v for v in params["Adresse"] if v.startswith("[")]
    assert links and all("](https://" in v or "](http://" in v for v in links)


def show_params(at):
    """Show the tab of the pact's parameters, as its click does (lazy tabs: built when shown)."""
    at.session_state[donnees.TAB_KEY] = "Paramètres du pacte"
    return at.run()


def test_short_tables_of_donnees_are_static_with_the_grid_one_click_away():
    """« Fichiers » at open: the catalogue and the per-indicator summary as HTML tables (every row,
    French numbers), each with its grid (sort, search, download) in a lazy expander of its own."""
    from lib import data, fmt, sources
    from lib.views import donnees as view
    from tests.lazy_open import open_expander

    at = run_page("pages/donnees.py")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.dataframe
    summary = next(t.value for t in at.get("table") if md_escape("Sources distinctes") in t.value.columns)
    expected = sources.figures_summary(data.load_figures())
    assert len(summary) == len(expected)
    assert summary["Lignes"].tolist() == [fmt.fmt_int(n) for n in expected["Lignes"]]  # French numbers
    assert summary["Périodes"].tolist() == [md_escape(p) for p in expected["Périodes"]]
    labels = [e.label for e in at.expander]
    assert view.CATALOGUE_GRID_LABEL in labels and view.SUMMARY_GRID_LABEL in labels  # each names its table
    open_expander(at, view.CATALOGUE_GRID_LABEL)  # the catalogue's grid only
    assert len(at.dataframe) == 1 and "Reconstruction" in at.dataframe[0].value.columns
    presented = run_page("pages/donnees.py", presentation="true")
    assert not presented.dataframe and view.CATALOGUE_GRID_LABEL not in [e.label for e in presented.expander]
    assert any(md_escape("Sources distinctes") in t.value.columns for t in presented.get("table"))
