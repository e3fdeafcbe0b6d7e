"""Replaying the real mutualisation campaigns on the shipped data: one test per campaign checks
the arithmetic of every row, that every figure the sources publish for that campaign is set beside
the simulator's, and that what no source publishes is said so."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib import backtest
from lib.data import load_figures, mark_retained
from lib.errors import DataError
from lib.mutualisation_inputs import data_assumptions, national_bases
from lib.params import value

COMPARED_INDICATORS = {c.indicateur: c for c in backtest.COMPARISONS}
RESULT_KEYS = [c.key for c in backtest.COMPARISONS if c.genre == "résultat"]


@pytest.fixture(scope="module")
def figures():
    return load_figures()


@pytest.fixture(scope="module")
def results():
    return backtest.run_all()


def published_for(figures: pd.DataFrame, campagne: int) -> pd.DataFrame:
    """What data/figures.csv retains as published for the campaign, among the compared figures."""
    df = mark_retained(figures)
    df = df[df["retenu"] & (df["periode"] == str(campagne)) & df["indicateur"].isin(COMPARED_INDICATORS)]
    return df[[row.territoire_code == COMPARED_INDICATORS[row.indicateur].territoire for row in df.itertuples()]]


def hand_fund(campagne: int) -> float:
    """Annex 1 by hand on the replay's national volumes (no restructuring cap reached)."""
    c = backtest.load_campaigns()[campagne]
    v, _ = data_assumptions(c.activite)
    y = c.activite
    plus_plai = v.production_hlm * v.part_plus_plai
    assert v.logements_restructures <= value("mutualisation.aides.plafond_restructuration_logements", y)
    return (plus_plai * v.part_zone_1_1bis * value("mutualisation.aides.aide_zone_1_1bis_eur", y)
            + plus_plai * (1 - v.part_zone_1_1bis) * value("mutualisation.aides.aide_zone_2_3_eur", y)
            + v.rehabilitation_hlm * v.pret_moyen_rehabilitation_eur * value("mutualisation.aides.taux_rehabilitation", y)
            + v.logements_restructures * value("mutualisation.aides.aide_restructuration_eur", y))


def check_common(res: backtest.BacktestResult, figures: pd.DataFrame) -> pd.DataFrame:
    t = res.table
    assert list(t.columns) == list(backtest.TABLE_COLUMNS)
    assert (t["campagne"] == res.campaign.annee).all()
    # arithmetic of every row that has both figures
    both = t[t["simule"].notna() & t["publie"].notna()]
    assert len(both) >= 2
    for row in both.itertuples():
        assert row.ecart == pytest.approx(row.simule - row.publie, abs=1e-6)
        assert row.ecart_pct == pytest.approx((row.simule - row.publie) / row.publie)
    assert t.loc[t["simule"].isna() | t["publie"].isna(), "ecart"].isna().all()
    # every published figure of the campaign is in the table, with its value, source and date
    pub = published_for(figures, res.campaign.annee)
    by_key = t.set_index("cle")
    for row in pub.itertuples():
        comp = COMPARED_INDICATORS[row.indicateur]
        assert comp.key in by_key.index, row.indicateur
        shown = by_key.loc[comp.key]
        assert shown["publie"] == row.valeur
        assert shown["source"] == row.source and shown["date_source"]
        assert shown["statut"] in {"comparé", "non simulable", "repère", "annonce"}
    # every outcome the simulator could be compared with is listed, published or not
    assert set(RESULT_KEYS) <= set(t["cle"])
    missing = t[t["cle"].isin(RESULT_KEYS) & t["publie"].isna()]
    assert (missing["statut"] == "non publié").all()
    assert missing["remarque"].str.startswith("Non trouvé dans les sources consultées").all()
    # the simulated fund is annex 1 on the replay's volumes, and its three parts add up to it
    fonds = by_key.loc["fonds", "simule"]
    assert fonds == pytest.approx(hand_fund(res.campaign.annee), rel=1e-9)
    parts = by_key.loc[["cotisation_loyers", "cotisation_patrimoine", "cotisation_cglls"], "simule"]
    assert parts.sum() == pytest.approx(fonds, rel=1e-12)
    assert parts.iloc[0] == pytest.approx(fonds * value("mutualisation.cotisation.part_loyers", 2013))
    # the pact's envelope is always beside the fund
    pact = by_key.loc["enveloppe_pacte"]
    assert pact["publie"] == value("mutualisation.aides.enveloppe_indicative", 2013) == 280_000_000
    assert pact["simule"] == fonds and pact["ecart"] == pytest.approx(fonds - 280e6)
    assert pact["date_source"] == "publié le 8 juillet 2013"
    # estimated inputs are named on the figures they feed
    assert res.estimated_inputs
    assert "Montant moyen d'éco-prêt" in by_key.loc["fonds", "entrees_estimees"]
    return by_key


