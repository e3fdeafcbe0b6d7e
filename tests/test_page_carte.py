"""AppTest of the map page: it runs, and the table follows the indicator and the year."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT = 120
APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture
def carte():
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.switch_page("pages/carte.py")
    return at.run()


def _table(at):
    return [df for df in (d.value for d in at.dataframe) if "Région" in df.columns and "Nature" in df.columns][-1]


def test_page_runs(carte):
    assert not carte.exception
    assert carte.title[0].value == "Carte des régions"
    table = _table(carte)
    assert len(table) == 27


def test_year_changes_the_table(carte):
    before = _table(carte)
    carte.selectbox(key="carte_periode_production").set_value("2014").run()
    after = _table(carte)
    assert not carte.exception
    assert not before.iloc[:, 1].equals(after.iloc[:, 1])
    assert carte.subheader[0].value.endswith("2014")


def test_indicator_changes_the_table(carte):
    carte.selectbox(key="carte_indicateur").set_value("taux").run()
    assert not carte.exception
    table = _table(carte)
    assert "Taux de réalisation de l'objectif" in table.columns and "Objectif" in table.columns
    carte.selectbox(key="carte_indicateur").set_value("rehab").run()
    assert not carte.exception
    assert "éco-prêt" in _table(carte).columns[1]


def test_rule_changes_the_objectives(carte):
    carte.selectbox(key="carte_indicateur").set_value("taux").run()
    before = _table(carte)["Objectif"].copy()
    carte.selectbox(key="carte_regle").set_value("production").run()
    assert not carte.exception
    assert not before.equals(_table(carte)["Objectif"])
