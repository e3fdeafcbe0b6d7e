"""The guided presentation without Streamlit: its steps and the sentence of each screen, on
hand-computed figures (French formats: narrow no-break space in thousands, no-break before %)."""

import altair as alt
import numpy as np
import pandas as pd
import pytest

from lib import charts, pace
from lib import presentation as seq

NNBSP, NBSP = "\u202f", "\u00a0"


def balance(**kw):
    base = {"annees": [2013, 2014, 2015], "objectif": 450_000.0, "production": 332_400.0, "reste": 117_600.0,
            "taux": 332_400 / 450_000, "annees_manquantes": [], "annees_estimees": []}
    return {**base, **kw}


def test_steps_go_forward_and_back_and_stop_at_both_ends():
    assert [s.name for s in seq.STEPS] == ["national", "carte", "region", "scenario"]
    assert seq.next_step(1) == 2 and seq.next_step(3) == 4 and seq.next_step(4) is None
    assert seq.previous_step(4) == 3 and seq.previous_step(2) == 1 and seq.previous_step(1) is None


@pytest.mark.parametrize("text, step", [("1", 1), ("3", 3), ("4", 4), (None, 1), ("0", 1), ("5", 1), ("2.0", 1)])
def test_the_address_names_a_step_or_the_first(text, step):
    assert seq.step_number(text) == step


def test_each_step_is_labelled_with_its_place():
    assert seq.progress_label(2) == "Étape 2 sur 4 — Les régions prioritaires sur la carte"


def test_national_sentence_on_published_figures():
    # 332 400 / 450 000 = 73,87 % -> 74 % ; 450 000 − 332 400 = 117 600
    assert seq.national_sentence(balance()) == (
        f"De 2013 à 2015, 332{NNBSP}400 logements sociaux ont été financés en France, soit 74{NBSP}% de "
        f"l'objectif de 450{NNBSP}000 du pacte (tous bailleurs) : il en manque 117{NNBSP}600.")


def test_national_sentence_says_estimated_and_missing():
    est = seq.national_sentence(balance(annees_estimees=[2015]))
    assert est.startswith(f"De 2013 à 2015, environ 332{NNBSP}400 logements") and est.endswith("(2015 estimé).")
    assert "environ 74" in est
    missing = seq.national_sentence(balance(annees_manquantes=[2014, 2015], production=np.nan))
    assert missing == ("Le chiffre national de 2014 et 2015 manque : le bilan de la période 2013–2015 ne peut pas "
                       "être établi.")
    done = seq.national_sentence(balance(production=460_000.0, reste=-10_000.0, taux=460 / 450))
    assert "102" in done and "manque" not in done


def test_priority_sentence_lists_each_region_and_who_is_behind():
    prio = pd.DataFrame({"region": ["Île-de-France", "Provence-Alpes-Côte d'Azur", "Languedoc-Roussillon"],
                         "taux": [89_129 / 82_886, 0.85, np.nan], "nature": ["estimé", "estimé", "manquant"]})
    assert seq.priority_sentence(prio, seq.period_label([2013, 2014, 2015])) == (
        f"Régions prioritaires, part de l'objectif 2013–2015 atteinte : Île-de-France 108{NBSP}%, "
        f"Provence-Alpes-Côte d'Azur 85{NBSP}% et Languedoc-Roussillon : donnée manquante — 1 sur 3 en retard "
        "(objectifs régionaux estimés).")
    cited = prio.assign(taux=[1.0, 1.2, 1.01], nature="cité")
    assert seq.priority_sentence(cited, "2015").endswith("— aucune en retard.")
    assert seq.priority_sentence(cited, "2015").startswith("Régions prioritaires, part de l'objectif 2015 atteinte : ")


def test_priority_rows_come_from_the_map_table_in_the_pact_order():
    table = pd.DataFrame({"code": ["11", "91", "93", "24"], "region": ["Île-de-France", "Languedoc-Roussillon",
                                                                      "Provence-Alpes-Côte d'Azur", "Centre"],
                          "valeur": [0.9, 1.1, np.nan, 0.5], "nature": ["estimé", "cité", "manquant", "cité"]})
    rows = seq.priority_rows(table, ["11", "93", "91", "99"])
    assert rows["region"].tolist() == ["Île-de-France", "Provence-Alpes-Côte d'Azur", "Languedoc-Roussillon"]
    assert rows["taux"].tolist()[0] == 0.9 and np.isnan(rows["taux"].tolist()[1])
    assert seq.priority_sentence(rows, "2015") == (
        f"Régions prioritaires, part de l'objectif 2015 atteinte : Île-de-France 90{NBSP}%, "
        f"Provence-Alpes-Côte d'Azur : donnée manquante et Languedoc-Roussillon 110{NBSP}% — 1 sur 3 en retard "
        "(objectifs régionaux estimés).")


