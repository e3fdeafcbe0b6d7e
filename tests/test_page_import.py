"""The import section through the real frame (app.py + st.navigation), with AppTest.

Streamlit 1.67's AppTest drives ``st.file_uploader`` (``set_value((name, bytes, mime))``), so the
files really go through the uploader and the « Utiliser ces données » button; no session-state
injection is needed.

AppTest limitation seen here: after ``at.switch_page(...)``, elements the frame (app.py) writes
before ``nav.run()`` are missing from ``at.main`` (reproduced with a two-page app), so the
banner « Données importées » is checked in the browser (tests/browser/test_import_browser.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.paths import ROOT
from lib.store import NAME_MAX

GOOD = Path(__file__).resolve().parent / "good_files"
BRETAGNE_2015 = "Code région;Région;Année;Nombre de logements financés\n53;Bretagne;2015;4 321\n".encode()
BAD_NEGATIVE = "Code région;Région;Année;Nombre de logements financés\n53;Bretagne;2015;-7\n".encode()
PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("pages/donnees.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def upload(at: AppTest, name: str, content: bytes, kind: str = "figures") -> AppTest:
    at.selectbox(key="import_kind").set_value(kind).run()
    at.file_uploader(key=f"import_file_{kind}").set_value((name, content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def use_button(at: AppTest):
    found = [b for b in at.button if b.label == "Utiliser ces données"]
    return found[0] if found else None


def save_as(at: AppTest, name: str) -> AppTest:
    """Type ``name`` in the save form of the figures in use and click « Enregistrer » (by labels)."""
    field = next(t for t in at.text_input if t.label == "Nom sous lequel enregistrer (chiffres)")
    assert field.proto.max_chars == NAME_MAX  # the store's one limit, as for a scenario's name
    field.input(name)
    return next(b for b in at.button if b.label == "Enregistrer").click().run()


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def num(value) -> float | None:
    """A figure of the Carte table (a number, or text pre-formatted in French such as '4 321')."""
    text = str(value).replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def carte_row(at: AppTest, region: str):
    at.switch_page("pages/carte.py").run()
    assert not at.exception, [e.value for e in at.exception]
    for table in at.table:  # the ranking as shown at open (a static table, its grid one click away)
        v = table.value
        if "Région" in v.columns and "Nature" in v.columns:
            return v[v["Région"] == region].iloc[0]
    raise AssertionError("tableau des régions introuvable sur la Carte")


def test_valid_upload_is_used_on_the_map_and_announced_everywhere(at):
    before = carte_row(at, "Bretagne")
    at.switch_page("pages/donnees.py").run()
    upload(at, "sisal_2015.csv", BRETAGNE_2015)
    assert any("Fichier valide" in s.value for s in at.success)
    assert at.session_state["imported_datasets"] == {}  # nothing in use before the button
    use_button(at).click().run()
    assert "figures" in at.session_state["imported_datasets"]
    row = carte_row(at, "Bretagne")
    assert num(row.iloc[1]) == 4321 and row["Nature"] == "importé"
    assert (before.iloc[1], before["Nature"]) != (row.iloc[1], row["Nature"])
    at.switch_page("pages/mutualisation.py").run()
    assert not at.exception, [e.value for e in at.exception]


def test_bad_file_shows_messages_and_changes_nothing(at):
    upload(at, "bon.csv", BRETAGNE_2015)
    use_button(at).click().run()
    in_use = at.session_state["imported_datasets"]["figures"]
    upload(at, "mauvais.csv", BAD_NEGATIVE)
    assert any("mauvais" in e.value and "refusé" in e.value for e in at.error)
    problems = [df.value for df in at.dataframe if "Problème et correction" in df.value.columns][0]
    assert "valeur négative" in " ".join(problems["Problème et correction"])
    assert problems["Ligne"].tolist() == ["2"]
    assert use_button(at) is None  # a rejected file cannot be put in use
    assert at.session_state["imported_datasets"]["figures"] is in_use
    assert num(carte_row(at, "Bretagne").iloc[1]) == 4321


def test_unreadable_file_changes_nothing(at):
    upload(at, "vide.csv", b"")
    assert any("le fichier est vide" in e.value for e in at.error)
    assert at.session_state["imported_datasets"] == {}


def test_back_to_defaults(at):
    default = carte_row(at, "Bretagne")
    at.switch_page("pages/donnees.py").run()
    upload(at, "sisal_2015.csv", BRETAGNE_2015)
    use_button(at).click().run()
    at.button(key="import_reset_figures").click().run()
    assert at.session_state["imported_datasets"] == {}
    row = carte_row(at, "Bretagne")
    assert (num(row.iloc[1]), row["Nature"]) == (num(default.iloc[1]), default["Nature"]) or (
        num(row.iloc[1]) is None and num(default.iloc[1]) is None)


def test_organismes_upload_and_payload_shown_as_text(at):
    upload(at, "organismes.csv", (GOOD / "organismes_payload.csv").read_bytes(), kind="organismes")
    # the payload is in a table (text) and never in a markdown element unescaped
    assert any(PAYLOAD in df.value.to_string() for df in at.dataframe)
    assert PAYLOAD not in texts(at)
    use_button(at).click().run()
    ds = at.session_state["imported_datasets"]["organismes"]
    assert PAYLOAD in ds.frame["organisme_nom"].tolist()
    at.switch_page("pages/mutualisation.py").run()
    assert not at.exception, [e.value for e in at.exception]


def test_organismes_change_the_simulation(at):
    at.switch_page("pages/mutualisation.py").run()
    before = {m.label: m.value for m in at.metric}
    assert not any("Office exemple" in df.value.to_string() for df in at.dataframe)
    at.switch_page("pages/donnees.py").run()
    upload(at, "organismes.csv", (GOOD / "organismes_payload.csv").read_bytes(), kind="organismes")
    use_button(at).click().run()
    at.session_state["mut_vue_organismes"] = "Par organisme"  # the per-body tab (lazy tabs: built when shown)
    at.switch_page("pages/mutualisation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Office exemple" in df.value.to_string() for df in at.dataframe)
    assert {m.label: m.value for m in at.metric} != before
    assert PAYLOAD not in texts(at)  # the body's name reaches no markdown unescaped


def test_save_then_reload_from_the_database(at):
    upload(at, "sisal_2015.csv", BRETAGNE_2015)
    use_button(at).click().run()
    save_as(at, "SISAL 2015 Bretagne")
    assert any("Enregistré" in s.value for s in at.success)
    at.button(key="import_reset_figures").click().run()
    assert at.session_state["imported_datasets"] == {}
    saved = [df.value for df in at.dataframe if "Enregistré le" in df.value.columns][0]
    assert "SISAL 2015 Bretagne" in saved["Nom"].tolist()
    at.button(key="import_saved_load").click().run()
    ds = at.session_state["imported_datasets"]["figures"]
    assert ds.name == "SISAL 2015 Bretagne" and ds.frame["valeur"].tolist() == [4321.0]
    assert num(carte_row(at, "Bretagne").iloc[1]) == 4321


def test_second_save_under_the_same_name_asks_before_replacing(at):
    from lib import datasets_store

    upload(at, "sisal_2015.csv", BRETAGNE_2015)
    use_button(at).click().run()
    save_as(at, "Commun")
    first = datasets_store.list_datasets()
    assert [s.name for s in first] == ["Commun"]
    # another file, saved under the same name: refused until « Remplacer « Commun » »
    other = "Code région;Région;Année;Nombre de logements financés\n53;Bretagne;2015;1 000\n".encode()
    upload(at, "autre.csv", other)
    use_button(at).click().run()
    save_as(at, "Commun")
    assert not at.exception, [e.value for e in at.exception]
    assert any("déjà enregistré" in w.value for w in at.warning)
    assert datasets_store.list_datasets() == first
    assert datasets_store.load_dataset("figures", "Commun").frame["valeur"].tolist() == [4321.0]
    replace = at.button(key="import_replace_figures")
    assert replace.label == "Remplacer « Commun »"
    replace.click().run()
    assert any("Remplacé" in s.value for s in at.success)
    assert datasets_store.load_dataset("figures", "Commun").frame["valeur"].tolist() == [1000.0]
    assert len(datasets_store.list_datasets()) == 1
