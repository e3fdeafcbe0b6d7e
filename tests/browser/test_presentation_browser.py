"""Presentation mode and the guided sequence in a real browser, at the two projector sizes:
each screen screenshotted (``$PACTE_SHOTS`` or the test's temporary folder), nothing cut (no
metric, heading or chart text narrower than its content or ending in « … »), colour contrast
passing axe-core, and the keys a presentation clicker sends moving from screen to screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import wait_for_app, wait_for_map
from tests.browser.test_a11y_browser import _axe

SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
SCREENS = {1: "france", 2: "carte", 3: "region", 4: "scenario"}

# Elements whose text is cut when their content is wider than their box (button labels: the
# markdown box Streamlit ends with « … »), and chart texts that
# Vega shortened with an ellipsis.
CUT_JS = """() => {
  const sel = ['[data-testid="stMetricValue"]', '[data-testid="stMetricLabel"]', '[data-testid="stMetricDelta"]',
               '[data-testid="stMetricValue"] *', '[data-testid="stMetricLabel"] *', '[data-testid="stMetricDelta"] *',
               'h1', 'h2', 'h3', '[data-testid="stButton"] button p',
               '[data-testid="stButton"] button [data-testid="stMarkdownContainer"]',
               '[data-testid="stDownloadButton"] button [data-testid="stMarkdownContainer"]',
               '[data-testid="stTable"] td',
               '[data-testid="stTable"] th'].join(',');
  const cut = [...document.querySelectorAll(sel)]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.getAttribute('data-testid') || e.tagName) + ' : ' + e.innerText.slice(0, 60));
  const svg = [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')]
    .filter(t => t.textContent.trim().endsWith('…')).map(t => 'graphique : ' + t.textContent);
  return [...cut, ...svg];
}"""


def _shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("PACTE_SHOTS") or tmp_path_factory.mktemp("presentation"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return _shots(tmp_path_factory)


def _page(browser, size):
    from tests.browser.conftest import OfflinePage

    w, h = SIZES[size]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="fr-FR")
    return context, OfflinePage(context)


def _open(page, base: str, step: int) -> None:
    page.goto(f"{base}/presentation?presentation=true&sequence={step}&region=91")
    wait_for_app(page)
    if step == 2:
        wait_for_map(page)
    page.wait_for_timeout(800)  # charts and maps draw after the run is over


def _contrast(page) -> list[str]:
    axe = _axe()
    page.evaluate(axe.axe_script)
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']},"
                           " resultTypes: ['violations']})")
    return [" ".join(map(str, n["target"])) + " " + n["html"][:100] for v in result["violations"] for n in v["nodes"]]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("step", list(SCREENS))
def test_each_screen_is_whole_and_readable(app_server, playwright_browser, shots, size, step):
    context, offline = _page(playwright_browser, size)
    page = offline.page
    try:
        _open(page, app_server, step)
        page.screenshot(path=str(shots / f"presentation_{step}_{SCREENS[step]}_{size}.png"))
        text = page.inner_text('[data-testid="stMain"]')
        assert f"Étape {step} sur 4" in text
        assert "Source" in text, "chaque écran cite ses sources"
        assert not page.locator('[data-testid="stException"]').count()
        # the sidebar is folded in presentation mode, its control to open it is there
        assert page.locator('[data-testid="stSidebar"][data-collapsed="true"]').count() == 1
        assert page.locator('[data-testid="stExpandSidebarButton"]').count() == 1
        assert page.evaluate(CUT_JS) == []
        assert _contrast(page) == []
        assert offline.blocked == [] and offline.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/carte", "/region?region=91", "/mutualisation"])
def test_pages_in_presentation_mode_cut_nothing_at_1280x720(app_server, playwright_browser, shots, path):
    context, offline = _page(playwright_browser, "1280x720")
    page = offline.page
    try:
        sep = "&" if "?" in path else "?"
        page.goto(f"{app_server}{path}{sep}presentation=true")
        wait_for_app(page)
        page.wait_for_timeout(800)
        name = path.strip("/").replace("?", "_").replace("=", "-") or "accueil"
        page.screenshot(path=str(shots / f"page_{name}_1280x720.png"))
        assert page.evaluate(CUT_JS) == []
        # chart text at the presentation size, through the chart's config
        sizes = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')]
                                  .map(t => parseFloat(getComputedStyle(t).fontSize || t.getAttribute('font-size')))""")
        if path in ("/", "/region?region=91"):
            assert sizes and max(sizes) >= 26
    finally:
        context.close()


def test_the_toggle_folds_the_sidebar_and_stays_reachable(app_server, playwright_browser):
    context, offline = _page(playwright_browser, "1280x720")
    page = offline.page
    try:
        page.goto(f"{app_server}/")
        wait_for_app(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_attribute("data-collapsed") == "false"
        page.get_by_text("Mode présentation (grands caractères)").click()
        wait_for_app(page)
        page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]')"
                               ".getAttribute('data-collapsed') === 'true'", timeout=15_000)
        assert "presentation=true" in page.url
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        toggle = page.get_by_role("switch", name="Mode présentation (grands caractères)")
        toggle.wait_for(state="visible", timeout=15_000)
        assert toggle.is_checked()
    finally:
        context.close()


def _step_shown(page) -> str:
    return page.locator('[data-testid="stMain"] h3').filter(has_text="Étape").first.inner_text()


def test_clicker_keys_move_through_the_sequence(app_server, playwright_browser):
    context, offline = _page(playwright_browser, "1280x720")
    page = offline.page
    try:
        _open(page, app_server, 1)
        assert "Étape 1 sur 4" in _step_shown(page)
        for key, expected in (("ArrowRight", 2), ("PageDown", 3), ("PageDown", 4), ("PageDown", 4),
                              ("PageUp", 3), ("ArrowLeft", 2)):
            page.keyboard.press(key)
            page.wait_for_function(
                "n => [...document.querySelectorAll('[data-testid=\"stMain\"] h3')]"
                ".some(h => h.innerText.includes('Étape ' + n + ' sur 4'))", arg=expected, timeout=30_000)
            wait_for_app(page)
            assert f"sequence={expected}" in page.url, (key, page.url)
        assert "region=91" in page.url
        assert offline.blocked == []
    finally:
        context.close()