def test_region_sentence_marks_an_estimated_objective_and_production():
    b = balance(objectif=19_133.0, production=16_803.0, reste=2_330.0, taux=16_803 / 19_133)
    assert seq.region_sentence(b, "Languedoc-Roussillon", "estimé") == (
        f"De 2013 à 2015, Languedoc-Roussillon a financé 16{NNBSP}803 logements sociaux, soit environ 88{NBSP}% de son "
        f"objectif estimé de 19{NNBSP}133.")
    est = seq.region_sentence({**b, "annees_estimees": [2015]}, "Corse", "cité")
    assert "a financé environ 16" in est and "de son objectif de" in est
    assert est.endswith("(production estimée en 2015).")
    gone = seq.region_sentence({**b, "annees_manquantes": [2015]}, "Corse", "cité")
    assert gone == "Corse : la production de 2015 manque, le bilan 2013–2015 ne peut pas être établi."


def test_scenario_sentence_names_the_scenario_or_says_defaults():
    totals = {"fonds_total_eur": 278_952_000.0}
    counts = {"contributeur net": 17, "bénéficiaire net": 5, "neutre": 0}
    assert seq.scenario_sentence(totals, counts, "Hausse") == (
        f"Avec le scénario « Hausse », le fonds de mutualisation atteint 279,0{NBSP}M€ par an : 17 régions "
        "contributrices nettes et 5 bénéficiaires nettes (volumes régionaux estimés).")
    default = seq.scenario_sentence(totals, counts, None, estimated_inputs=False)
    assert default.startswith("Avec les réglages par défaut du simulateur") and default.endswith("nettes.")


def test_sources_come_with_their_dates_once_each():
    text = seq.sources_text([("https://a.fr/x", "2016-01-19"), ("https://a.fr/x", "2016-01-19"),
                             ("Pacte", "publié le 8 juillet 2013"), ("https://b.fr", "")])
    assert text == ("Sources : https://a.fr/x (publié le 19 janvier 2016) ; Pacte (publié le 8 juillet 2013) ; "
                    "https://b.fr (date inconnue).")
    many = seq.sources_text([(f"s{i}", "2014") for i in range(6)], limit=4)
    assert many.endswith("; et 2 autres (page « Données et sources »).") and "s4" not in many
    assert seq.sources_text([]) == "Sources : voir la page « Données et sources »."


def test_chart_text_grows_through_the_config_in_presentation_mode():
    df = pd.DataFrame({"annee": ["2013"], "valeur": [1.0]})
    chart = alt.layer(alt.Chart(df).mark_bar().encode(x="annee:O", y=alt.Y("valeur:Q", axis=alt.Axis(labelLimit=100))),
                      alt.Chart(df).mark_text(fontSize=12).encode(x="annee:O", text="valeur:Q")).properties(height=400)
    spec = charts.to_spec(charts.french(chart))
    assert charts.with_font_size(spec, charts.FONT_SIZE) is spec
    big = charts.with_font_size(spec, 26)
    assert big["config"]["axis"]["labelFontSize"] == 26 and big["config"]["legend"]["titleFontSize"] == 26
    assert big["config"]["title"]["fontSize"] == 30
    assert big["layer"][1]["mark"]["fontSize"] == round(12 * 26 / 16)  # 20
    assert big["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == round(100 * 26 / 16)  # 162
    assert big["height"] == round(400 * (26 / 16) ** 0.5)  # 510
    assert spec["config"]["axis"]["labelFontSize"] == 16, "the cached spec is left as it was"
    assert charts.to_spec(charts.french(chart, font_size=26))["config"]["axis"]["labelFontSize"] == 26


def test_sentences_when_the_figures_hold_none_of_the_pacts_years():
    """An imported extract without the pact's years (or without the region asked for) gives an
    empty balance: the screen says so in French instead of failing."""
    empty = pace.period_balance(pd.DataFrame(columns=["annee", "production", "objectif_periode",
                                                      "nature_production", "nature_rythme"]))
    assert empty["annees"] == []
    assert seq.national_sentence(empty).startswith("Aucun chiffre national des années du pacte")
    region = seq.region_sentence(empty, "Languedoc-Roussillon", "cité")
    assert region.startswith("Languedoc-Roussillon : aucun chiffre des années du pacte")
