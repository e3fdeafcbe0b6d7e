"""Importing users' extracts: the bad-file corpus, the good examples, and the parsing rules.

Each bad file in tests/bad_files/ is listed in expected.csv with the message it must produce;
tests/bad_files/make_files.py writes them. Huge files are generated here, not committed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lib import importer as im
from lib.data import FIGURES_SCHEMA
from lib.errors import DataError

TESTS = Path(__file__).resolve().parent
BAD = TESTS / "bad_files"
GOOD = TESTS / "good_files"
PAYLOAD = "<img src=x onerror=alert(1)>"
NOW = datetime(2016, 3, 12, 10, 30)

with open(BAD / "expected.csv", encoding="utf-8", newline="") as _fh:
    BAD_CASES = list(csv.DictReader(_fh, delimiter=";"))


def load(filename: str, kind: str, **kw) -> im.ImportedDataset:
    path = GOOD / filename
    return im.import_file(path.read_bytes(), path.name, kind, now=NOW, **kw)


# ---------------------------------------------------------------------------------------------
# The bad-file corpus


def test_corpus_is_large_enough_and_complete():
    assert len(BAD_CASES) >= 25
    listed = {c["fichier"] for c in BAD_CASES}
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("expected.csv", "make_files.py", "__pycache__")}
    assert listed == on_disk
    # every family the issue names is represented
    names = " ".join(listed)
    for word in ("latin1", "cp1252", "utf16", "utf8_bom", "comma_separator", "html_payload", "empty", "duplicate",
                 "negative", "non_numeric", "year_out_of_range", "unknown", "missing", ".xlsx"):
        assert word in names, word


@pytest.mark.parametrize("case", BAD_CASES, ids=[c["fichier"] for c in BAD_CASES])
def test_bad_file_is_refused_with_its_message(case):
    content = (BAD / case["fichier"]).read_bytes()
    with pytest.raises(DataError) as err:
        im.import_file(content, case["fichier"], case["type"], now=NOW)
    message = str(err.value)
    assert case["message_attendu"] in message
    assert f"« {case['fichier']} »" in message  # the file is named


def test_rejected_file_lists_every_problem_with_line_and_column():
    content = ("Code région;Année;PLAI\n"
               "11;2014;-1\n"
               "82;1850;3\n"
               "99;2014;douze\n").encode()
    with pytest.raises(im.ImportRejected) as err:
        im.import_file(content, "plusieurs.csv", "figures")
    problems = err.value.problems
    text = "\n".join(p.message for p in problems)
    assert "ligne 2, colonne « PLAI » : valeur négative" in text
    assert "ligne 3, colonne « Année » : année 1850 hors de la période" in text
    assert "ligne 4, colonne « Code région » : code « 99 » inconnu" in text
    assert "ligne 4, colonne « PLAI » : « douze » n'est pas un nombre" in text
    assert {p.line for p in problems} >= {2, 3, 4}
    assert "Les données utilisées jusqu'ici restent en place" in str(err.value)


def test_a_problem_repeated_on_many_lines_is_summarised():
    rows = "".join(f"{c};2014;x\n" for c in ("11", "21", "22", "23", "24", "25", "26", "31"))
    with pytest.raises(im.ImportRejected) as err:
        im.import_file(("Code région;Année;PLAI\n" + rows).encode(), "x.csv", "figures")
    messages = [p.message for p in err.value.problems]
    assert sum("n'est pas un nombre" in m for m in messages) == im.MAX_MESSAGES_PER_PROBLEM
    assert any("se répète sur 3 autres lignes (7, 8, 9)" in m for m in messages)


# ---------------------------------------------------------------------------------------------
# Limits (generated: nothing huge is committed)


def test_file_over_size_limit_is_refused():
    line = "11;Île-de-France;2014;1;1;1;1\n"
    content = ("Code région;Région;Année;Total;PLAI;PLUS;PLS\n" + line * (im.MAX_BYTES // len(line) + 10000)).encode()
    assert len(content) > im.MAX_BYTES
    with pytest.raises(DataError) as err:
        im.import_file(content, "enorme.csv", "figures")
    size = f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")
    assert f"Fichier « enorme.csv » : {size} Mo, au-delà de la limite de 10 Mo" in str(err.value)


def test_file_over_row_limit_is_refused():
    content = ("Code région;Année;PLAI\n" + "11;2014;1\n" * (im.MAX_ROWS + 50)).encode()
    assert len(content) < im.MAX_BYTES
    with pytest.raises(DataError, match="plus de 200\u202f000 lignes"):
        im.import_file(content, "long.csv", "figures")


def test_xlsx_over_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(im.limits, "MAX_ROWS", 50)  # the limits live in one module, read at call time
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Code région", "Année", "PLAI"])
    for _ in range(200):
        ws.append(["11", 2014, 1])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DataError, match="plus de 50 lignes"):
        im.import_file(buf.getvalue(), "long.xlsx", "figures")


def test_xlsx_zip_bomb_is_refused_before_parsing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (im.MAX_XLSX_UNPACKED_BYTES + 1))
    content = buf.getvalue()
    assert len(content) < im.MAX_BYTES
    with pytest.raises(DataError, match="décompressé dépasse"):
        im.import_file(content, "bombe.xlsx", "figures")


def test_limits_are_stated_in_french():
    assert "10 Mo" in im.LIMITS_TEXT and "200\u202f000 lignes" in im.LIMITS_TEXT


# ---------------------------------------------------------------------------------------------
# Good files: formats as people really have them


def _value(ds, code, indicator, niveau="region2015", year=None):
    f = ds.frame
    sel = (f["territoire_code"] == code) & (f["indicateur"] == indicator) & (f["niveau"] == niveau)
    if year is not None:
        sel &= f["annee"] == year
    assert sel.sum() == 1, f[sel]
    return float(f.loc[sel, "valeur"].iloc[0])


def test_semicolon_decimal_comma_bom_with_title_and_total_rows():
    ds = load("figures_semicolon_comma_bom.csv", "figures")
    assert ds.level == "region2015"
    assert _value(ds, "11", "lls_finances") == 27670  # NBSP thousands
    assert _value(ds, "11", "lls_finances_plai") == 8000  # narrow NBSP thousands
    assert _value(ds, "82", "lls_finances_pls") == 3000
    assert any("total" in w.lower() for w in ds.warnings)


def test_windows_1252_with_dot_thousands():
    ds = load("figures_cp1252.csv", "figures")
    assert _value(ds, "93", "lls_finances") == 8863
    assert _value(ds, "91", "lls_finances") == 5120  # "5.120" in a ';' file: dot between thousands
    assert _value(ds, "93", "rehab_eco_pls") == 1200


def test_comma_separated_with_quoted_thousands():
    ds = load("figures_comma_dot.csv", "figures")
    assert _value(ds, "11", "lls_finances") == 30320
    assert _value(ds, "52", "parc_locatif_social") == 210000


def test_utf16_tab_separated_text_from_excel():
    ds = load("figures_tab_utf16.txt", "figures")
    assert _value(ds, "24", "lls_finances_plus") == 1500


def test_xlsx_with_title_rows_finds_header_and_cites_excel_rows():
    raw = im.read_table((GOOD / "figures_title_rows.xlsx").read_bytes(), "figures_title_rows.xlsx")
    assert raw.header_line == 4
    assert list(raw.frame.index) == [5, 6, 7]
    ds = load("figures_title_rows.xlsx", "figures")
    assert _value(ds, "11", "lls_finances") == 30320
    assert len(ds.frame[ds.frame["indicateur"] == "lls_finances"]) == 2  # total row skipped


def test_departements_are_summed_into_complete_regions_only():
    ds = load("figures_departements.csv", "figures")
    assert ds.level == "departement"
    # Bretagne = 22 + 29 + 35 + 56, all present
    assert _value(ds, "53", "lls_finances_plai") == 100 + 150 + 400 + 120
    note = ds.frame.loc[(ds.frame["territoire_code"] == "53") & (ds.frame["niveau"] == "region2015"), "note"].iloc[0]
    assert "4 départements" in note
    # Paris alone is not Île-de-France: kept as a département, no regional total, and said so
    assert _value(ds, "75", "lls_finances_plai", niveau="departement") == 2500
    assert not ((ds.frame["territoire_code"] == "11") & (ds.frame["niveau"] == "region2015")).any()
    assert any("11 Île-de-France 2014 (1 départements sur 8)" in w for w in ds.warnings)


def test_communes_are_summed_by_departement_and_region():
    ds = load("figures_communes.csv", "figures")
    assert ds.level == "commune"
    assert _value(ds, "35", "lls_finances", niveau="departement") == 960
    assert _value(ds, "53", "lls_finances") == 1260


def test_objectives():
    ds = load("objectifs_regions.csv", "objectifs")
    assert list(ds.frame.columns) == list(im.OBJECTIFS_COLUMNS)
    row = ds.frame[ds.frame["reg2015_code"] == "11"].iloc[0]
    assert row["objectif_lls"] == 37000 and row["annee"] == 2014
    figs = ds.as_figures()
    assert set(figs["indicateur"]) == {"objectif_lls"}
    FIGURES_SCHEMA.validate(figs)


def test_organismes_with_payload_name_kept_as_text():
    ds = load("organismes_payload.csv", "organismes")
    assert list(ds.frame.columns) == list(im.ORGANISMES_COLUMNS)
    org2 = ds.frame.set_index("organisme_id").loc["ORG2"]
    assert org2["organisme_nom"] == PAYLOAD  # unchanged text; escaping is the UI's job
    assert org2["loyers_eur"] == 45_000_000.25
    assert bool(org2["exonere"]) is True
    assert org2["reg2015_code"] == "82" and org2["dep_code"] == "69"
    org1 = ds.frame.set_index("organisme_id").loc["ORG1"]
    assert org1["loyers_eur"] == 120_000_000.50


def test_organismes_feed_the_mutualisation_engine():
    from lib import mutualisation
    from lib.mutualisation_inputs import inputs_from_bodies

    ds = load("organismes_payload.csv", "organismes")
    inputs = mutualisation.validate_inputs(inputs_from_bodies(ds.frame))
    assert list(inputs["part_exoneree"]) == [0.0, 1.0]
    assert inputs["region_code"].tolist() == ["11", "82"]


def test_figures_frame_has_exactly_the_shipped_columns_and_nature():
    ds = load("figures_semicolon_comma_bom.csv", "figures", name="SISAL mars 2016")
    shipped = pd.read_csv(TESTS.parent / "data" / "figures.csv", nrows=1)
    assert list(ds.frame.columns) == list(shipped.columns)
    assert set(ds.frame["nature"]) == {"importé"}
    assert set(ds.frame["source"]) == {"Fichier importé : SISAL mars 2016"}
    assert set(ds.frame["fichier_origine"]) == {"figures_semicolon_comma_bom.csv"}
    assert str(ds.frame["annee"].dtype) == "Int64"
    FIGURES_SCHEMA.validate(ds.frame)
    assert ds.name == "SISAL mars 2016" and ds.loaded_at == NOW and ds.rows == len(ds.frame)


# ---------------------------------------------------------------------------------------------
# Parsing rules, one table each


@pytest.mark.parametrize(
    "cells, decimal, expected",
    [
        (["1 234"], ",", [1234.0]),
        (["1\u00a0234,5"], ",", [1234.5]),
        (["1\u202f234\u202f567"], ",", [1234567.0]),
        (["1.234.567"], ",", [1234567.0]),
        (["1.234,5"], ",", [1234.5]),
        (["1,234.5"], ".", [1234.5]),
        (["12,5"], ".", [12.5]),  # an unambiguous decimal comma wins over the file default
        (["1,234"], ".", [1234.0]),  # ambiguous: the ','-separated file's default (thousands)
        (["1,234"], ",", [1.234]),  # ambiguous in a ';' file: decimal comma
        (["−12"], ",", [-12.0]),
        (["1 500 €"], ",", [1500.0]),
        (["1E+05"], ",", [100000.0]),
        (["douze"], ",", [float("nan")]),
        (["1.5", "1,5"], ",", [float("nan"), 1.5]),  # mixed marks: the odd one out is refused
        ([7, 2.5], ",", [7.0, 2.5]),  # Excel numbers untouched
        (["1e999"], ",", [float("nan")]),
    ],
)
def test_parse_numbers(cells, decimal, expected):
    got = im.parse_numbers(pd.Series(cells, dtype=object), decimal).tolist()
    assert pd.Series(got).equals(pd.Series(expected, dtype=float)) or got == expected


@pytest.mark.parametrize(
    "value, level, expected",
    [
        ("1", "region2015", "01"), (11.0, "region2015", "11"), ("11.0", "region2015", "11"),
        ("2a", "departement", "2A"), ("971", "departement", "971"), ("5", "departement", "05"),
        ("1004", "commune", "01004"), ("2A004", "commune", "2A004"), ("123", "region2015", None),
        ("Paris", "departement", None), (-3, "departement", None), (None, "departement", None),
    ],
)
def test_normalize_code(value, level, expected):
    assert im.normalize_code(value, level) == expected


@pytest.mark.parametrize(
    "header, field",
    [
        ("Code région", "territoire_code"), ("CODE_REGION", "territoire_code"), ("Code département", "territoire_code"),
        ("Année", "annee"), ("ANNEE", "annee"), ("Année de financement", "annee"),
        ("Nombre de logements financés", "lls_finances"), ("Nb logements financés", "lls_finances"),
        ("PLAI", "lls_finances_plai"), ("dont PLAI", "lls_finances_plai"), ("Nombre de PLUS", "lls_finances_plus"),
        ("PLS", "lls_finances_pls"), ("Réhabilitations éco-prêt", "rehab_eco_pls"),
        ("Parc locatif social", "parc_locatif_social"), ("Libellé région", "territoire_nom"),
    ],
)
def test_french_labels_are_matched(header, field):
    other = "Commentaire" if header != "Commentaire" else "Autre"
    raw = im.read_table(f"{header};{other}\nx;y\n".encode(), "t.csv")
    assert im.propose_mapping(raw, "figures")[field] == header


def test_each_column_is_proposed_once():
    raw = im.read_table("Code région;Code département;Année;PLAI\n11;75;2014;1\n".encode(), "t.csv")
    mapping = im.propose_mapping(raw, "figures")
    chosen = [v for v in mapping.values() if v]
    assert len(chosen) == len(set(chosen))


@pytest.mark.parametrize(
    "content, level",
    [
        ("Code région;Année;PLAI\n11;2014;1\n82;2014;1\n", "region2015"),
        ("Code région 2016;Année;PLAI\n11;2014;1\n", "region2016"),
        ("Code nouvelle région;Année;PLAI\n93;2014;1\n", "region2016"),
        ("Code région;Année;PLAI\n84;2016;1\n76;2016;2\n", "region2016"),  # merged codes only
        ("Code département;Année;PLAI\n11;2014;1\n", "departement"),
        ("Code;Nom;Année;PLAI\n11;Aude;2014;1\n21;Côte-d'Or;2014;1\n", "departement"),  # names settle it
        ("Code;Nom;Année;PLAI\n11;Île-de-France;2014;1\n21;Champagne-Ardenne;2014;1\n", "region2015"),
        ("Code;Année;PLAI\n75;2014;1\n2A;2014;1\n", "departement"),
        ("Code INSEE;Année;PLAI\n75056;2014;1\n", "commune"),
    ],
)
def test_detect_level(content, level):
    raw = im.read_table(content.encode(), "t.csv")
    assert im.detect_level(raw, "figures", im.propose_mapping(raw, "figures")) == level


def test_unchanged_regions_are_accepted_in_2016_coding():
    ds = im.import_file("Code région 2016;Année;PLAI\n53;2016;10\n".encode(), "r16.csv", "figures")
    assert ds.frame["territoire_code"].tolist() == ["53"] and ds.frame["niveau"].tolist() == ["region2015"]


def test_user_can_correct_mapping_level_and_year():
    raw = im.read_table(b"Zone;Valeur A;Valeur B\n11;5;6\n", "t.csv")
    with pytest.raises(im.ImportRejected):
        im.build_dataset(raw, "figures", im.propose_mapping(raw, "figures"))
    ds = im.build_dataset(raw, "figures", {"territoire_code": "Zone", "lls_finances_plai": "Valeur A"},
                          level="departement", fixed_year=2015, name="corrigé")
    assert ds.frame.loc[ds.frame["niveau"] == "departement", "territoire_code"].tolist() == ["11"]
    assert ds.frame["annee"].unique().tolist() == [2015]


def test_header_line_can_be_forced():
    content = "Titre;x\nCode région;Année;PLAI\n11;2014;3\n".encode()
    raw = im.read_table(content, "t.csv", header_line=2)
    assert raw.header_line == 2 and list(raw.frame.columns) == ["Code région", "Année", "PLAI"]
    with pytest.raises(DataError, match="ligne 9"):
        im.read_table(content, "t.csv", header_line=9)


def test_name_mismatch_is_a_warning():
    ds = im.import_file("Code région;Région;Année;PLAI\n11;Bretagne;2014;3\n".encode(), "t.csv", "figures",
                        level="region2015")
    assert any("le code 11 est « Île-de-France », le fichier dit « Bretagne »" in w for w in ds.warnings)


def test_unknown_kind_is_a_data_error():
    with pytest.raises(DataError, match="Type de fichier inconnu"):
        im.import_file(b"a;b\n1;2\n", "t.csv", "autre")


# ---------------------------------------------------------------------------------------------
# Templates and exports


@pytest.mark.parametrize("kind", im.KINDS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_import_as_they_are(kind, fmt):
    content = im.template_csv(kind) if fmt == "csv" else im.template_xlsx(kind)
    raw = im.read_table(content, f"modele_{kind}.{fmt}", kind)
    mapping = im.propose_mapping(raw, kind)
    assert set(mapping.values()) - {None} == set(raw.frame.columns)  # every template column recognised
    ds = im.build_dataset(raw, kind, mapping, now=NOW)
    assert ds.rows > 0


@pytest.mark.parametrize("kind", im.KINDS)
def test_templates_show_no_invented_figure(kind):
    """One row, labelled as an example, every amount 0: nothing can pass for a real figure."""
    frame = im.template_frame(kind)
    assert len(frame) == 1
    assert im.TEMPLATE_EXAMPLE in frame.iloc[0].astype(str).tolist()
    numbers = [c for c in frame.columns if c != "Année" and pd.api.types.is_numeric_dtype(frame[c])]
    assert numbers and all(frame[c].fillna(0).eq(0).all() for c in numbers)


def test_csv_export_neutralises_formulas():
    frame = pd.DataFrame({"nom": ["=HYPERLINK(\"http://x\")", "+1", "-cmd", "@SUM(1)", "ok"], "n": [-1, 2, 3, 4, 5]})
    text = im.to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "'-cmd" in text and "'@SUM" in text
    assert "\n-1;" not in text or ";-1" in text  # numbers untouched
    assert text.splitlines()[1].endswith(";-1")


def test_xlsx_export_keeps_text_as_text():
    frame = pd.DataFrame({"nom": ["=1+1", PAYLOAD]})
    wb = openpyxl.load_workbook(io.BytesIO(im.to_xlsx_bytes(frame)))
    cells = [c.value for c in wb.active["A"]][1:]
    assert cells == ["'=1+1", PAYLOAD]
    assert all(c.data_type == "s" for c in wb.active["A"])


def test_xlsx_formula_is_never_evaluated():
    """A real formula cell: we read the value Excel stored, never the formula."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Code région", "Année", "PLAI"])
    ws.write_row(1, 0, ["11", 2014])
    ws.write_formula(1, 2, "=1+1", None, 7)  # stored result 7, as Excel would have saved it
    wb.close()
    ds = im.import_file(buf.getvalue(), "formule.xlsx", "figures")
    assert ds.frame["valeur"].tolist() == [7.0]


