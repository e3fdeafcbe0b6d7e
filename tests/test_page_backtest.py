"""Page « Mutualisation », section « Confronter le simulateur aux chiffres publiés » (AppTest):
nothing computed until a view is chosen; a campaign replayed figure by figure with sources and
dates; the tornado on the simulator's settings; the pact's envelope beside the fund."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib import backtest
from lib.paths import ROOT
from lib.ui import backtest as bt_ui

PAGE = str(ROOT / "pages" / "mutualisation.py")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))


def session(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def dataframes_with(at: AppTest, column: str) -> list:
    return [d.value for d in at.dataframe if column in d.value.columns]


def test_fund_metric_shows_the_gap_to_the_pact(db):
    at = session()
    assert not at.exception
    m = next(m for m in at.metric if m.label == "Fonds de mutualisation")
    assert m.delta == "−1,0\u00a0M€"
    assert m.proto.delta_description == "par rapport aux 280,0\u00a0M€ du pacte"


def test_nothing_is_computed_until_a_view_is_chosen(db, monkeypatch):
    calls = []
    monkeypatch.setattr(backtest, "run_campaign", lambda *a, **k: calls.append(a) or pytest.fail("computed"))
    at = session()
    assert not at.exception
    assert at.segmented_control(key=bt_ui.KEY_MODE).value is None
    assert not calls and not dataframes_with(at, "Écart (%)")


def test_replaying_a_campaign_shows_every_figure_with_source_and_date(db):
    at = session()
    at.segmented_control(key=bt_ui.KEY_MODE).set_value("campagne").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key=bt_ui.KEY_CAMPAIGN).value == 2015
    [table] = dataframes_with(at, "Écart (%)")
    expected = backtest.campaign_screen_table(backtest.run_campaign(2015).table)
    assert table["Chiffre"].tolist() == expected["Chiffre"].tolist()
    assert table["Publié"].iloc[0] == "221,3\u00a0M€"
    assert (table["Date de la source"] != "").all()
    labels = {m.label: m for m in at.metric}
    assert labels["Fonds publié"].value == "221,3\u00a0M€" and labels["Fonds publié"].delta.endswith("%)")
    assert labels["Fonds publié"].proto.delta_description == "écart simulé − publié"
    assert labels["Enveloppe du pacte"].value == "280,0\u00a0M€"
    assert any("Ce que le simulateur ne reproduit pas" in md.value for md in at.markdown)
    assert any("Entrées estimées" in md.value for md in at.markdown)
    # the other campaign: 2016 published no bilan
    at.selectbox(key=bt_ui.KEY_CAMPAIGN).set_value(2016).run()
    [table] = dataframes_with(at, "Écart (%)")
    assert (table.loc[table["Statut"] == "non publié", "Publié"] == "—").all()
    assert {m.label: m for m in at.metric}["Fonds publié"].value == "non publié"


def test_url_opens_the_campaign_view(db):
    at = session(verif="Rejouer une campagne", campagne="2014")
    assert not at.exception
    [table] = dataframes_with(at, "Écart (%)")
    assert table["Publié"].iloc[0] == "223,5\u00a0M€"
    assert (table["Statut"] == "non publié").sum() == len(
        [c for c in backtest.COMPARISONS if c.genre == "résultat"]) - 1


def test_sensitivity_follows_the_simulators_settings(db):
    at = session()
    at.segmented_control(key=bt_ui.KEY_MODE).set_value("sensibilite").run()
    assert not at.exception, [e.value for e in at.exception]
    [table] = dataframes_with(at, "Entrée déplacée")
    assert len(table) == 16 and "Solde Île-de-France : en hausse" in table.columns
    assert set(table["Pas"]) <= {"±10 %", "+5 points (valeur nulle)"}
    assert "oui" in set(table["Estimée"])
    assert len(at.get("arrow_vega_lite_chart")) >= 2 or len(at.get("vega_lite_chart")) >= 2
    # another region, and a setting moved in the simulator then « Actualiser »
    at.selectbox(key=bt_ui.KEY_REGION).set_value("93").run()
    [table] = dataframes_with(at, "Entrée déplacée")
    assert "Solde Provence-Alpes-Côte d'Azur : en hausse" in table.columns
    at.slider(key="a_z1").set_value(4000.0).run()
    at.button(key="sens_refresh").click().run()
    assert any("Réglages utilisés" in c.value for c in at.caption)
    row = table.set_index("Entrée déplacée")
    after = dataframes_with(at, "Entrée déplacée")[0].set_index("Entrée déplacée")
    lever = "Aide par logement PLUS-PLAI en zone 1 ou 1 bis (pacte)"
    assert after.loc[lever, "Fonds : en hausse"] != row.loc[lever, "Fonds : en hausse"]
    assert after.loc[lever, "Nature"] == "hypothèse"
