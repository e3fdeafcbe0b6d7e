"""Every page runs through the real frame (app.py + st.navigation) without an exception."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.paths import ROOT
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


def test_donnees_lists_files_and_coverage():
    at = run_page("pages/donnees.py")
    files = at.dataframe[0].value
    assert "figures.csv" in files.iloc[:, 0].tolist()
    assert "pacte_parametres.yaml" in files.iloc[:, 0].tolist()
    at.session_state[donnees.TAB_KEY] = "Couverture"  # the tab's click (lazy tabs: built when shown)
    at.run()
    before = at.caption[0].value
    at.selectbox(key="cov_indicator").set_value("rehab_eco_pls").run()
    assert at.caption[0].value != before
