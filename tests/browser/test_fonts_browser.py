"""The Marianne font is reserved to State services (DSFR terms): the app ships it switched off, on
a free font (Source Sans 3), and a ministry deployment turns it on with PACTE_HLM_MARIANNE=1.
No logo of the Republic in either state."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OfflinePage, running_app
from tests.browser.page_walk import open_page

_FONTS_JS = """() => {
  const family = el => getComputedStyle(el).fontFamily;
  const h = document.querySelector('h1, h2');
  const loaded = [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, ''));
  const marianneFiles = performance.getEntriesByType('resource').map(r => r.name).filter(n => /Marianne/i.test(n));
  return {body: family(document.querySelector('[data-testid="stMarkdownContainer"] p') || document.body),
          heading: h ? family(h) : '', loaded, marianneFiles};
}"""

_LOGO_JS = """() => [...document.querySelectorAll('img, svg, [class*="logo"], [class*="marque"]')]
  .map(e => [e.getAttribute('alt'), e.getAttribute('aria-label'), e.getAttribute('src'), e.className && String(e.className)]
    .filter(Boolean).join(' '))
  .filter(t => /marianne|r[ée]publique|fr-logo|bloc-marque|logo/i.test(t))"""


def _fonts(playwright_browser, base: str) -> tuple[dict, list]:
    context = playwright_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    try:
        page = OfflinePage(context).page
        open_page(page, base, "/")
        page.evaluate("document.fonts.ready")
        return page.evaluate(_FONTS_JS), page.evaluate(_LOGO_JS)
    finally:
        context.close()


@pytest.mark.parametrize("marianne", [False, True], ids=["par défaut", "PACTE_HLM_MARIANNE=1"])
def test_marianne_only_when_a_deployment_turns_it_on(tmp_path, playwright_browser, marianne):
    env = {"PACTE_HLM_MARIANNE": "1"} if marianne else {}
    with running_app(tmp_path / "store.sqlite3", extra_env=env) as base:
        fonts, logos = _fonts(playwright_browser, base)
    assert logos == [], "no logo of the Republic"
    for where in ("body", "heading"):
        first = fonts[where].split(",")[0].strip().strip('"')
        if marianne:
            assert first == "Marianne", fonts
        else:
            assert first != "Marianne" and "Marianne" not in fonts[where], fonts
    if marianne:
        assert "Marianne" in fonts["loaded"] and fonts["marianneFiles"], fonts
    else:
        assert "Marianne" not in fonts["loaded"] and fonts["marianneFiles"] == [], "Marianne never downloaded"
        assert any("Source Sans" in f for f in fonts["loaded"]) or "Source Sans" in fonts["body"], fonts
