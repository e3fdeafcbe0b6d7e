"""A region's profile, summary sentences and exports (lib/region_report.py)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from lib import data, fmt, geo, params, region_report, targets


@pytest.fixture(scope="module")
def ctx():
    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    obj = targets.regional_objectives(figures, regions, pact)
    return figures, regions, pact, obj, geo.load_zonage_regions()


def profile(ctx, code):
    figures, regions, pact, obj, zon = ctx
    return region_report.region_profile(figures, regions, pact, obj, code, zon)


def test_summary_languedoc_roussillon(ctx):
    text = region_report.summary_text(profile(ctx, "91"))
    assert text.startswith(
        "Languedoc-Roussillon, région que le pacte désigne comme prioritaire, a financé 5\u202f017 "
        "logements locatifs sociaux en 2015 (chiffre cité), soit environ 79\u00a0% de son objectif estimé"
    )
    assert "un écart de −1\u202f320 logements" in text
    assert "Données manquantes : production 2010, 2011, 2012 et 2016 ; répartition PLAI / PLUS / PLS" in text


def test_summary_says_when_production_is_estimated(ctx):
    text = region_report.summary_text(profile(ctx, "82"))
    assert "Rhône-Alpes aurait financé environ" in text and "(estimation)" in text


def test_summary_with_no_data_at_all(ctx):
    text = region_report.summary_text(profile(ctx, "06"))
    assert text.startswith("Mayotte : aucune donnée de production")
    assert "0 logement" not in text


def test_published_objective_is_named_as_such(ctx):
    p = profile(ctx, "93")
    row = p.achievement.set_index("annee").loc[2014]
    assert row["objectif"] == 12000 and row["nature_objectif"] == "cité"


def test_rank_counts_only_regions_with_a_value(ctx):
    ranks = profile(ctx, "11").ranks.set_index("annee")
    assert ranks.loc[2015, "rang"] == 1 and ranks.loc[2015, "n"] == 23
    assert pd.isna(ranks.loc[2016, "rang"])


def test_zoning_shares_add_up(ctx):
    z = profile(ctx, "11").zonage
    assert z["part"].sum() == pytest.approx(1) and z["part_nationale"].sum() == pytest.approx(1)


def test_csv_is_for_french_excel(ctx):
    raw = region_report.export_csv(profile(ctx, "91"))
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    assert {"region", "periode", "indicateur", "valeur", "nature", "source"} <= set(df.columns)
    assert (df["nature"] != "").all()


def test_xlsx_has_figures_and_summary(ctx):
    raw = region_report.export_xlsx(profile(ctx, "91"))
    book = pd.read_excel(io.BytesIO(raw), sheet_name=None)
    assert set(book) == {"Chiffres", "Résumé"}
    assert book["Résumé"].iloc[0, 0].startswith("Languedoc-Roussillon")


def test_period_sum_of_estimates_is_said_to_be_an_estimate(ctx):
    text = region_report.summary_text(profile(ctx, "21"))  # Champagne-Ardenne: every year estimated
    assert "Sur 2013–2015, elle aurait financé environ 6\u202f003 logements (estimation)" in text
    assert "elle a financé" not in text and "objectif cumulé estimé" in text


def test_period_sum_names_the_estimated_years(ctx):
    text = region_report.summary_text(profile(ctx, "82"))  # Rhône-Alpes: 2013 cited, 2014–2015 estimated
    assert "Sur 2013–2015, elle aurait financé environ" in text and "(estimation pour 2014–2015)" in text


def test_period_sum_of_cited_figures_keeps_the_plain_verb(ctx):
    text = region_report.summary_text(profile(ctx, "91"))
    assert "Sur 2013–2015, elle a financé 16\u202f803 logements pour un objectif cumulé estimé" in text


def test_first_rank_is_feminine_ordinal(ctx):
    text = region_report.summary_text(profile(ctx, "11"))
    assert "elle se classe 1re sur 23 régions" in text


def test_exported_ranks_and_zone_populations_are_derived(ctx):
    frame = region_report.profile_export_frame(profile(ctx, "91"))
    assert "calcul" not in set(frame["nature"])
    assert frame.loc[frame["rubrique"] == "Zonage", "nature"].eq("dérivé").all()
    # ranks are computed on every region's figures, some of them estimated
    assert set(frame.loc[frame["rubrique"] == "Rang", "nature"]) <= {"dérivé", "estimé"}


def test_exports_neutralise_formulas_and_keep_text(ctx):
    p = profile(ctx, "91")
    p.nom = "=HYPERLINK(\"http://x\")"
    df = pd.read_csv(io.BytesIO(region_report.export_csv(p)), sep=";", decimal=",", encoding="utf-8-sig")
    assert df["region"].iloc[0].startswith("'=")
    book = pd.read_excel(io.BytesIO(region_report.export_xlsx(p)), sheet_name="Chiffres")
    assert book["region"].iloc[0].startswith("'=")


def test_hlm_reading_keeps_published_objectives_named_as_published(ctx):
    figures, regions, pact, _obj, zon = ctx
    obj = targets.regional_objectives(figures, regions, pact, reading="hlm")
    p = region_report.region_profile(figures, regions, pact, obj, "93", zon, "hlm")
    assert "objectif régional publié" not in p.missing
    row = p.achievement.set_index("annee").loc[2014]
    assert row["nature_objectif"] == "estimé" and "part Hlm" in row["regle"]


# --- mutualisation for one region, national readings -----------------------------------------


def test_region_mutualisation_is_an_estimate_with_the_pacts_volumes(ctx):
    pact = ctx[2]
    m = region_report.region_mutualisation("91", pact)
    assert m is not None and m.nature == "estimé"
    assert m.annee == targets.pact_years(pact)[0]
    assert m.production_hlm == pact["objectifs.production_hlm"].value(m.annee)
    assert m.rehabilitation_hlm == pact["objectifs.rehabilitation_hlm"].value(m.annee)
    assert m.solde_net_eur == pytest.approx(m.aide_eur - m.contribution_eur, abs=1)
    assert m.statut in ("bénéficiaire net", "contributeur net", "neutre")


def test_region_mutualisation_follows_the_year_and_unknown_region(ctx):
    pact = ctx[2]
    last = targets.pact_years(pact)[-1]
    assert region_report.region_mutualisation("93", pact, last).annee == last
    assert region_report.region_mutualisation("XX", pact) is None


def test_national_reading_table_gaps(ctx):
    figures, _regions, pact, _obj, _zon = ctx
    table = region_report.national_reading_table(data.national_production(figures, pact), pact)
    assert list(table["Année"]) == [str(y) for y in targets.pact_years(pact)]
    row = table.set_index("Année").loc["2013"]
    hlm = pact["objectifs.production_hlm"].value(2013)
    all_ = pact["objectifs.production_tous_bailleurs"].value(2013)
    assert row[f"Organismes Hlm ({fmt.fmt_int(hlm)})"] == f"{fmt.fmt_pct(117065 / hlm)} ({fmt.fmt_signed(117065 - hlm)})"
    assert row[f"Tous bailleurs sociaux ({fmt.fmt_int(all_)})"].endswith(f"({fmt.fmt_signed(117065 - all_)})")


def test_period_rate_reads_as_the_presentation_says_it(ctx):
    """The region page and the presentation quote Languedoc-Roussillon's 2013–2015 share of its
    (estimated) objective the same way: one formatter, whole percent, « environ » for an estimate."""
    from lib import pace
    from lib import presentation as seq

    p = profile(ctx, "91")
    text = region_report.summary_text(p)
    full = p.achievement[p.achievement["production"].notna() & p.achievement["objectif"].notna()]
    rate = full["production"].sum() / full["objectif"].sum()
    assert f"objectif cumulé estimé de 19\u202f133, soit {fmt.fmt_rate(rate, True)}." in text
    assert fmt.fmt_rate(rate, True) == "environ 88\u00a0%" and "87,8" not in text
    # every share of an objective in the summary is written alike: whole percent, « environ »
    # when a figure in it is estimated (the year's, 79,2 %, as the period's)
    assert re.findall(r"soit ([^,.]*?%)", text) == ["environ 79\u00a0%", "environ 88\u00a0%"]
    ach = p.achievement.assign(code="91")
    balance = pace.period_balance(pace.regional_pace(ach, targets.pact_years(ctx[2])).drop(columns="code"))
    assert f"soit {fmt.fmt_rate(rate, True)} de son objectif estimé" in seq.region_sentence(balance, p.nom, "estimé")