# ---------------------------------------------------------------------------------------------
# Named datasets kept in the scenarios' database


@pytest.mark.parametrize("filename, kind", [("figures_departements.csv", "figures"),
                                            ("objectifs_regions.csv", "objectifs"),
                                            ("organismes_payload.csv", "organismes")])
def test_saved_dataset_reloads_identical(tmp_path, filename, kind):
    from lib import datasets_store

    db = tmp_path / "store.sqlite3"
    ds = load(filename, kind)
    info = datasets_store.save_dataset(ds, "Mon import", path=db)
    assert info.n_rows == ds.rows and info.kind == kind
    back = datasets_store.load_dataset(kind, "Mon import", path=db)
    pd.testing.assert_frame_equal(back.frame.reset_index(drop=True), ds.frame.reset_index(drop=True),
                                  check_dtype=False)
    assert (back.kind, back.name, back.level, back.source_file) == (kind, "Mon import", ds.level, ds.source_file)
    assert back.warnings == ds.warnings and back.loaded_at == NOW
    assert [s.name for s in datasets_store.list_datasets(kind, path=db)] == ["Mon import"]


def test_saved_datasets_share_the_scenarios_database(tmp_path, monkeypatch):
    from lib import datasets_store, store

    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "env.sqlite3"))
    datasets_store.save_dataset(load("objectifs_regions.csv", "objectifs"))
    store.save_scenario("scénario", {"a": 1})
    assert (tmp_path / "env.sqlite3").exists()
    assert [s.name for s in datasets_store.list_datasets()] == ["objectifs_regions"]
    assert [s.name for s in store.list_scenarios()] == ["scénario"]


