"""What a page makes the browser download with a cold cache: no page pulls Streamlit's syntax
highlighter (about 500 KB gzipped, loaded by any ``st.code`` block) for its one-line share address,
and the address it shows instead can still be copied."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OfflinePage, wait_for_app
from tests.browser.page_walk import PAGES

HIGHLIGHTER = "StreamlitSyntaxHighlighter"


@pytest.mark.parametrize("path", PAGES[:5])
def test_no_page_downloads_the_syntax_highlighter(app_server, playwright_browser, path):
    context = playwright_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    try:
        offline = OfflinePage(context)
        page = offline.page
        scripts: list[str] = []
        page.on("request", lambda r: scripts.append(r.url.rsplit("/", 1)[-1]) if "/static/js/" in r.url else None)
        page.goto(app_server + path, wait_until="domcontentloaded")
        wait_for_app(page)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # everything below the fold too
        wait_for_app(page)
        assert len(scripts) > 5, scripts  # the listener saw the bundles
        assert not [s for s in scripts if HIGHLIGHTER in s], scripts
        if path.startswith(("/region", "/mutualisation")):  # the pages that show an address to send
            field = page.locator(".pacte-copy-field").first
            assert field.input_value().startswith(app_server + path.split("?")[0])
        assert not offline.errors, offline.errors
    finally:
        context.close()
