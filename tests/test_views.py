"""What Accueil, Carte, Région and « Données et sources » show, tested without Streamlit
(lib/views/): the page modules of lib/ui/ only draw these."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import data, fmt, geo, natures, params, targets
from lib.views import accueil, carte, donnees, region


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return data.national_production(data.load_figures(), params.load_params())


def test_accueil_shows_one_metric_for_each_year_with_a_pact_target(national):
    years = accueil.pact_years(national)["annee"].tolist()
    assert years == [2013, 2014, 2015]


def test_accueil_caption_reads_both_targets_from_the_pact_file():
    pact = params.load_params()
    text = accueil.readings_caption(pact)
    for path in ("objectifs.production_tous_bailleurs", "objectifs.production_hlm"):
        assert fmt.fmt_int(pact[path].value(2013)) in text
        assert pact[path].reference in text


def test_accueil_says_the_years_of_the_parameter_file_and_of_the_series(national):
    years = targets.pact_years(params.load_params())
    assert "chaque année, de 2013 à 2015, le financement" in accueil.intro(years)
    assert "de 2014 à 2016," in accueil.intro([2014, 2015, 2016])
    assert accueil.chart_alt(national, years) == ("Logements locatifs sociaux financés par an de 2010 à 2016 et "
                                                  "objectifs du pacte pour 2013 à 2015")
    shorter = national[national["annee"] >= 2012]
    assert accueil.chart_alt(shorter, [2013, 2014]).endswith("de 2012 à 2016 et objectifs du pacte pour 2013 à 2014")


def test_accueil_names_the_years_without_a_national_figure(national):
    total = accueil.national_total(national)
    assert accueil.missing_years_warning(total.assign(nature=natures.OFFICIEL)) is None
    gap = total.assign(nature=[natures.MANQUANT if y == 2016 else natures.OFFICIEL for y in total["annee"]])
    assert accueil.missing_years_warning(gap) == "Années sans chiffre national : 2016."


def test_accueil_table_is_in_french_with_french_numbers(national):
    table = accueil.figures_table(national)
    assert list(table.columns) == list(accueil.TABLE_COLUMNS.values())
    first = national.iloc[0]
    assert table.iloc[0]["Logements"] == fmt.fmt_int(first["valeur"])


@pytest.mark.parametrize(
    ("indicator", "kinds"),
    [("production", []), ("taux", ["info"]), ("rythme", ["info"]), ("rehab", ["warning"]),
     ("renovation", ["warning", "info"])],
)
def test_carte_notes_above_the_map(indicator, kinds):
    notes = carte.notes(indicator)
    assert [kind for kind, _ in notes] == kinds
    if indicator in ("rehab", "renovation"):
        assert notes[0][1] == targets.REHAB_WARNING


def test_carte_pickers_labels_and_default_period():
    assert carte.default_period(["2013", "2014", "2015", "2016"], 2015) == "2015"
    assert carte.default_period(["2013", "2014", "2015", "2016"], 2014) == "2014"
    assert carte.default_period(["2012-2013"], 2015) == "2012-2013"
    assert carte.period_label("rehab") == "Période" and carte.period_label("production") == "Année"
    assert carte.product_label("total") == "Total (PLAI + PLUS + PLS)" and carte.product_label("PLAI") == "PLAI"
    assert carte.indicator_label("production", "PLS") == carte.INDICATOR_CHOICES["production"] + " (PLS)"
    assert carte.indicator_label("production", "total") == carte.INDICATOR_CHOICES["production"]


def test_region_picker_marks_the_priority_regions():
    names = geo.region_names()
    prio = set(targets.priority_regions(params.load_params()))
    code = sorted(prio)[0]
    assert region.picker_label(code, names, prio) == f"{names[code]} ({code}) — prioritaire"
    other = next(c for c in names if c not in prio)
    assert region.picker_label(other, names, prio) == f"{names[other]} ({other})"


def test_region_headline_reads_the_pacts_period_and_writes_each_gap_in_french():
    years = targets.pact_years(params.load_params())
    assert region.headline_title(years) == f"Production face à l'objectif, {min(years)}–{max(years)}"
    assert region.gap_delta(-1320.0, 0.792) == "-1\u202f320 logements (79,2\u00a0% de l'objectif)"
    assert region.gap_delta(12.0, 1.004).startswith("+12 logements (100,4")
    assert region.gap_delta(float("nan"), float("nan")) == "objectif ou production manquant"


def test_region_sources_table_has_one_french_row_a_year():
    achievement = pd.DataFrame({"annee": [2013, 2014], "source_production": ["SISAL", "SISAL"],
                                "date_source_production": ["2014-03", "2015-03"], "autres_sources": ["", "DHUP"],
                                "source_objectif": ["règle", "règle"], "production": [1, 2]})
    table = region.sources_table(achievement)
    assert list(table.columns) == ["Année", "Source de la production", "Date de la source",
                                   "Autres sources (non retenues)", "Source de l'objectif"]
    assert table["Année"].tolist() == [2013, 2014]


def test_region_rank_table_keeps_the_ranked_years_in_french():
    ranks = pd.DataFrame({"annee": [2013, 2014, 2015], "rang": [3.0, None, 5.0], "n": [22, 22, 21],
                          "pour_10k": [12.345, None, 9.0], "rang_10k": [4.0, None, None], "n_10k": [22, 22, 21]})
    table = region.rank_table(ranks)
    assert table.to_dict("list") == {
        "Année": ["2013", "2015"],
        "Rang (logements financés)": ["3 sur 22", "5 sur 21"],
        "Pour 10 000 habitants": ["12,3", "9,0"],
        "Rang (pour 10 000 hab.)": ["4 sur 22", "n.d."],
    }
    assert region.rank_table(ranks.assign(rang=None)).empty


def test_region_names_cannot_be_changed_by_a_caller():
    names = geo.region_names()
    with pytest.raises(TypeError):
        names["11"] = "Ailleurs"  # type: ignore[index]
    assert geo.region_names()["11"] == "Île-de-France" and len(names) == 27


def test_donnees_intro_names_every_nature_and_the_coverage_caption_counts_cells():
    text = donnees.intro()
    assert all(f"**{nature}**" in text for nature in natures.LABELS)
    sub = pd.DataFrame({"nature": [natures.OFFICIEL, natures.MANQUANT, natures.ESTIME, natures.MANQUANT]})
    assert donnees.coverage_caption(sub) == (
        f"{fmt.fmt_pct(data.coverage_share(sub))} des cases région × année ont un chiffre pour cet indicateur."
    )
    assert donnees.indicator_labels()["lls_finances"] == data.INDICATORS["lls_finances"][0]
