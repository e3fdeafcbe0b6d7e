"""French in the page elements themselves (AppTest): a missing cell reads "n.d." instead of
Streamlit's "None", selects and multiselects have a French placeholder, charts a French
description for assistive technology."""

import json

import pytest

from lib import fmt
from tests.test_pages import run_page

CASES = [("pages/accueil.py", {}), ("pages/carte.py", {}), ("pages/region.py", {"region": "91"}),
         ("pages/mutualisation.py", {}), ("pages/donnees.py", {})]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    import os

    os.environ["PACTE_HLM_DB"] = str(tmp_path_factory.mktemp("db") / "store.sqlite3")
    return {page: Seen(run_page(page, **query), page) for page, query in CASES}


class Seen:
    """The elements a reader can bring up on a page: each tab of « Données » shown in turn, every
    lazy expander opened (their content is built only once open, ``lib.ui.lazy``)."""

    KINDS = ("dataframe", "multiselect", "vega_lite_chart")

    def __init__(self, at, page: str):
        from lib.ui import donnees
        from lib.views import donnees as donnees_view
        from tests.lazy_open import open_expanders, show_tab

        self.found = {kind: [] for kind in self.KINDS}
        for label in donnees_view.TABS if page == "pages/donnees.py" else [None]:
            if label is not None:
                show_tab(at, donnees.TAB_KEY, label)
            open_expanders(at)
            assert not at.exception, (page, label, [e.value for e in at.exception])
            for kind in self.KINDS:
                self.found[kind] += list(at.get(kind))

    @property
    def dataframe(self):
        return self.found["dataframe"]

    @property
    def multiselect(self):
        return self.found["multiselect"]

    def get(self, kind: str):
        return self.found[kind]


@pytest.mark.parametrize(("page", "query"), CASES)
def test_missing_cells_read_nd(pages, page, query):
    at = pages[page]
    for df in at.dataframe:
        frame = df.value
        if frame.isna().to_numpy().any():
            assert df.proto.placeholder == fmt.MISSING, f"{page}: {list(frame.columns)} montre « None »"


@pytest.mark.parametrize(("page", "query"), CASES)
def test_choices_have_a_french_placeholder(pages, page, query):
    at = pages[page]
    for ms in at.multiselect:
        assert ms.proto.placeholder and "Choose" not in ms.proto.placeholder, ms.label


@pytest.mark.parametrize(("page", "query"), CASES)
def test_every_chart_has_a_french_description(pages, page, query):
    at = pages[page]
    charts = at.get("vega_lite_chart")
    assert charts or page == "pages/carte.py", f"{page}: no chart found"
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        # the French title for assistive technology is the spec's description (Vega gives it to
        # the chart's aria-label); a separate alt, if any, must say the same
        description = spec.get("description") or ""
        assert len(description) > 20, f"{page}: chart without its French alternative title"
        assert chart.proto.alt in ("", description), f"{page}: {chart.proto.alt}"
