"""Page « Mutualisation » through AppTest: live total, scenarios saved in SQLite, URL, goal-seek."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.paths import ROOT
from lib.ui import mutualisation as mut

PAGE = str(ROOT / "pages" / "mutualisation.py")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("PACTE_HLM_DB", str(path))
    return path


def new_session(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def fund(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Fonds de mutualisation")


def test_page_runs_and_shows_the_preset(db):
    at = new_session()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert fund(at) == "279,0\u00a0M€"
    labels = {m.label for m in at.metric}
    assert {"Régions contributrices nettes", "Régions bénéficiaires nettes"} <= labels
    assert any("Aucune donnée publique" in md.value for md in at.markdown)


def test_moving_a_slider_changes_the_fund_total(db):
    at = new_session()
    before = fund(at)
    at.slider(key="a_z1").set_value(4000.0).run()
    assert fund(at) != before
    assert fund(at) == "294,1\u00a0M€"  # 21 660 dwellings in zones 1/1 bis × 700 € more


def test_split_not_summing_to_100_shows_a_french_error(db):
    at = new_session()
    at.slider(key="p_loyers").set_value(60.0).run()
    assert not at.exception
    assert any("totaliser 100 %" in e.value for e in at.error)


def test_url_parameters_restore_a_scenario(db):
    label = mut.SCENARIOS["prioritaires_objectif"].libelle  # selectboxes bind their label
    at = new_session(a_z1="4000.0", scen=label)
    assert at.slider(key="a_z1").value == 4000.0
    assert at.selectbox(key="scen").value == "prioritaires_objectif"
    ref = new_session()
    ref.slider(key="a_z1").set_value(4000.0).run()
    ref.selectbox(key="scen").set_value("prioritaires_objectif").run()
    assert fund(at) == fund(ref)
    # and the link shown on the page carries the changed values
    assert any("a_z1=4000.0" in c.value and "scen=" in c.value for c in at.code)


def test_saved_scenario_is_listed_after_rerun_and_in_a_new_session(db):
    at = new_session()
    at.slider(key="a_z1").set_value(3500.0).run()
    at.text_input[0].input("Zone 1 à 3 500 €")
    at.button(key="FormSubmitter:mut_save-Enregistrer").click().run()
    assert not at.exception
    at.run()
    assert "Zone 1 à 3 500 €" in at.selectbox(key="mut_saved").options
    other = new_session()  # a new session (as after a restart) on the same store
    assert "Zone 1 à 3 500 €" in other.selectbox(key="mut_saved").options
    # loading it puts the saved value back into the control
    before = fund(other)
    next(b for b in other.button if b.label == "Charger ce scénario").click().run()
    assert other.slider(key="a_z1").value == 3500.0
    assert fund(other) != before


def test_compare_two_saved_scenarios(db):
    from lib import store

    base = mut.default_values()
    store.save_scenario("Pacte", {"version": 1, "values": base})
    store.save_scenario("Zone 1 haute", {"version": 1, "values": {**base, "a_z1": 5000.0}})
    at = new_session()
    at.multiselect(key="mut_compare").select("Pacte").select("Zone 1 haute").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    totals = next(f for f in frames if "Écart Zone 1 haute − Pacte" in f.columns and "" in f.columns)
    row = totals[totals[""] == "Fonds total"].iloc[0]
    assert row["Écart Zone 1 haute − Pacte"] == "+36,8\u00a0M€"  # 21 660 × 1 700 €


def test_goal_seek_finds_and_applies_the_zone_1_aid(db):
    at = new_session(v_prod="130000.0")
    assert fund(at) != "279,0\u00a0M€"
    at.number_input(key="mut_gs_target").set_value(280.0)
    at.button(key="mut_gs_run").click().run()
    assert at.success, "la valeur cible est trouvée"
    next(b for b in at.button if b.label == "Appliquer cette valeur").click().run()
    assert fund(at) == "280,0\u00a0M€"


def test_exports_are_french_excel_friendly():
    _, regions = mut.compute(mut.default_values())
    frame = mut.export_frame(regions)
    csv = mut.to_csv_bytes(frame)
    assert csv.startswith("\ufeff".encode("utf-8"))
    back = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Solde net (€)"].sum() == pytest.approx(0, abs=1)
    assert back["Aides reçues (€)"].sum() == pytest.approx(regions["aide_totale_eur"].sum(), rel=1e-9)
    xlsx = mut.to_xlsx_bytes({"Régions": frame})
    assert len(pd.read_excel(io.BytesIO(xlsx))) == 22


def test_map_is_offline_and_diverging():
    from lib import geo
    from lib.offline_map import external_assets

    _, regions = mut.compute(mut.default_values())
    m = mut.flows_map(regions, geo.load_regions_geo())
    assert external_assets(m) == []
    assert mut.flow_colour(-10, 10) != mut.flow_colour(10, 10)
    html = m.get_root().render()
    assert "Solde net" in html and "M\\u20ac" in html  # French amounts, JSON-escaped