def test_campaign_2014(results, figures):
    res = results[2014]
    t = check_common(res, figures)
    assert res.campaign.activite == 2013
    assert t.loc["fonds", "publie"] == 223_500_000 and t.loc["fonds", "statut"] == "comparé"
    assert t.loc["fonds", "nature_publie"] == "cité"  # the USH release, not its pdfslide copy
    assert "union-habitat.org" in t.loc["fonds", "source"]
    # 2014 published only its fund: every other outcome says so
    unpublished = {k for k in RESULT_KEYS if k != "fonds"}
    assert set(t.index[t["statut"] == "non publié"]) == unpublished
    assert "totaux de la campagne 2015 repris" in " ".join(res.estimated_inputs)
    assert national_bases(2013).nature == "estimé"


def test_campaign_2015(results, figures):
    res = results[2015]
    t = check_common(res, figures)
    assert res.campaign.activite == 2014
    expected = {"fonds": 221.3e6, "cotisation_loyers": 110.7e6, "cotisation_patrimoine": 55.3e6,
                "cotisation_cglls": 55.3e6, "organismes_beneficiaires": 233, "organismes_contributeurs": 304,
                "organismes_solde_nul": 13, "organismes_exoneres": 58, "transferts_nets": 70.1e6,
                "regions_beneficiaires": 10, "regions_contributrices": 12, "idf_beneficiaire": 1}
    assert t.loc[list(expected), "publie"].to_dict() == expected
    assert not (t["statut"] == "non publié").any()  # campaign 2015 published every compared outcome
    for k in ("organismes_beneficiaires", "organismes_contributeurs", "organismes_solde_nul", "organismes_exoneres"):
        assert t.loc[k, "statut"] == "non simulable" and math.isnan(t.loc[k, "simule"])
        assert t.loc[k, "remarque"]
    # the regional counts are the simulator's 22 regions
    assert t.loc["regions_beneficiaires", "simule"] + t.loc["regions_contributrices", "simule"] <= 22
    regions = res.simulated.regions
    assert t.loc["transferts_nets", "simule"] == pytest.approx(regions.loc[regions["solde_net_eur"] > 0,
                                                                          "solde_net_eur"].sum())
    assert "partielle" in t.loc["transferts_nets", "remarque"]
    # the bases are this campaign's own totals: derived, not borrowed
    assert national_bases(2014).nature == "dérivé" and national_bases(2014).campagne == 2015


def test_campaign_2016(results, figures):
    res = results[2016]
    t = check_common(res, figures)
    assert res.campaign.activite == 2015
    assert set(t.index[t["statut"] == "non publié"]) == set(RESULT_KEYS)  # no bilan found
    assert t.loc["plafond", "publie"] == 250e6 and t.loc["plafond", "statut"] == "repère"
    assert t.loc["fonds_annonce", "publie"] == 220e6 and t.loc["fonds_annonce", "statut"] == "annonce"
    assert t.loc["fonds_annonce", "nature_publie"] == "cité, copie non officielle"
    assert "plafonne pas" in " ".join(res.campaign.ecarts)


