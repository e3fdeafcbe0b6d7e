"""Mutualisation in a real browser (no outside network): moving a slider updates the fund total
without reloading the page, and the map of net balances is drawn."""

from __future__ import annotations

import re
import time

from tests.browser.conftest import wait_for_app


def _fund_text(page) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text="Fonds de mutualisation").first
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return value.replace("\u202f", " ").replace("\u00a0", " ")


def test_slider_move_updates_the_fund_total(app_server, offline_page):
    page = offline_page.page
    page.goto(app_server + "/mutualisation", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_text("Fonds de mutualisation").first.wait_for(timeout=60_000)
    assert _fund_text(page) == "279,0 M€"

    thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
    thumb.focus()
    started = time.perf_counter()
    for _ in range(7):  # 7 steps of 100 €: 3 300 → 4 000 €
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .some(m => m.innerText.includes('Fonds de mutualisation') && m.innerText.includes('294,1'))""",
        timeout=30_000,
    )
    elapsed = time.perf_counter() - started
    print(f"slider → total affiché : {elapsed * 1000:.0f} ms")
    assert _fund_text(page) == "294,1 M€"
    assert "a_z1=4000" in page.url  # the address now reproduces the scenario
    assert not offline_page.errors, offline_page.errors
