"""Charts: French description, DSFR fonts, colour-blind-safe colours, exports with title, sources
and date."""

import datetime as dt

import altair as alt
import pandas as pd
import pytest

from lib import charts, dsfr, fmt, palettes


def _chart():
    df = pd.DataFrame({"annee": ["2013", "2014"], "valeur": [117065, 106414]})
    return charts.french(alt.Chart(df).mark_bar().encode(x="annee:O", y="valeur:Q").properties(width="container"),
                         "Logements financés en 2013 et 2014")


def test_french_sets_description_font_and_locale():
    spec = _chart().to_dict()
    assert spec["description"] == "Logements financés en 2013 et 2014"
    assert spec["config"]["locale"]["number"]["thousands"] == "\u202f"
    assert spec["config"]["font"] == dsfr.font_stack()
    assert "Marianne" not in spec["config"]["font"]


def test_export_spec_carries_title_sources_and_date():
    spec = charts.export_spec(_chart(), "Logements financés", "Source : exemple.fr", on=dt.date(2026, 12, 1))
    assert spec["title"]["text"] == "Logements financés"
    assert spec["title"]["subtitle"][0] == "Source : exemple.fr"
    assert "export du 1er décembre 2026" in spec["title"]["subtitle"][1]
    assert spec["width"] == charts.EXPORT_WIDTH


def test_png_and_svg_exports_render_offline():
    png = charts.export_png(_chart(), "Logements financés", "Source : exemple.fr")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    svg = charts.export_svg(_chart(), "Logements financés", "Source : exemple.fr").decode("utf-8")
    assert svg.startswith("<svg") and "Logements financés" in svg and "Source : exemple.fr" in svg
    assert "117\u202f065" not in svg  # bars only: no value label invented
    assert "100\u202f000" in svg, "axis in French format"


def test_sources_line_names_sites_once():
    line = charts.sources_line(["https://www.a.fr/x", "https://a.fr/y", "https://b.fr/z", None, ""])
    assert line == "Sources : a.fr, b.fr"
    assert charts.sources_line(["https://a.fr"]) == "Source : a.fr"
    assert charts.sources_line([f"https://s{i}.fr" for i in range(6)]).endswith("et 2 autres")
    assert "Données et sources" in charts.sources_line([])


def test_charts_use_the_palettes():
    assert charts.NATURE_RANGE == list(palettes.NATURE_RANGE)


def test_fmt_dates():
    assert fmt.fmt_date(dt.date(2026, 12, 1)) == "1er décembre 2026"
    assert fmt.fmt_date(dt.date(2014, 1, 15)) == "15 janvier 2014"
    assert fmt.fmt_month(dt.date(2014, 1, 15)) == "janvier 2014"


def test_to_spec_checks_the_schema_in_the_tests_and_gives_the_same_spec_without_the_check(monkeypatch):
    """The tests check every spec (tests/conftest.py); a user's run skips the check for speed
    and must draw exactly the same chart."""
    assert charts.validating(), "tests/conftest.py sets PACTE_HLM_CHECK_CHARTS=1"
    df = pd.DataFrame({"annee": ["2013", "2014"], "valeur": [1.0, 2.5]})
    chart = charts.french(alt.Chart(df).mark_bar().encode(x="annee:O", y="valeur:Q"), "Essai")
    checked = charts.to_spec(chart)
    bad = alt.Chart(df).mark_bar().encode(x="annee:O", y=alt.Y("valeur:Q", bin="pas un booléen"))
    with pytest.raises(Exception, match="bin"):
        charts.to_spec(bad)
    monkeypatch.setenv(charts.CHECK_ENV, "0")
    assert not charts.validating()
    assert charts.to_spec(chart) == checked
    charts.to_spec(bad)  # not checked on a user's run


