"""Pace and renovation as map indicators: the ratio tables on hand-made figures, their French
formats, and the map page drawing them (AppTest)."""

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from lib import targets
from lib.paths import ROOT
from lib.views import carte as carte_view
from tests.lazy_open import open_expander


def production_table():
    return pd.DataFrame({
        "code": ["11", "93", "94"], "region": ["Île-de-France", "Provence-Alpes-Côte d'Azur", "Corse"],
        "valeur": [30_320.0, 10_303.0, np.nan], "nature": ["cité", "cité", "manquant"],
        "source": ["s1", "s2", ""], "date_source": ["2016-01-19", "2016-01-19", ""], "autres_sources": "",
        "note": "", "production": [30_320.0, 10_303.0, np.nan], "objectif": np.nan,
        "population": [1.0, 1.0, 1.0], "prioritaire": [True, True, False], "rang": [1.0, 2.0, np.nan]})


def test_pace_table_takes_the_ratio_its_nature_and_the_required_pace():
    indicator = pd.DataFrame({"code": ["93", "11"], "valeur": [10_303 / 15_134, 30_320 / 24_077],
                              "nature": ["estimé", "estimé"], "rythme_requis": [15_134.0, 24_077.0],
                              "production": [10_303.0, 30_320.0], "note": ["", ""]})
    t = carte_view.pace_map_table(production_table(), indicator)
    assert list(t.columns) == targets.MAP_COLUMNS
    assert t["valeur"].round(4).tolist()[:2] == [1.2593, 0.6808]  # 30 320 / 24 077 ; 10 303 / 15 134
    assert t["nature"].tolist() == ["estimé", "estimé", "manquant"]
    assert t["objectif"].tolist()[:2] == [24_077.0, 15_134.0]
    assert t["rang"].tolist()[:2] == [1.0, 2.0] and np.isnan(t["rang"].iloc[2])
    values, legend = carte_view.map_values(t, "rythme", "Rythme", "2015")
    assert values["t_valeur"].tolist() == ["125,9\xa0%", "68,1\xa0%", "donnée manquante"]
    assert legend[-1][0].startswith("objectif atteint") or "100" in legend[-1][0]
    shown = carte_view.screen_table(t, "rythme", "Rythme")
    assert shown["Rythme nécessaire"].tolist()[0] == "24\u202f077"
    exported = carte_view.export_table(t, "rythme", "Rythme")
    assert exported["Rythme"].tolist()[:2] == [125.9, 68.1]


def test_every_map_indicator_has_a_french_label_and_the_ratios_are_rates():
    assert set(targets.INDICATOR_CHOICES) < set(carte_view.INDICATOR_CHOICES)
    assert carte_view.format_value(0.5, "renovation") == "50,0\xa0%"
    assert "estimé" in carte_view.PACE_NOTE and "estimé" in carte_view.RENOVATION_NOTE


def test_map_page_draws_pace_and_renovation(tmp_path, monkeypatch):
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/carte.py").run()
    for indicator, period in (("rythme", "2015"), ("renovation", "2012-2013")):
        at.selectbox(key="carte_indicateur").set_value(indicator).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.header[0].value == f"{carte_view.INDICATOR_CHOICES[indicator]} — {period}"
        if not at.dataframe:  # the ranking's grid, built once its expander is opened
            open_expander(at, carte_view.RANKING_GRID_LABEL)
        table = at.dataframe[-1].value
        label = carte_view.INDICATOR_CHOICES[indicator]
        assert table[label].str.endswith("%").sum() >= 15
        assert "estimé" in set(table["Nature"])
        assert any("estimé" in i.value for i in at.info)