def test_save_refuses_duplicates_and_replaces_only_when_confirmed(tmp_path):
    from lib import datasets_store, store

    db = tmp_path / "s.sqlite3"
    a = load("objectifs_regions.csv", "objectifs")
    first = datasets_store.save_dataset(a, "obj", path=db)
    # a second save under the same name (perhaps another user's) is refused, nothing changes
    with pytest.raises(store.NameConflict, match="existe déjà") as info:
        datasets_store.save_dataset(a, " obj ", path=db)
    assert info.value.name == "obj"
    assert datasets_store.list_datasets(path=db) == [first]
    datasets_store.save_dataset(a, "obj", path=db, overwrite=True)  # after « Remplacer »
    assert len(datasets_store.list_datasets(path=db)) == 1
    assert datasets_store.delete_dataset("objectifs", "obj", path=db)
    with pytest.raises(DataError, match="introuvable"):
        datasets_store.load_dataset("objectifs", "obj", path=db)


def test_damaged_saved_dataset_gives_a_french_error(tmp_path):
    import sqlite3

    from lib import datasets_store

    db = tmp_path / "s.sqlite3"
    datasets_store.save_dataset(load("objectifs_regions.csv", "objectifs"), "obj", path=db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE imported_datasets SET frame = ?",
                     ('{"columns":["reg2015_code","annee","objectif_lls","objectif_rehab"],'
                      '"data":[["11",2014,-5,null]]}',))
    with pytest.raises(DataError, match="non conformes"):
        datasets_store.load_dataset("objectifs", "obj", path=db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE imported_datasets SET frame = 'pas du json'")
    with pytest.raises(DataError, match="abîmé"):
        datasets_store.load_dataset("objectifs", "obj", path=db)


def test_objectives_bridge_to_targets():
    """lib/targets.apply_imported reads (annee, code, objectif, source): ``objectives_for_targets``."""
    from lib import geo, params, targets
    from lib.data import load_figures

    obj = targets.regional_objectives(load_figures(), geo.load_regions(), params.load_params())
    ds = load("objectifs_regions.csv", "objectifs", name="Objectifs notifiés")
    out = targets.apply_imported(obj, im.objectives_for_targets(ds))
    row = out[(out["code"] == "11") & (out["annee"] == 2014)].iloc[0]
    assert row["objectif"] == 37000 and row["nature"] == "importé"
    assert "Objectifs notifiés" in row["source"]
