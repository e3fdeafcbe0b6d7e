"""Page « Mutualisation » through AppTest: live total, scenarios saved in SQLite, URL, goal-seek."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.mutualisation_inputs import SCENARIOS
from lib.paths import ROOT
from lib.store import NAME_MAX
from lib.ui import mutualisation as mut
from lib.views import mutualisation as view
from tests.test_page_committee import shared_addresses

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
    label = SCENARIOS["prioritaires_objectif"].libelle  # the radio binds its label, as the select box did
    at = new_session(a_z1="4000.0", scen=label, annee="2014")
    assert at.slider(key="a_z1").value == 4000.0
    assert at.radio(key="scen").value == "prioritaires_objectif"
    assert at.button_group(key="annee").value == 2014 and at.session_state["annee"] == 2014  # an int
    ref = new_session()
    ref.slider(key="a_z1").set_value(4000.0).run()
    ref.radio(key="scen").set_value("prioritaires_objectif").run()
    ref.button_group(key="annee").set_value(2014).run()
    assert fund(at) == fund(ref)
    # and the link shown on the page carries the changed values
    assert any("a_z1=4000.0" in c and "scen=" in c and "annee=2014" in c for c in shared_addresses(at))


def test_the_page_opens_without_a_select_box_while_no_scenario_is_saved(db):
    """The browser downloads the select box's own code (about 38 KB) only for a page that shows one:
    with an empty store the simulator shows none. The year is a segmented control (three
    short years side by side, one always chosen), the volumes scenario and the goal-seek's
    parameter are radio buttons (every option in sight); the first two are bound to the address."""
    at = new_session()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.selectbox and not at.multiselect
    year = at.segmented_control(key="annee")
    assert year.proto.query_param_key == "annee" and year.proto.required
    assert [o.content for o in year.proto.options] == ["2013", "2014", "2015"] and year.value == 2013
    scenario = at.radio(key="scen")
    assert scenario.proto.query_param_key == "scen" and scenario.value == "base"
    assert scenario.options == [s.libelle for s in SCENARIOS.values()]
    goalseek = view.goalseek_controls()
    field = at.radio(key="mut_gs_field")
    assert field.label == "Paramètre à ajuster" and field.value == next(iter(goalseek))
    assert field.options == [c.label for c in goalseek.values()]


def test_reset_and_cited_volumes_read_the_year_and_scenario_controls(db):
    at = new_session()
    at.button_group(key="annee").set_value(2015).run()
    at.radio(key="scen").set_value("prioritaires_objectif").run()
    assert at.session_state["annee"] == 2015
    next(b for b in at.button if b.label == "Partir des chiffres cités de l'année").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("chiffres cités de 2015" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Rétablir les valeurs du pacte").click().run()
    assert at.button_group(key="annee").value == 2013 and at.radio(key="scen").value == "base"
    assert fund(at) == "279,0\u00a0M€"


def test_saved_scenario_is_listed_after_rerun_and_in_a_new_session(db):
    at = new_session()
    at.slider(key="a_z1").set_value(3500.0).run()
    at.text_input[0].input("Zone 1 à 3 500 €")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
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

    base = view.default_values()
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


def test_goal_seek_adjusts_the_parameter_chosen_among_its_radio_buttons(db):
    goalseek = view.goalseek_controls()
    chosen = list(goalseek)[1]  # the aid in zones 2 and 3
    at = new_session(v_prod="130000.0")
    at.radio(key="mut_gs_field").set_value(chosen).run()
    at.number_input(key="mut_gs_target").set_value(280.0)
    at.button(key="mut_gs_run").click().run()
    assert at.success and "zone 2 ou 3" in at.success[0].value
    next(b for b in at.button if b.label == "Appliquer cette valeur").click().run()
    assert fund(at) == "280,0\u00a0M€"
    key = goalseek[chosen].key
    assert at.slider(key=key).value != view.default_values()[key]
    assert at.slider(key="a_z1").value == view.default_values()["a_z1"]  # the default parameter untouched


def test_goal_seek_result_survives_its_radio_moved_away_and_back_and_still_applies(db):
    """The goal-seek is its own fragment (a keyboard user's arrow keys on its radio buttons rerun
    only it): its result is kept for its parameter while another is looked at, the search reads
    the sliders as they are at the click, and « Appliquer » still moves the slider and the total
    (a full rerun from its callback)."""
    goalseek = view.goalseek_controls()
    first, other = list(goalseek)[:2]
    at = new_session()
    at.slider(key="v_prod").set_value(130000.0).run()  # moved after the page's first run
    at.number_input(key="mut_gs_target").set_value(280.0)
    at.button(key="mut_gs_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    found = [s.value for s in at.success]
    assert found and "zone 1 ou 1 bis" in found[0]  # the default parameter, the aid in zone 1
    at.radio(key="mut_gs_field").set_value(other).run()
    assert not at.success and not any(b.label == "Appliquer cette valeur" for b in at.button)
    at.radio(key="mut_gs_field").set_value(first).run()
    assert [s.value for s in at.success] == found
    next(b for b in at.button if b.label == "Appliquer cette valeur").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key=goalseek[first].key).value != view.default_values()[goalseek[first].key]
    assert fund(at) == "280,0\u00a0M€"
    assert any("fixé à" in i.value for i in at.info)  # the message, shown in the live fragment


def test_goal_seek_is_a_fragment_apart_from_the_live_results():
    import inspect

    src = inspect.getsource(mut)
    assert "@st.fragment\ndef render_goalseek(" in src and "@st.fragment\ndef _live(" in src


# ---------------------------------------------------------------------------------------------
# An imported per-body file (kind « organismes ») replaces the regional defaults

from tests.test_mutualisation_view import PAYLOAD, body_frame  # noqa: E402 (shared fixture)


def body_dataset(name: str = "Extraction CGLLS 2014"):
    from datetime import datetime

    from lib.importer import ImportedDataset

    return ImportedDataset(kind="organismes", name=name, loaded_at=datetime(2014, 6, 1, 9, 30), frame=body_frame())


def bodies_session(name: str = "Extraction CGLLS 2014", **query) -> AppTest:
    from lib.ui import KEY_IMPORTED

    at = AppTest.from_file(PAGE, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.session_state[KEY_IMPORTED] = {"organismes": body_dataset(name)}
    return at.run()


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def show_tab(at: AppTest, label: str) -> AppTest:
    """Open a results tab, as a click does (only the tab shown is built: lazy tabs)."""
    key = mut.STATE_KEYS["view_bodies" if "Par organisme" in [t.label for t in at.tabs] else "view"]
    at.session_state[key] = label
    return at.run()


def tables(at: AppTest, *tabs: str) -> dict:
    """The dataframes of the page with each of ``tabs`` shown in turn, by their columns."""
    out = {}
    for label in tabs:
        show_tab(at, label)
        out.update({tuple(d.value.columns): d.value for d in at.dataframe})
    return out


def test_imported_bodies_replace_the_regional_defaults(db):
    at = bodies_session()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    # aids: A 10 000 × 3 300 + 5 % × 100 M€ = 38 M€; B 5 000 × 1 300 + 1 000 × 600 = 7,1 M€;
    # C (exempt, still aided the first year) 10 000 × 1 300 + 5 % × 20 M€ = 14 M€
    assert fund(at) == "59,1\u00a0M€"
    assert any(
        "Calcul par organisme à partir du fichier importé : Extraction CGLLS 2014 (3 organismes)" in i.value
        for i in at.info
    )
    found = tables(at, "Tableau par région", "Par organisme")
    assert not at.exception, [e.value for e in at.exception]
    regions = next(v for cols, v in found.items() if "Région" in cols and "Données" in cols)
    assert sorted(regions["Région"]) == ["Bretagne", "Île-de-France"]
    assert set(regions["Données"]) == {"importé"}
    ile = regions[regions["Région"] == "Île-de-France"].iloc[0]
    assert ile["Aides reçues"] == "45,1\u00a0M€" and ile["Cotisation versée"] == "59,1\u00a0M€"
    assert regions[regions["Région"] == "Bretagne"].iloc[0]["Solde net"] == "+14,0\u00a0M€"
    bodies = next(v for cols, v in found.items() if "Organisme" in cols)
    assert len(bodies) == 3
    c = bodies[bodies["Identifiant"] == "C3"].iloc[0]
    assert (c["Exonéré"], c["Cotisation versée"], c["Solde net"]) == ("oui", "0\u00a0€", "+14\u202f000\u202f000\u00a0€")
    # the volume controls of the regional defaults are disabled, with the reason
    for key in ("v_prod", "v_z1", "part_exo"):
        assert at.slider(key=key).disabled
    assert at.radio(key="scen").disabled and at.button_group(key="annee").disabled
    assert not at.slider(key="a_z1").disabled
    assert "Fichier par organisme en usage" in all_text(at)


def test_sliders_still_move_the_body_computation(db):
    at = bodies_session()
    at.slider(key="a_z1").set_value(4000.0).run()
    assert fund(at) == "66,1\u00a0M€"  # A's 10 000 dwellings in zones 1/1 bis × 700 € more
    at.toggle(key="exo_aides").set_value(False).run()
    assert fund(at) == "52,1\u00a0M€"  # C (exempt) no longer aided: − 14 M€


def test_volume_parameters_in_the_url_do_not_change_a_body_computation(db):
    at = bodies_session(v_prod="130000.0", scen=SCENARIOS["prioritaires_objectif"].libelle)
    assert fund(at) == "59,1\u00a0M€"


def test_body_named_with_html_shows_as_text(db):
    at = bodies_session(name=PAYLOAD)
    assert not at.exception, [e.value for e in at.exception]
    show_tab(at, "Par organisme")
    bodies = next(d.value for d in at.dataframe if "Organisme" in d.value.columns)
    assert PAYLOAD in bodies["Organisme"].tolist()  # a dataframe cell: shown as typed
    text = all_text(at)
    assert PAYLOAD not in text  # never handed to markdown unescaped
    from lib.ui import md_text

    assert any(md_text(PAYLOAD) in i.value for i in at.info)  # the file's name, escaped


def test_without_bodies_the_page_keeps_regional_defaults(db):
    at = new_session()
    assert not any("Calcul par organisme" in i.value for i in at.info)
    assert not at.slider(key="v_prod").disabled
    assert [t.label for t in at.tabs] == ["Aides et cotisations par région", "Carte des soldes", "Tableau"]
    assert not any("Organisme" in cols for cols in tables(at, "Tableau"))


# ---------------------------------------------------------------------------------------------
# The store is shared by every user: nothing saved is lost silently, names are data


def save_as(at: AppTest, name: str) -> AppTest:
    field = next(t for t in at.text_input if t.label == "Nom du scénario à enregistrer")
    assert field.proto.max_chars == NAME_MAX  # the store's one limit, as for a dataset's name
    field.input(name)
    return next(b for b in at.button if b.label == "Enregistrer").click().run()


def test_second_save_under_the_same_name_asks_before_replacing(db):
    from lib import store

    store.save_scenario("Commun", {"version": 1, "values": {"a_z1": 5000.0}})  # another user's
    at = new_session()
    at.slider(key="a_z1").set_value(3500.0).run()
    save_as(at, "Commun")
    assert not at.exception, [e.value for e in at.exception]
    assert any("existe déjà" in w.value for w in at.warning)
    assert store.load_scenario("Commun").payload["values"]["a_z1"] == 5000.0  # untouched
    assert not any("enregistré" in s.value for s in at.success)
    at.run()  # still offered after a rerun; nothing written meanwhile
    assert store.load_scenario("Commun").payload["values"]["a_z1"] == 5000.0
    at.button(key="mut_replace_confirm").click().run()
    assert any("remplacé" in s.value for s in at.success)
    assert store.load_scenario("Commun").payload["values"]["a_z1"] == 3500.0
    assert [s.name for s in store.list_scenarios()] == ["Commun"]


def test_cancel_keeps_the_other_users_scenario(db):
    from lib import store

    store.save_scenario("Commun", {"version": 1, "values": {"a_z1": 5000.0}})
    at = new_session()
    at.slider(key="a_z1").set_value(3500.0).run()
    save_as(at, "Commun")
    at.button(key="mut_replace_cancel").click().run()
    assert not any("existe déjà" in w.value for w in at.warning)
    assert store.load_scenario("Commun").payload["values"]["a_z1"] == 5000.0


def test_scenario_names_from_the_store_are_escaped(db):
    from lib import store
    from lib.ui import md_text

    store.save_scenario(PAYLOAD, {"version": 1, "values": {"a_z1": 3500.0}})
    at = new_session()
    next(b for b in at.button if b.label == "Charger ce scénario").click().run()
    assert at.slider(key="a_z1").value == 3500.0
    assert PAYLOAD not in all_text(at)
    assert any(md_text(PAYLOAD) in i.value for i in at.info)  # « Scénario « … » chargé. », escaped
    save_as(at, PAYLOAD)  # a conflict: the warning and the button label quote the name escaped
    assert PAYLOAD not in all_text(at)
    assert any(md_text(PAYLOAD) in w.value for w in at.warning)
    assert at.button(key="mut_replace_confirm").label == f"Remplacer « {md_text(PAYLOAD)} »"


def test_warm_up_fills_the_cache_the_page_reads(monkeypatch):
    """``run.py`` calls ``warm_up`` before the server answers: the page's first run then finds the
    simulator's address parameters computed, instead of reading the figures file again."""
    calls = []
    real = mut.simulator_params
    monkeypatch.setattr(mut, "simulator_params", lambda: calls.append(1) or real())
    st.cache_resource.clear()
    mut.warm_up()
    assert mut.url_params() == tuple(real())
    assert len(calls) == 1


