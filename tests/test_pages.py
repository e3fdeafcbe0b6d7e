"""Every page runs through the real frame (app.py + st.navigation) without an exception."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.paths import ROOT
from lib.plain_text import md_escape
from lib.ui import donnees
from lib.views import donnees as donnees_view
from tests.lazy_open import open_expanders

PAGES = ["pages/accueil.py", "pages/carte.py", "pages/region.py", "pages/mutualisation.py", "pages/donnees.py",
         "pages/presentation.py"]


def run_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page != "pages/accueil.py":
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page, tmp_path, monkeypatch):
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, "chaque page a un titre"
    # what is hidden at open (lazy tabs and expanders) is built once opened: it runs cleanly too
    for label in donnees_view.TABS if page == "pages/donnees.py" else [None]:
        if label is not None:
            at.session_state[donnees.TAB_KEY] = label
            at.run()
        open_expanders(at)
        assert not at.exception, (label, [e.value for e in at.exception])
        assert not at.error, (label, [e.value for e in at.error])


def test_accueil_shows_real_national_figures():
    at = run_page("pages/accueil.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["2013"].replace("\u202f", " ") == "117 065"
    assert metrics["2015"].replace("\u202f", " ") == "108 921"
    assert any("cité" in md.value for md in at.markdown)


def test_accueil_reading_table_is_static_with_its_grid_one_click_away():
    """The national reading table at open: HTML (every year, French rates and gaps, escaped), not
    the grid, whose JavaScript the page then does not download; the grid, with the same rows, in
    the expander naming it (built once opened); in presentation mode, the large table only."""
    from lib import data, region_report
    from lib.params import load_params
    from lib.views import accueil as accueil_view
    from tests.lazy_open import open_expander

    params = load_params()
    expected = region_report.national_reading_table(data.national_production(data.load_figures(), params), params)
    at = run_page("pages/accueil.py")
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Organismes Hlm" in " ".join(d.value.columns) for d in at.dataframe)  # no grid of it
    static = next(t.value for t in at.table if md_escape(expected.columns[-1]) in t.value.columns)
    assert len(static) == len(expected) == 3
    for column in expected.columns:
        assert static[md_escape(column)].tolist() == [md_escape(v) for v in expected[column]]
    shown = len(at.dataframe)
    open_expander(at, accueil_view.READING_GRID_LABEL)
    assert len(at.dataframe) == shown + 1
    grid = next(d.value for d in at.dataframe if expected.columns[-1] in d.value.columns)
    pd.testing.assert_frame_equal(grid.reset_index(drop=True), expected)
    presented = run_page("pages/accueil.py", presentation="true")
    assert accueil_view.READING_GRID_LABEL not in [e.label for e in presented.expander]
    assert any(md_escape(expected.columns[-1]) in t.value.columns for t in presented.table)


def test_accueil_opens_without_any_grid_its_tables_static():
    """Every table Accueil shows at open (national reading, pace, renovation) is HTML: the page
    downloads no grid JavaScript; the pace and renovation grids are each one click away."""
    from lib.views import region as region_view
    from tests.lazy_open import open_expander

    at = run_page("pages/accueil.py")
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe) == 0
    assert len(at.table) >= 3
    for label in (region_view.PACE_GRID_LABEL, region_view.RENOVATION_GRID_LABEL):
        assert [e.label for e in at.expander].count(label) == 1
        before = len(at.dataframe)
        open_expander(at, label)
        assert len(at.dataframe) == before + 1, label


def test_donnees_lists_files_and_coverage():
    from tests.lazy_open import open_expander

    at = run_page("pages/donnees.py")
    files = at.table[0].value  # a static table at open (lib.ui.tables.static_table)
    assert md_escape("figures.csv") in files.iloc[:, 0].tolist()
    assert md_escape("pacte_parametres.yaml") in files.iloc[:, 0].tolist()  # st.table reads markdown: escaped
    assert not at.dataframe  # the grid waits for its expander: the page opens without its JavaScript
    open_expander(at, donnees_view.CATALOGUE_GRID_LABEL)
    grid = at.dataframe[0].value
    assert "pacte_parametres.yaml" in grid.iloc[:, 0].tolist()
    assert len(grid) == len(files) and len(files) > 10  # every row shown in the static table
    at.session_state[donnees.TAB_KEY] = "Couverture"  # the tab's click (lazy tabs: built when shown)
    at.run()
    before = at.caption[0].value
    at.selectbox(key="cov_indicator").set_value("rehab_eco_pls").run()
    assert at.caption[0].value != before


def test_what_is_hidden_at_open_is_built_once_opened(tmp_path, monkeypatch):
    """A folded expander or a tab not shown sends nothing (``lib.ui.lazy``); opened, it shows
    its table, and the open state survives the next rerun."""
    from tests.lazy_open import open_expander, show_tab

    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))

    def columns(at):
        return [tuple(d.value.columns) for d in at.dataframe]

    home = run_page("pages/accueil.py")
    assert not any("Série" in c for c in columns(home))  # « Chiffres, natures et sources »
    open_expander(home, "Chiffres, natures et sources")
    assert any("Série" in c for c in columns(home))
    assert any("Série" in c for c in columns(home.run()))

    region = run_page("pages/region.py", region="91")
    twins = [e.label for e in region.expander].count("Les chiffres du graphique (tableau)")
    assert twins >= 2, [e.label for e in region.expander]
    shown = len(region.dataframe)
    open_expander(region, "Les chiffres du graphique (tableau)")
    assert len(region.dataframe) == shown + 1  # the first twin only: each chart's expander has its own key

    page = run_page("pages/donnees.py")
    assert not any("Texte de référence" in c for c in columns(page))
    show_tab(page, donnees.TAB_KEY, "Paramètres du pacte")
    assert any("Texte de référence" in c for c in columns(page))
    assert not any("Fichier (data/)" in c for c in columns(page))  # the files' tab is not built now
