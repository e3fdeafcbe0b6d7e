"""AppTest of presentation mode and the guided sequence: steps forward and back, the address
restores step, region and scenario (bad values said in French), the sidebar is collapsed and
chart text is at the presentation size in the spec sent to the browser."""

import json
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import charts, store
from lib.paths import ROOT


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))
    return tmp_path / "store.sqlite3"


def sequence(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in {"presentation": "true", **query}.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/presentation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def step_shown(at) -> str:
    return next(h.value for h in at.subheader if h.value.startswith("Étape"))


def phrase(at) -> str:
    return " ".join(m.value for m in at.markdown if m.value.startswith(("De 20", "Régions prioritaires", "Avec ")))


def test_the_sequence_steps_forward_and_back():
    at = sequence()
    assert step_shown(at).startswith("Étape 1 sur 4")
    assert at.button(key="pres_precedent").disabled
    assert "logements sociaux ont été financés en France" in phrase(at)
    for n in (2, 3, 4):
        at.button(key="pres_suivant").click().run()
        assert step_shown(at).startswith(f"Étape {n} sur 4") and at.query_params["sequence"] == str(n)
    assert at.button(key="pres_suivant").disabled
    at.button(key="pres_precedent").click().run()
    assert step_shown(at).startswith("Étape 3 sur 4") and at.query_params["sequence"] == "3"
    assert not at.exception and not at.error


def test_the_address_restores_step_and_region():
    at = sequence(sequence="3", region="93")
    assert step_shown(at).startswith("Étape 3 sur 4")
    assert "Provence\\-Alpes\\-Côte d'Azur a financé" in phrase(at)
    assert "estimé" in phrase(at), "the regional objective is an estimate"
    line = next(c.value for c in at.caption if c.value.startswith("Sources"))
    # the objectives' sources are dated too: the pact's date for an allocated objective
    assert "date inconnue" not in line and "8 juillet 2013" in line, line


def test_priority_regions_screen_names_the_three_regions():
    text = phrase(sequence(sequence="2"))
    for name in ("Île\\-de\\-France", "Provence\\-Alpes\\-Côte d'Azur", "Languedoc\\-Roussillon"):
        assert name in text
    assert "estimés" in text


def test_a_saved_scenario_is_presented_by_name(own_store):
    store.save_scenario("Aides relevées", {"version": 1, "values": {"aide_z1": 4000}}, path=own_store)
    store.save_scenario("Autre", {"version": 1, "values": {}}, path=own_store)
    at = sequence(sequence="4", scenario="Aides relevées")
    assert "scénario « Aides relevées »" in phrase(at)
    assert at.selectbox(key="pres_scenario").value == "Aides relevées"
    at.selectbox(key="pres_scenario").set_value("Autre").run()
    assert at.query_params["scenario"] == "Autre" and "« Autre »" in phrase(at)


def test_without_a_saved_scenario_the_defaults_are_labelled_as_such():
    at = sequence(sequence="4")
    assert "réglages par défaut du simulateur" in phrase(at)
    assert any("Aucun scénario enregistré" in w.value for w in at.warning)


@pytest.mark.parametrize("name, value, said", [("sequence", "9", "étape de la présentation"),
                                               ("region", "999", "région"),
                                               ("scenario", "Inconnu", "scénario enregistré")])
def test_bad_values_in_the_address_are_reported_in_french(name, value, said):
    at = sequence(**{name: value})
    assert any(said in w.value and "inutilisable" in w.value for w in at.warning), [w.value for w in at.warning]
    assert step_shown(at).startswith("Étape 1 sur 4")
    assert name not in at.query_params


@pytest.mark.parametrize("query, state", [({"presentation": "true"}, "collapsed"), ({}, "auto"),
                                          ({"presentation": "false"}, "auto")])
def test_presentation_mode_collapses_the_sidebar(query, state):
    """What app.py asks of st.set_page_config on opening the address (the toggle turned on in the
    page folds the sidebar too: tests/browser/test_presentation_browser.py)."""
    states = []
    real = st.set_page_config

    def spy(*args, **kwargs):
        states.append(kwargs.get("initial_sidebar_state"))
        return real(*args, **kwargs)

    with mock.patch.object(st, "set_page_config", spy):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
    assert not at.exception
    assert states == [state]


def test_presentation_mode_scales_chart_text_in_the_spec():
    def axis_sizes(at):
        specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
        return {s["config"]["axis"]["labelFontSize"] for s in specs if "axis" in s.get("config", {})}

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert axis_sizes(at) == {charts.FONT_SIZE}
    at.toggle(key="presentation").set_value(True).run()
    assert axis_sizes(at) == {charts.PRESENTATION_FONT_SIZE}
