"""Crafted addresses, per parameter: a value outside its domain, between two slider steps, not a
number, unknown, or given twice is reported once in French; the page then shows the default (or
the nearest step), never a traceback, and nothing from the address reaches the page unescaped."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.mutualisation_inputs import SCENARIOS
from lib.paths import ROOT
from lib.plain_text import visible
from lib.url_state import UrlParam, check_query, check_value, simulator_params
from lib.views.mutualisation import default_values

MUT = str(ROOT / "pages" / "mutualisation.py")
PARAMS = simulator_params()
SLIDERS = [p for p in PARAMS if p.kind == "number"]
STEPPED = [p for p in SLIDERS if not p.free]
PAYLOAD = "<script>alert(1)</script>"


def shown(at: AppTest) -> str:
    return visible("\n".join(str(w.value) for w in at.warning)).replace("\\", "")


def open_simulator(tmp_path, monkeypatch, params: dict) -> AppTest:
    """The simulator page opened on an address with ``params`` (its own empty store), run once
    without an exception."""
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "s.sqlite3"))
    at = AppTest.from_file(MUT, default_timeout=180)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def bad_value(p: UrlParam) -> str:
    return {"number": str((p.hi or 0) * 10 + 12345), "bool": "oui", "choice": "inconnu"}[p.kind]


# ---------------------------------------------------------------------------------------------
# lib/url_state.py, every parameter of the simulator


@pytest.mark.parametrize("param", PARAMS, ids=[p.name for p in PARAMS])
def test_every_simulator_parameter_refuses_values_outside_its_domain(param):
    fix = check_value(param, bad_value(param))
    assert fix is not None and fix[0] is None
    assert f"« {param.name}=" in fix[1] and "valeur par défaut" in fix[1]
    for junk in ("", "nan", "inf", PAYLOAD):
        assert check_value(param, junk) is not None


@pytest.mark.parametrize("param", STEPPED, ids=[p.name for p in STEPPED])
def test_every_slider_brings_a_value_between_two_steps_to_the_nearest(param):
    inside = param.lo + param.step * 2.4
    assert not any(abs(inside - x) < 1e-6 for x in param.exact)
    replacement, message = check_value(param, str(inside))
    assert float(replacement) == pytest.approx(param.lo + param.step * 2)
    assert "entre deux crans" in message
    assert check_value(param, repr(param.lo + param.step * 3)) is None  # on a step: fine
    assert check_value(param, str(param.hi)) is None


@pytest.mark.parametrize("param", PARAMS, ids=[p.name for p in PARAMS])
def test_every_parameter_given_twice_is_ignored(param):
    default = str(default_values()[param.name])
    fixes = check_query({param.name: [default, default]}, [param])
    assert len(fixes) == 1 and fixes[0].replacement is None and "figure 2 fois" in fixes[0].message


def test_values_the_page_writes_itself_pass():
    """Defaults, cited volumes (« Partir des chiffres cités de l'année ») and results of « Valeur
    cible » fall between steps: a link that carries them is not « corrected »."""
    from lib.mutualisation_inputs import data_assumptions
    from lib.views.mutualisation import control_value, controls

    by_key = {p.name: p for p in PARAMS}
    cited, _ = data_assumptions(2015)
    for c in controls():
        if c.target == "volumes" and c.kind == "slider":
            assert check_value(by_key[c.key], repr(control_value(c, getattr(cited, c.field)))) is None, c.key
    assert check_value(by_key["a_z1"], "3471.234567") is None  # a goal-seek result
    assert check_value(by_key["p_loyers"], "50.5") is not None  # a share set by hand only: stepped


def test_valid_values_pass():
    defaults = default_values()
    query = {}
    for p in PARAMS:
        v = defaults[p.name]
        query[p.name] = [str(v).lower() if isinstance(v, bool) else (SCENARIOS[v].libelle if p.name == "scen" else
                                                                       str(v))]
    assert check_query(query, PARAMS) == []


# ---------------------------------------------------------------------------------------------
# Pages, through AppTest


def test_simulator_reports_every_bad_value_once_and_uses_defaults(tmp_path, monkeypatch):
    at = open_simulator(tmp_path, monkeypatch, {p.name: bad_value(p) for p in PARAMS})
    text = shown(at)
    for p in PARAMS:
        assert f"« {p.name}=" in text, f"{p.name} non signalé : {text[:300]}"
    defaults = default_values()
    assert at.slider(key="a_z1").value == defaults["a_z1"]
    assert at.toggle(key="exo_cot").value == defaults["exo_cot"]
    assert at.radio(key="scen").value == defaults["scen"]
    assert at.segmented_control(key="annee").value == defaults["annee"]
    at.run()  # reported once: not again on the next run
    assert "inutilisable" not in shown(at)


def test_simulator_empty_year_or_scenario_keeps_a_choice(tmp_path, monkeypatch):
    """« ?annee= » would clear a bound segmented control (Streamlit treats an empty value as « no
    choice »): the address check removes it first, so the year stays chosen and the page runs."""
    at = open_simulator(tmp_path, monkeypatch, {"annee": "", "scen": ""})
    assert "« annee=(vide) »" in shown(at) and "« scen=(vide) »" in shown(at), shown(at)
    assert at.segmented_control(key="annee").value == 2013 and at.session_state["annee"] == 2013
    assert at.radio(key="scen").value == "base"


def test_simulator_brings_off_step_values_to_the_nearest_step(tmp_path, monkeypatch):
    at = open_simulator(tmp_path, monkeypatch, {
        "v_z1": "30.4",  # step 1
        "v_prod": "120400",  # step 1 000
    })
    assert at.slider(key="v_z1").value == 30.0
    assert at.slider(key="v_prod").value == 120000.0
    assert "« v_prod=120400 »" in shown(at) and "ramené à 120\u202f000" in shown(at)


def test_simulator_parameter_given_twice_uses_the_default(tmp_path, monkeypatch):
    at = open_simulator(tmp_path, monkeypatch, {"a_z1": ["3500.0", "4000.0"]})
    assert at.slider(key="a_z1").value == default_values()["a_z1"]
    assert "« a_z1 »" in shown(at) and "figure 2 fois" in shown(at)


@pytest.mark.parametrize(("value", "fragment"), [
    ("99", "« region=99 »"), (PAYLOAD, "« region=<script>alert(1)</script> »"), (["53", "93"], "figure 2 fois"),
])
def test_region_page_reports_a_bad_region(value, fragment):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.query_params["region"] = value
    at.switch_page("pages/region.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert fragment in shown(at), shown(at)
    assert "code INSEE d'une région d'avant 2016" in shown(at) or "figure 2 fois" in shown(at)
    assert all(PAYLOAD not in str(w.value) for w in at.warning)  # escaped in the markdown


@pytest.mark.parametrize("value", ["oui", "1", ["true", "false"]])
def test_presentation_mode_reports_a_bad_value(value):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["presentation"] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "presentation" in shown(at) and ("true ou false" in shown(at) or "figure 2 fois" in shown(at))
    assert at.toggle(key="presentation").value is False


def test_backtest_section_reports_each_bad_value_once(tmp_path, monkeypatch):
    """« Confronter le simulateur aux chiffres publiés »: its view, campaign and region come from
    the address too; Streamlit dropped an unknown one silently."""
    at = open_simulator(tmp_path, monkeypatch, {"verif": "Nimporte", "campagne": "1999", "sens_region": PAYLOAD})
    text = shown(at)
    assert "« verif=Nimporte » (vue) n'est pas un choix possible (Rejouer une campagne, Sensibilité)" in text, text
    assert "« campagne=1999 » (campagne rejouée) n'est pas un choix possible (2014, 2015, 2016)" in text, text
    assert f"« sens_region={PAYLOAD} »" in text and "nom d'une région d'avant 2016" in text, text
    assert all(PAYLOAD not in str(w.value) for w in at.warning)  # escaped in the markdown
    assert at.segmented_control(key="verif").value is None  # nothing computed: the default view
    at.run()
    assert "inutilisable" not in shown(at)


def test_backtest_section_keeps_the_values_its_widgets_write(tmp_path, monkeypatch):
    from lib.url_state import backtest_params

    at = open_simulator(tmp_path, monkeypatch, {"verif": "Rejouer une campagne", "campagne": "2014"})
    assert "inutilisable" not in shown(at)
    assert at.selectbox(key="campagne").value == 2014
    params = backtest_params(["Rejouer une campagne", "Sensibilité"], [2014, 2015], ["Bretagne", "Île-de-France"])
    assert check_query({"sens_region": ["Île-de-France"], "verif": ["Sensibilité"]}, params) == []
    assert [p.name for p in backtest_params(["Sensibilité"], [], ["Bretagne"])] == ["verif", "sens_region"]
