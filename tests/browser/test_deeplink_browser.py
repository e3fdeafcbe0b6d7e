"""A deep link sent to a committee, opened as the very first request on a freshly started server,
gets the full app (frame, navigation with French titles, the region), not a bare page script.
This pins down run.py's reason to exist (see its docstring and the README)."""

from tests.browser.conftest import running_app, wait_for_app


def test_deeplink_first_request_on_fresh_server(tmp_path, offline_page):
    with running_app(tmp_path / "store.sqlite3") as base:
        page = offline_page.page
        page.goto(base + "/region?region=91", wait_until="domcontentloaded")
        wait_for_app(page)
        page.get_by_text("Languedoc-Roussillon").first.wait_for(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        for title in ("Accueil", "Carte", "Région", "Mutualisation", "Données et sources"):
            assert title in nav, nav
        assert "app" not in nav.split()  # the legacy mode lists file names such as "app"
        assert "Pacte" in page.title()
        assert not offline_page.errors, offline_page.errors
