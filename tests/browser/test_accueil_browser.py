"""The Accueil chart is drawn in a real browser with no outside network."""

from tests.browser.conftest import wait_for_app


def test_accueil_chart_visible(app_server, offline_page):
    page = offline_page.page
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_text("Pacte Hlm 2013-2015").first.wait_for(timeout=30_000)
    chart = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
    chart.wait_for(state="visible", timeout=30_000)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    assert "117 065" in page.inner_text("body").replace("\u202f", " ").replace("\u00a0", " ")
    assert not offline_page.errors, offline_page.errors
