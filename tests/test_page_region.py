"""AppTest of the region page: deep link, picker, every region runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.geo import REGION_CODES

TIMEOUT = 120
APP = Path(__file__).resolve().parents[1] / "app.py"


def open_region(code: str | None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if code:
        at.query_params["region"] = code
    at.switch_page("pages/region.py")
    return at.run()


def test_deep_link_opens_languedoc_roussillon():
    at = open_region("91")
    assert not at.exception
    assert at.header[0].value.replace("\\", "").startswith("Languedoc-Roussillon")
    assert at.selectbox(key="region").value == "91"


def test_without_region_the_page_invites_a_choice():
    at = open_region(None)
    assert not at.exception
    assert "Choisissez une région" in at.info[0].value


def test_picker_changes_region():
    at = open_region("91")
    at.selectbox(key="region").set_value("93").run()
    assert not at.exception
    assert at.header[0].value.replace("\\", "").startswith("Provence")
    assert at.query_params["region"] in ("93", ["93"])  # the address to send to a committee follows


@pytest.mark.parametrize("code", REGION_CODES)
def test_every_region_runs(code):
    at = open_region(code)
    assert not at.exception, code
