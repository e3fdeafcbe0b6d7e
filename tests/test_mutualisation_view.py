"""What the « Mutualisation » page shows, tested without Streamlit (lib/views/mutualisation.py)."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from lib import fmt
from lib.exports import to_csv_bytes, to_xlsx_bytes
from lib.mutualisation_inputs import inputs_from_bodies
from lib.params import value
from lib.views import mutualisation as view

PAYLOAD = "<img src=x onerror=alert(1)>"


def body_frame() -> pd.DataFrame:
    """The importer's « organismes » columns: 3 bodies in 2 regions, C exempt, B's name a payload."""
    return pd.DataFrame(
        {
            "organisme_id": ["A1", "B2", "C3"],
            "organisme_nom": ["Office A", PAYLOAD, "SA C"],
            "reg2015_code": ["11", "11", "53"],
            "dep_code": ["75", None, "35"],
            "loyers_eur": [600e6, 200e6, 400e6],
            "patrimoine_logements": [100_000.0, 100_000.0, 200_000.0],
            "cotisation_cglls_eur": [6e6, 2e6, 4e6],
            "exonere": [False, False, True],
            "lls_zone_1_1bis": [10_000.0, 0.0, 0.0],
            "lls_zone_2_3": [0.0, 5_000.0, 10_000.0],
            "prets_rehab_eur": [100e6, 0.0, 20e6],
            "logements_restructures": [0.0, 1_000.0, 0.0],
        }
    )


def test_the_view_module_does_not_import_streamlit():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(view.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("streamlit")]


def test_defaults_round_trip_to_the_pact():
    params, volumes, year, scenario = view.to_engine(view.default_values())
    assert params.aide_zone_1_1bis_eur == value("mutualisation.aides.aide_zone_1_1bis_eur", 2013)
    assert params.part_loyers == value("mutualisation.cotisation.part_loyers", 2013)
    assert (year, scenario) == (2013, "base")
    assert view.share_query(view.default_values()) == ""
    assert view.share_query({**view.default_values(), "a_z1": 4000.0}) == "?a_z1=4000.0"


def test_exports_are_french_excel_friendly():
    _, regions = view.compute(view.default_values())
    frame = view.regions_export_frame(regions)
    csv = to_csv_bytes(frame, float_format="%.2f")
    assert csv.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Solde net (€)"].sum() == pytest.approx(0, abs=1)
    # rounded to the euro: each region's amount is within 0.5 € of the engine's
    assert (back["Aides reçues (€)"] - regions["aide_totale_eur"].to_numpy()).abs().max() <= 0.5
    assert back["Aides reçues (€)"].dtype.kind == "i"
    xlsx = to_xlsx_bytes({"Régions": frame})
    assert len(pd.read_excel(io.BytesIO(xlsx))) == 22


def test_parameters_sheet_has_numbers_booleans_in_french_and_descriptions():
    values = {**view.default_values(), "a_z1": 3500.0, "scen": "prioritaires_objectif"}
    sheet = view.parameters_sheet(values).set_index("Paramètre")
    z1 = sheet.loc[view.control_by_key()["a_z1"].label]
    assert z1["Valeur"] == 3500 and not isinstance(z1["Valeur"], str)
    assert z1["Unité"] == "€/logement" and "zone 1 ou 1 bis" in z1["Description"]
    assert sheet.loc[view.control_by_key()["p_loyers"].label, "Unité"] == "%"
    assert sheet.loc[view.control_by_key()["exo_cot"].label, "Valeur"] == "non"
    assert sheet.loc[view.control_by_key()["exo_aides"].label, "Valeur"] == "oui"
    assert sheet.loc[view.control_by_key()["scen"].label, "Valeur"] == view.SCENARIOS["prioritaires_objectif"].libelle
    assert sheet.loc[view.control_by_key()["annee"].label, "Valeur"] == 2013
    assert sheet["Description"].map(bool).all()
    # in the workbook: numbers are numbers, not the text "3500.0" / "True"
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"Paramètres": view.parameters_sheet(values)})))
    cells = {r[0].value: r[1] for r in wb["Paramètres"].iter_rows(min_row=2)}
    assert cells[view.control_by_key()["a_z1"].label].data_type == "n"
    assert cells[view.control_by_key()["exo_cot"].label].value == "non"


def test_page_texts_quote_the_parameters():
    assert view.split_note() == "Les trois parts doivent totaliser 100\u00a0% (annexe 1 : " + ", ".join(
        fmt.fmt_pct(value(f"mutualisation.cotisation.{n}", 2013), 0)
        for n in ("part_loyers", "part_patrimoine", "part_cotisation_cglls")
    ) + ")."
    assert fmt.fmt_meur(value("mutualisation.aides.enveloppe_indicative", 2013), 0) in view.goalseek_intro()
    share = value("objectifs.production_hlm", 2013) / value("objectifs.production_tous_bailleurs", 2013)
    assert f"({fmt.fmt_pct(share, 0)})" in view.data_volumes_help()


def test_map_is_offline_and_diverging():
    from lib import offline_map

    _, regions = view.compute(view.default_values())
    spec = view.flows_map(regions)
    assert spec["data"]["url"] == offline_map.GEOMETRY_URL  # served by the app, no CDN
    assert "http" not in json.dumps({k: v for k, v in spec.items() if k not in ("$schema", "datasets")})
    assert view.flow_colour(-10, 10) != view.flow_colour(10, 10)
    values = spec["datasets"][offline_map.VALUES]
    simulated = values[values["code"].isin(regions["region_code"])]
    assert len(values) == 27 and len(simulated) == len(regions) == 22
    assert simulated["Solde"].str.endswith("M€").all()  # French amounts
    ile = values.set_index("code").loc["11"]
    assert ile["Région"] == "Île-de-France" and ile["couleur"].startswith("#")
    assert values.set_index("code").loc["04", "Statut"] == view.NOT_SIMULATED


def test_map_of_bodies_leaves_regions_without_bodies_uncoloured():
    _, regions = view.compute(view.default_values(), inputs_from_bodies(body_frame()))
    values = view.flows_values(regions, view.NO_BODY).set_index("code")
    assert values.loc["53", "couleur"] and values.loc["24", "couleur"] == ""
    assert values.loc["24", "Statut"] == view.NO_BODY


def test_flows_chart_spec_is_the_same_for_other_values():
    """Only the data changes with the simulation: the browser updates the chart in place."""
    _, a = view.compute(view.default_values())
    _, b = view.compute({**view.default_values(), "a_z1": 5000.0})
    sa, sb = view.flows_chart(a), view.flows_chart(b)
    (name,) = sa["datasets"]
    assert {k: v for k, v in sa.items() if k != "datasets"} == {k: v for k, v in sb.items() if k != "datasets"}
    assert not sa["datasets"][name].equals(sb["datasets"][name])
    assert sa["datasets"][name]["Montant"].str.endswith("M€").all()


def test_body_exports_keep_names_as_text():
    frame = body_frame()
    frame.loc[0, "organisme_nom"] = '=HYPERLINK("http://x")'
    result, regions = view.compute(view.default_values(), inputs_from_bodies(frame))
    assert result.totals["fonds_total_eur"] == pytest.approx(59.1e6)
    assert list(regions["nature"]) == ["importé", "importé"]
    exp = view.export_bodies(result.units)
    back = pd.read_csv(io.BytesIO(to_csv_bytes(exp)), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Organisme"].tolist()[0].startswith("'=")  # not a formula in Excel
    assert PAYLOAD in back["Organisme"].tolist()
    xlsx = pd.read_excel(io.BytesIO(to_xlsx_bytes({"Organismes": exp})))
    assert len(xlsx) == 3 and PAYLOAD in xlsx["Organisme"].tolist()


def test_body_table_and_region_names_of_bodies():
    result, _ = view.compute(view.default_values(), inputs_from_bodies(body_frame()))
    table = view.body_table(result.units)
    assert set(table["Région"]) == {"Île-de-France", "Bretagne"}
    assert PAYLOAD in table["Organisme"].tolist()


def test_compare_two_scenarios_in_lib():
    base = view.default_values()
    tot, bal = view.compare_scenarios({"Pacte": base, "Zone 1 haute": {**base, "a_z1": 5000.0}})
    t_txt, _ = view.format_compare(tot, bal)
    row = t_txt[t_txt[""] == "Fonds total"].iloc[0]
    assert row["Écart Zone 1 haute − Pacte"] == "+36,8\u00a0M€"


def test_the_bodies_table_writes_euros_as_lib_fmt_does():
    """The table of bodies formats without babel (it is redrawn on every move): its text must be
    exactly what lib.fmt writes."""
    values = [0.0, 0.3, -0.3, 999.5, 1000.5, 71_000.0, -113_687.5, 1_234_567.49, 14e6, -2.5e9]
    n = len(values)
    units = pd.DataFrame({
        "nom": [f"Organisme {i}" for i in range(n)], "code": [str(i) for i in range(n)], "region_code": "11",
        "part_exoneree": 0.0, "aide_totale_eur": [abs(v) for v in values], "aide_zone_1_1bis_eur": 0.0,
        "aide_zone_2_3_eur": 0.0, "aide_rehabilitation_eur": 0.0, "aide_restructuration_eur": 0.0,
        "contribution_totale_eur": 0.0, "solde_net_eur": values, "statut": "neutre",
    })
    table = view.body_table(units).set_index("Identifiant")
    for i, v in enumerate(values):
        assert table.loc[str(i), "Aides reçues"] == fmt.fmt_eur(abs(v))
        assert table.loc[str(i), "Solde net"] == fmt.fmt_signed(v, 0, "€")


def test_default_values_are_computed_once_but_each_caller_gets_its_own_dict():
    first = view.default_values()
    first["a_z1"] = -1.0  # a caller changing its copy (a session) changes no one else's defaults
    again = view.default_values()
    assert again["a_z1"] == value("mutualisation.aides.aide_zone_1_1bis_eur", 2013)
    assert again is not first


def test_default_values_follow_a_parameters_file_read_again(monkeypatch):
    """The defaults are kept per loaded parameters file, not once per process: a file read again
    with another value gives that value (and the first file's defaults come back with it)."""
    import dataclasses
    from types import MappingProxyType

    from lib import params

    loaded = params.load_params()
    path = "mutualisation.aides.aide_zone_1_1bis_eur"
    changed = MappingProxyType({**loaded, path: dataclasses.replace(loaded[path], valeurs=MappingProxyType({2013: 1234}))})
    assert view.default_values()["a_z1"] == value(path, 2013)
    monkeypatch.setattr(params, "load_params", lambda *a, **k: changed)
    assert view.default_values()["a_z1"] == 1234.0
    assert view.to_engine(view.default_values())[0].aide_zone_1_1bis_eur == 1234.0
    monkeypatch.setattr(params, "load_params", lambda *a, **k: loaded)
    assert view.default_values()["a_z1"] == value(path, 2013)