def _record_order(monkeypatch) -> list[str]:
    """What the page draws, in the order it draws it: the fund, the regions' sums, the controls."""
    order: list[str] = []

    def spy(name, fn):
        def wrapped(*args, **kwargs):
            order.append(name)
            return fn(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(mut, "render_fund", spy("fund", mut.render_fund))
    monkeypatch.setattr(mut, "render_controls", spy("controls", mut.render_controls))
    monkeypatch.setattr(view, "result_regions", spy("regions", view.result_regions))
    return order


def test_the_fund_total_is_drawn_before_the_rest_and_before_the_controls(db, monkeypatch):
    """The fund total reaches the browser first: written before the regions are summed, and on a
    first open whose address sets no control, before the 16 controls too."""
    order = _record_order(monkeypatch)
    at = new_session()
    assert order == ["fund", "regions", "controls"]
    order.clear()
    at.slider(key="a_z1").set_value(4000.0).run()
    assert order.index("fund") < order.index("regions")
    assert fund(at) == "294,1\u00a0M€"


def test_an_address_that_sets_a_control_draws_the_controls_first_with_its_value(db, monkeypatch):
    order = _record_order(monkeypatch)
    at = new_session(a_z1="4000")
    assert order == ["controls", "fund", "regions"]
    assert fund(at) == "294,1\u00a0M€"


def test_the_breakdown_tables_are_static_at_open_their_grids_one_click_away(db):
    """At open the simulator shows no grid (its JavaScript is not downloaded): the aids and the
    contribution are HTML tables with the fund's figures; each grid is one click away, same rows."""
    from lib.plain_text import md_escape
    from tests.lazy_open import open_expander

    at = new_session()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe) == 0
    static = {t.value.columns[0]: t.value for t in at.table}
    assert static["Aides"]["Aides"].tolist()[0] == md_escape("Production zones 1/1 bis")
    assert static["Cotisation"]["Cotisation"].tolist() == ["Selon les loyers", "Selon le patrimoine",
                                                            "Selon la cotisation CGLLS"]
    for label, first in ((view.PARTS_GRID_LABEL, "Aides"), (view.CONTRIB_GRID_LABEL, "Cotisation")):
        open_expander(at, label)
        grid = next(d.value for d in at.dataframe if d.value.columns[0] == first)
        assert len(grid) == len(static[first])
        assert [md_escape(v) for v in grid.iloc[:, 1]] == static[first].iloc[:, 1].tolist()