def test_exports_and_print_charts_check_the_schema_in_the_tests_only(monkeypatch):
    """``export_spec`` (PNG/SVG exports) and the committee pack's print charts follow the same
    switch as ``to_spec``: checked in the tests, not on a user's run (same spec either way)."""
    from lib import committee_pack

    df = pd.DataFrame({"annee": ["2013", "2014"], "valeur": [1.0, 2.5]})
    good = charts.french(alt.Chart(df).mark_bar().encode(x="annee:O", y="valeur:Q"), "Essai")
    bad = alt.Chart(df).mark_bar().encode(x="annee:O", y=alt.Y("valeur:Q", bin="pas un booléen"))
    checked = charts.export_spec(good, "Titre", "Source : exemple.fr", on=dt.date(2026, 12, 1))
    for call in (lambda c: charts.export_spec(c, "Titre", "Source : exemple.fr"), committee_pack.print_svg):
        with pytest.raises(Exception, match="bin"):
            call(bad)
    monkeypatch.setenv(charts.CHECK_ENV, "0")
    assert charts.export_spec(good, "Titre", "Source : exemple.fr", on=dt.date(2026, 12, 1)) == checked
    charts.export_spec(bad, "Titre", "Source : exemple.fr")  # not checked on a user's run
    assert committee_pack.print_svg(good).startswith("<svg")


def _wide_frame() -> pd.DataFrame:
    return pd.DataFrame({"annee": [2013, 2014], "annee_txt": ["2013", "2014"], "valeur": [117065, 106414],
                         "nature": ["officiel", "cité"], "seuil": [1, 2], "source": ["https://a.fr", "https://b.fr"],
                         "note": ["une note", ""]})


def _rows(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def test_a_chart_spec_carries_only_the_fields_it_names():
    chart = (alt.Chart(_wide_frame()).mark_bar()
             .encode(x="annee_txt:O", y="valeur:Q", tooltip=[alt.Tooltip("nature:N", title="Nature")])
             .transform_filter("datum.seuil > 0"))
    rows = _rows(charts.to_spec(charts.french(chart, "Logements financés")))
    # encodings, the tooltip and the filter's expression; « annee » is only part of « annee_txt »
    assert rows == [{"annee_txt": "2013", "valeur": 117065, "nature": "officiel", "seuil": 1},
                    {"annee_txt": "2014", "valeur": 106414, "nature": "cité", "seuil": 2}]


def test_a_chart_that_shows_whole_rows_keeps_every_field():
    chart = alt.Chart(_wide_frame()).mark_bar(tooltip=True).encode(x="annee_txt:O", y="valeur:Q")
    assert set(_rows(charts.to_spec(chart))[0]) == set(_wide_frame().columns)
    content = alt.Chart(_wide_frame()).mark_bar(tooltip={"content": "data"}).encode(x="annee_txt:O", y="valeur:Q")
    assert set(_rows(charts.to_spec(content))[0]) == set(_wide_frame().columns)


def test_data_that_is_not_flat_rows_is_left_as_it_is():
    features = [{"type": "Feature", "properties": {"code": "11", "nom": "Île-de-France"}, "geometry": None}]
    spec = {"mark": "geoshape", "data": {"name": "geo"}, "datasets": {"geo": features}}
    assert charts.used_fields_only(spec) == spec
    assert charts.used_fields_only({"mark": "bar"}) == {"mark": "bar"}


def test_fields_named_by_sorts_folds_selections_and_escaped_names_are_kept():
    frame = pd.DataFrame({"a.b": [1, 2], "rang": [2, 1], "libelle": ["u", "v"], "plai": [3, 4], "plus": [5, 6],
                          "code": ["11", "93"], "inutile": ["-", "-"]})
    chart = (alt.Chart(frame).mark_bar()
             .encode(x=alt.X("libelle:N", sort=alt.EncodingSortField("rang")), y="a\\.b:Q",
                     tooltip=alt.Tooltip("libelle:N"))  # one tooltip, not a list: the rows are not shown whole
             .add_params(alt.selection_point(name="choix", fields=["code"])))
    rows = _rows(charts.to_spec(chart))
    assert set(rows[0]) == {"a.b", "rang", "libelle", "code"}
    folded = alt.Chart(frame).transform_fold(["plai", "plus"]).mark_bar().encode(x="key:N", y="value:Q")
    assert set(_rows(charts.to_spec(folded))[0]) == {"plai", "plus"}
