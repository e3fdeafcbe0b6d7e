"""Loading a scenario is confirmed where the user is (under the button, and in a toast), and the
messages of the controls' buttons, which rerun only the simulator's fragment, are shown at once."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.paths import ROOT
from lib.plain_text import visible

PAGE = str(ROOT / "pages" / "mutualisation.py")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("PACTE_HLM_DB", str(tmp_path / "store.sqlite3"))


def seen(at: AppTest) -> list[str]:
    boxes = [*(i.value for i in at.info), *(s.value for s in at.success), *(t.proto.body for t in at.toast)]
    return [visible(str(b)).replace("\\", "") for b in boxes]


def test_loading_a_scenario_is_confirmed_under_its_button_and_in_a_toast(db):
    from lib import store

    store.save_scenario("Zone tendue https://exemple.invalid", {"version": 1, "values": {"a_z1": 3500.0}})
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    next(b for b in at.button if b.label == "Charger ce scénario").click().run()
    assert at.slider(key="a_z1").value == 3500.0
    toasts = [visible(t.proto.body).replace("\\", "") for t in at.toast]
    assert any("Scénario « Zone tendue https://exemple.invalid » chargé" in t for t in toasts), toasts
    # inline, under the button of the scenarios section (the last boxes of the page), not at its top
    infos = [visible(i.value).replace("\\", "") for i in at.info]
    assert "chargé" in infos[-1], infos
    # the name is never a live link: a word joiner sits inside the address
    assert all("https://exemple" not in str(t.proto.body) for t in at.toast)


def test_reset_is_confirmed_at_once(db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.slider(key="a_z1").set_value(3500.0).run()
    reset = next(b for b in at.button if "établir" in b.label)
    reset.click().run()
    assert any("rétablis" in m for m in seen(at)), seen(at)
