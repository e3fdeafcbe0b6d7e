"""Exported files round each figure to what it means (no 16-digit decimals)."""

import io

import numpy as np
import pandas as pd

from lib import exports
from lib.views import carte as carte_view
from lib.views import mutualisation as mutualisation_view


def _csv(frame: pd.DataFrame) -> str:
    return exports.to_csv_bytes(frame).decode("utf-8-sig")


def test_round_columns_whole_numbers_keep_missing_empty():
    frame = pd.DataFrame({"Logements": [1234.4999, np.nan], "Taux (%)": [97.64912345678, 12.0], "Nom": ["a", "b"]})
    out = exports.round_columns(frame, {"Logements": 0, "Taux (%)": 1, "Nom": 0})
    assert str(out["Logements"].dtype) == "Int64" and out["Logements"].iloc[0] == 1234
    assert pd.isna(out["Logements"].iloc[1])
    text = _csv(out)
    assert "1234;97,6;a" in text and "\n;12,0;b" in text


def test_map_csv_has_no_long_decimals():
    table = pd.DataFrame({
        "code": ["11", "24"], "region": ["Île-de-France", "Centre"], "valeur": [0.976491234567, np.nan],
        "nature": ["cité", "manquant"], "rang": [1.0, np.nan], "prioritaire": [True, False],
        "source": ["https://a.fr", ""], "autres_sources": ["", ""], "production": [30320.0, np.nan],
        "objectif": [31050.60975609756, 6000.4],
    })
    text = _csv(carte_view.export_table(table, "taux", "Taux de réalisation (%)"))
    assert "97,6" in text and "31051" in text and "30320" in text
    assert not any(len(tok.split(",")[-1]) > 1 for tok in text.replace("\n", ";").split(";")
                   if tok.replace(",", "").isdigit() and "," in tok)


def test_mutualisation_exports_round_euros_and_dwellings():
    _, regions = mutualisation_view.compute(mutualisation_view.default_values())
    frame = mutualisation_view.regions_export_frame(regions)
    for col in frame.columns:
        if col.endswith("(€)") or col.startswith("Logements"):
            assert frame[col].dtype.kind == "i" or str(frame[col].dtype) == "Int64", col
    back = pd.read_csv(io.BytesIO(exports.to_csv_bytes(frame)), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Solde net (€)"].dtype.kind == "i"
