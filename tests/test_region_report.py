"""A region's profile, summary sentences and exports (lib/region_report.py)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from lib import data, geo, params, region_report, targets


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
        "logements locatifs sociaux en 2015 (chiffre cité), soit 79,2\u00a0% de son objectif estimé"
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


def test_report_is_self_contained_and_escaped(ctx):
    p = profile(ctx, "91")
    p.nom = "<script>alert(1)</script>"
    html = region_report.report_html(p, summary="<b>x</b>", svgs={"a": "<svg></svg>"})
    assert "<script>alert" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "http" not in html.split('<ul class="sources">')[0].replace("http-equiv", "")


def test_report_charts_are_inline_svg(ctx):
    html = region_report.report_html(profile(ctx, "52"))
    assert html.count("<svg") >= 3 and "<script" not in html
