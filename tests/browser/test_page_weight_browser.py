"""What a page makes the browser download with a cold cache: no page pulls Streamlit's syntax
highlighter (about 500 KB gzipped, loaded by any ``st.code`` block) for its one-line share address,
and the address it shows instead can still be copied; the icon font is the app's subset
(lib/icon_font.py), and every icon on the page is drawn as an icon, not spelled out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OfflinePage, wait_for_app
from tests.browser.page_walk import PAGES

HIGHLIGHTER = "StreamlitSyntaxHighlighter"

# icons whose box is much wider than tall: the font lacks the icon and the browser spells its name
_SPELLED_ICONS_JS = """() => [...document.querySelectorAll('[data-testid="stIconMaterial"]')]
  .filter(e => e.checkVisibility())
  .map(e => [e.innerText, e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)])
  .filter(([, ratio]) => ratio > 1.6)"""


@pytest.mark.parametrize("path", PAGES[:5])
def test_no_page_downloads_the_syntax_highlighter(app_server, playwright_browser, path):
    context = playwright_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    try:
        offline = OfflinePage(context)
        page = offline.page
        scripts: list[str] = []
        fonts: dict[str, int] = {}
        page.on("request", lambda r: scripts.append(r.url.rsplit("/", 1)[-1]) if "/static/js/" in r.url else None)
        page.on("requestfinished", lambda r: fonts.__setitem__(r.url.rsplit("/", 1)[-1], r.sizes()["responseBodySize"])
                if "MaterialSymbols" in r.url else None)
        page.goto(app_server + path, wait_until="domcontentloaded")
        wait_for_app(page)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # everything below the fold too
        wait_for_app(page)
        assert len(scripts) > 5, scripts  # the listener saw the bundles
        assert not [s for s in scripts if HIGHLIGHTER in s], scripts
        page.evaluate("document.fonts.ready")
        assert fonts and all(size < 100_000 for size in fonts.values()), fonts  # the subset, not 375 KB
        icons = page.locator('[data-testid="stIconMaterial"]')
        assert icons.count() > 3  # the sidebar's page icons at least
        assert page.evaluate(_SPELLED_ICONS_JS) == []
        if path.startswith(("/region", "/mutualisation")):  # the pages that show an address to send
            field = page.locator(".pacte-copy-field").first  # filled by the component's script
            expect(field).to_have_value(re.compile("^" + re.escape(app_server + path.split("?")[0])), timeout=30_000)
        assert not offline.errors, offline.errors
    finally:
        context.close()
