"""The import section (page « Données et sources ») on refusals and confirmations, through the
real frame with AppTest: French messages for every refusal, a file without a year column
refused until the user states its year, confirmations next to the button and in a toast."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.paths import ROOT
from lib.plain_text import visible
from lib.store import NAME_MAX

BAD = Path(__file__).resolve().parents[1] / "bad_files"
BRETAGNE = "Code région;Région;Année;Nombre de logements financés\n53;Bretagne;2015;4 321\n".encode()


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("pages/donnees.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def upload(at: AppTest, name: str, content: bytes, kind: str = "figures", mime: str = "text/csv") -> AppTest:
    at.selectbox(key="import_kind").set_value(kind).run()
    at.file_uploader(key=f"import_file_{kind}").set_value((name, content, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> str:
    """Error boxes and the rows of the problems table, as read on screen."""
    parts = [str(e.value) for e in at.error]
    for df in at.dataframe:
        if "Problème et correction" in df.value.columns:
            parts += df.value["Problème et correction"].tolist()
    return visible("\n".join(parts)).replace("\\", "")


def use_button(at: AppTest):
    found = [b for b in at.button if b.label == "Utiliser ces données"]
    return found[0] if found else None


def save_as(at: AppTest, name: str) -> AppTest:
    """Type ``name`` in the save form of the figures in use and click « Enregistrer » (by labels)."""
    field = next(t for t in at.text_input if t.label == "Nom sous lequel enregistrer (chiffres)")
    assert field.proto.max_chars == NAME_MAX  # the store's one limit, as for a scenario's name
    field.input(name)
    return next(b for b in at.button if b.label == "Enregistrer").click().run()


def test_uploader_accepts_any_type_up_to_the_transport_ceiling(at):
    """The widget refuses nothing itself (its refusals are in English): the importer does, in French."""
    import streamlit as st

    widget = at.file_uploader(key="import_file_figures")
    assert list(widget.proto.type) == []
    assert widget.proto.max_upload_size_mb == st.get_option("server.maxUploadSize")
    assert widget.proto.max_upload_size_mb >= 5 * 10  # five times the stated 10 Mo


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("grand.csv", b"Code r\xc3\xa9gion;Ann\xc3\xa9e;PLAI\n" + b"11;2014;5\n" * 1_100_000, "au-delà de la limite de 10 Mo"),
    ("notes.txt", "Compte rendu de la réunion du comité.\nRien à signaler.\n".encode(), "ne contient pas de tableau"),
    ("donnees.json", b'{"region": "11", "annee": 2014}', "les fichiers .json ne sont pas acceptés"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "les fichiers .png ne sont pas acceptés"),
    ("rapport.pdf", b"%PDF-1.4\n", "c'est un PDF"),
    ("classeur.ods", (BAD / "spreadsheet.ods").read_bytes(), "OpenDocument (.ods)"),
])
def test_every_upload_refusal_is_in_french(at, name, content, fragment):
    upload(at, name, content, mime="application/octet-stream")
    assert fragment in errors(at), errors(at)
    assert use_button(at) is None
    assert at.session_state["imported_datasets"] == {}


def test_file_without_year_column_is_refused_until_its_year_is_given(at):
    upload(at, "missing_year_column.csv", (BAD / "missing_year_column.csv").read_bytes())
    assert "colonne obligatoire manquante : « Année »" in errors(at)
    assert use_button(at) is None
    year = [n for n in at.number_input if n.label.startswith("Année de tout le fichier")][0]
    assert year.value is None  # no silent 2015
    year.set_value(2014).run()
    assert not at.error, errors(at)
    use_button(at).click().run()
    ds = at.session_state["imported_datasets"]["figures"]
    assert set(ds.frame["annee"].astype(int)) == {2014}


def test_using_a_file_is_confirmed_next_to_its_button_and_in_a_toast(at):
    upload(at, "bretagne.csv", BRETAGNE)
    use_button(at).click().run()
    successes = [visible(s.value).replace("\\", "") for s in at.success]
    assert any("Ces données (« bretagne ») sont en service sur toutes les pages" in s for s in successes)
    assert any("en service sur toutes les pages : 1 ligne" in visible(t.proto.body).replace("\\", "")
               for t in at.toast)
    # the confirmation stays under the button while this file is the one in use
    at.run()
    assert any("sont en service sur toutes les pages" in visible(s.value) for s in at.success)


def test_saving_and_loading_a_dataset_are_confirmed(at):
    upload(at, "bretagne.csv", BRETAGNE)
    use_button(at).click().run()
    save_as(at, "Bretagne 2015")
    toasts = [visible(t.proto.body).replace("\\", "") for t in at.toast]
    assert any("Enregistré dans la base : « Bretagne 2015 »" in t for t in toasts), toasts
    at.button(key="import_reset_figures").click().run()
    at.button(key="import_saved_load").click().run()
    toasts = [visible(t.proto.body).replace("\\", "") for t in at.toast]
    assert any("Données « Bretagne 2015 » (chiffres) en service" in t for t in toasts), toasts
    assert any("Bretagne 2015" in visible(s.value).replace("\\", "") for s in at.success)


def test_removing_the_file_drops_its_table_from_the_session(at):
    upload(at, "bretagne.csv", BRETAGNE)
    assert at.session_state["import_raw_cache"] is not None
    at.file_uploader(key="import_file_figures").set_value(None).run()
    assert "import_raw_cache" not in at.session_state