def test_the_replay_is_not_tuned_on_the_outcome(figures):
    """Removing the published outcomes from the data changes no simulated figure."""
    outcome = figures["indicateur"].isin([c.indicateur for c in backtest.COMPARISONS])
    without = figures[~outcome]
    for year in backtest.load_campaigns():
        a = backtest.run_campaign(year).table.set_index("cle")["simule"]
        b = backtest.run_campaign(year, without).table.set_index("cle")["simule"]
        pd.testing.assert_series_equal(a[b.index], b, check_names=False)
        assert (backtest.run_campaign(year, without).table.query("genre == 'résultat'")["statut"]
                .isin(["non publié"])).all()


def test_display_and_export_keep_the_dates(results):
    t = results[2015].table
    shown = backtest.campaign_screen_table(t)
    assert len(shown) == len(t)
    fonds = shown.iloc[0]
    assert fonds["Simulé"].endswith("M€") and fonds["Publié"] == "221,3\u00a0M€"
    assert fonds["Écart (%)"].endswith("%") and "," in fonds["Écart (%)"]
    assert fonds["Date de la source"] == t.iloc[0]["date_source"] != ""
    exported = backtest.campaign_export_frame(t)
    # numbers, not text: counts and euros whole, the relative gap to a tenth of a percent
    assert "Date de la source" in exported and str(exported["Écart"].dtype) == "Int64"
    assert exported["Écart relatif"].dropna().round(3).equals(exported["Écart relatif"].dropna())


def test_inputs_table_marks_estimated_inputs(results):
    inputs = results[2014].inputs
    assert {"Entrée", "Valeur", "Nature", "Estimée", "D'où vient-elle"} <= set(inputs.columns)
    assert set(inputs["Estimée"]) == {"oui", "non"}
    assert inputs.loc[inputs["Nature"].isin(["estimé", "hypothèse"]), "Estimée"].eq("oui").all()
    # the volumes in the simulator's order, read from the hypotheses file (controle.rang)
    from lib.mutualisation_inputs import controlled_volumes, load_hypotheses

    labels = [load_hypotheses()[k].libelle for k in controlled_volumes()]
    assert inputs["Entrée"].tolist()[:len(labels)] == labels


def test_pact_gap_label():
    nb = "\u00a0"
    assert backtest.pact_gap_label(250e6) == f"−30,0{nb}M€ par rapport aux 280,0{nb}M€ du pacte"
    assert backtest.pact_gap_label(301.3e6) == f"+21,3{nb}M€ par rapport aux 280,0{nb}M€ du pacte"


def test_unknown_campaign_and_broken_file(tmp_path):
    with pytest.raises(DataError, match="Campagne non rejouable"):
        backtest.run_campaign(2012)
    bad = tmp_path / "c.yaml"
    bad.write_text("campagnes:\n  2014:\n    libelle: x\n", encoding="utf-8")
    with pytest.raises(DataError, match="incomplète"):
        backtest.load_campaigns(bad)


def test_every_campaign_names_dated_sources_for_its_rules():
    for c in backtest.load_campaigns().values():
        s = backtest.campaign_sources(c)
        assert len(s) >= 1 and (s["Éditeur"] != "").all()
        assert s["Date de la source"].str.match(r"^(document d.origine )?(publié|consulté) ").all()


def test_the_campaign_shown_first_is_the_pacts_last_years():
    from lib import params, targets

    years = list(backtest.load_campaigns())
    assert backtest.default_campaign(years, targets.pact_years(params.load_params())) == 2015
    assert backtest.default_campaign(years, [2013, 2014]) == 2014
    assert backtest.default_campaign([2014, 2015], [2016, 2017]) == 2015  # no campaign of the pact's years
