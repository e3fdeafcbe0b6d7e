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


def test_warm_up_fills_the_cache_the_page_reads(monkeypatch):
    """``run.py`` warms every region up in the server's idle time: a region's first open then
    computes neither its profile nor any of its charts (the same keys as the page's)."""
    import streamlit as st

    from lib import committee_pack, region_report
    from lib.ui import region

    st.cache_data.clear()
    calls = []
    for module, name in ((region_report, "region_profile"), (region_report, "trend_chart"),
                         (region_report, "achievement_chart"), (region_report, "mix_chart"),
                         (region_report, "zonage_chart"), (committee_pack, "pace_chart"),
                         (committee_pack, "peers_chart")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    assert region.warm_up(codes=["91"]) == ["91"]
    assert sorted(calls) == sorted(["region_profile", "trend_chart", "achievement_chart", "mix_chart",
                                    "zonage_chart", "pace_chart", "peers_chart"])
    calls.clear()
    at = open_region("91")
    assert not at.exception
    assert at.header[0].value.replace("\\", "").startswith("Languedoc-Roussillon")
    assert calls == []  # everything the page drew was computed by the warm-up


def test_warm_up_waits_for_an_idle_server(monkeypatch):
    """Each step of the warm-up waits until ``idle()`` holds: a visitor's run goes first. The server
    is busy for five asks, then between every two steps: no step may follow a « busy » answer."""
    from lib.ui import region

    answers = iter([False] * 5 + [True, False] * 1000)
    events: list[bool | str] = []

    def idle():
        events.append(next(answers, True))
        return events[-1]

    real_profile, real_spec = region.profile, region.chart_spec
    monkeypatch.setattr(region, "profile", lambda code: events.append("profile") or real_profile(code))
    monkeypatch.setattr(region, "chart_spec", lambda *a: events.append("chart") or real_spec(*a))
    assert region.warm_up(idle, pause=0, codes=["53"]) == ["53"]
    steps = [i for i, e in enumerate(events) if isinstance(e, str)]
    assert events[steps[0]] == "profile" and "chart" in events
    assert events[:5] == [False] * 5 and steps[0] > 5  # nothing while busy, resumed once idle
    for i in steps:  # the last answer before each step was « idle »
        assert [e for e in events[:i] if isinstance(e, bool)][-1] is True, events[: i + 1]
    assert region.server_idle() is False  # no server in this process: never warm against nothing


def test_a_failing_region_does_not_stop_the_warm_up(monkeypatch, caplog):
    """One region whose data raises is logged and skipped; the regions after it still warm up."""
    from lib.ui import region

    real_profile = region.profile

    def profile(code):
        if code == "11":
            raise ValueError("figures.csv damaged")
        return real_profile(code)

    monkeypatch.setattr(region, "profile", profile)
    with caplog.at_level("WARNING", logger=region.__name__):
        assert region.warm_up(codes=["11", "53"]) == ["53"]
    assert "11" in caplog.text and "figures.csv damaged" in caplog.text


def test_the_background_warm_up_can_be_switched_off(monkeypatch):
    """PACTE_HLM_WARM_UP=0 starts no warm-up thread; any other value (or none) starts one."""
    import types

    from lib.ui import region

    started = []

    class Thread:
        def __init__(self, target, name, daemon):
            self.name = name

        def start(self):
            started.append(self.name)

    monkeypatch.setattr(region, "threading", types.SimpleNamespace(Thread=Thread))
    monkeypatch.setattr(region, "_warming", False)
    monkeypatch.setenv("PACTE_HLM_WARM_UP", "0")
    region.warm_up_in_background()
    assert started == [] and region._warming is False
    monkeypatch.setenv("PACTE_HLM_WARM_UP", "1")
    region.warm_up_in_background()
    assert started == ["region-warm-up"]
