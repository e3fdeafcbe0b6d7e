"""A committee's journeys in a real browser (no outside network): the region page's address and
the simulator's « Partager » link are full addresses that open the same view in a new page, and
the committee packs print on one A4 page (region) or two at most (national), both as printed by
Chromium from the HTML and as the PDF the app renders."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader

from tests.browser.conftest import OfflinePage, wait_for_app


def _context(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context


@contextmanager
def _opened(browser, base: str, path: str, shown: str) -> Iterator[tuple[object, object]]:
    """A page of ``path`` in its own offline context, once ``shown`` is on screen; on leaving,
    nothing was fetched from outside and no script failed."""
    context = _context(browser)
    try:
        tab = OfflinePage(context)
        tab.page.goto(base + path, wait_until="domcontentloaded")
        wait_for_app(tab.page)
        tab.page.get_by_text(shown).first.wait_for(timeout=60_000)
        yield context, tab.page
        assert not tab.blocked and not tab.errors, (tab.blocked, tab.errors)
    finally:
        context.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


# the values of the page's « copy the address » fields (lib.ui.links; inside the component's
# shadow root, which document.querySelectorAll does not enter)
_ADDRESSES_JS = """() => {
  const found = [];
  const visit = root => root.querySelectorAll('*').forEach(el => {
    if (el.classList.contains('pacte-copy-field')) found.push(el.value);
    if (el.shadowRoot) visit(el.shadowRoot);
  });
  visit(document);
  return found;
}"""


def _wait_address(page, containing: str) -> None:
    page.wait_for_function(f"() => ({_ADDRESSES_JS})().some(a => a.includes({containing!r}))", timeout=60_000)


def _copy_address(page, containing: str) -> str:
    """The address shown in its read-only field, copied with the field's own « Copier l'adresse »
    button (which then says so)."""
    _wait_address(page, containing)
    index = next(i for i, a in enumerate(page.evaluate(_ADDRESSES_JS)) if containing in a)
    block = page.locator(".pacte-copy").nth(index)
    shown = block.locator(".pacte-copy-field").input_value().strip()
    block.get_by_role("button", name=re.compile("^Copier l'adresse")).click()
    block.locator(".pacte-copy-status").get_by_text("Adresse copiée.").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == shown, (copied, shown)
    return copied.strip()


def _pdf_pages(raw: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(raw))
    return len(reader.pages), _flat("\n".join(p.extract_text() for p in reader.pages))


def _download(page, label: str) -> bytes:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).first.click()
    path = info.value.path()
    with open(path, "rb") as fh:
        return fh.read()


def _chromium_print(context, page_html: str) -> int:
    """Pages of the HTML as Chromium prints it on A4 (its @page rule applies, as in the print dialog)."""
    sheet = context.new_page()
    sheet.set_content(page_html, wait_until="load")
    raw = sheet.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    sheet.close()
    return len(PdfReader(io.BytesIO(raw)).pages)


def test_region_address_opens_the_same_view_and_the_pack_is_one_page(app_server, playwright_browser):
    with _opened(playwright_browser, app_server, "/region?region=91", "Le rythme qu'il fallait tenir") as (context, page):
        address = _copy_address(page, "region=91")
        assert address == app_server + "/region?region=91"

        recipient = context.new_page()
        recipient.goto(address, wait_until="domcontentloaded")
        wait_for_app(recipient)
        recipient.get_by_role("heading", name=re.compile("Languedoc-Roussillon")).first.wait_for(timeout=60_000)
        recipient.get_by_text("Comparaison avec d'autres régions").first.wait_for(timeout=60_000)
        assert recipient.url == address
        recipient.close()

        page_html = _download(page, "Dossier du comité (HTML imprimable)").decode("utf-8")
        assert "Languedoc-Roussillon" in page_html and '<ul class="sources">' in page_html
        assert _chromium_print(context, page_html) == 1
        n, text = _pdf_pages(_download(page, "Dossier du comité (PDF, une page)"))
        assert n == 1
        for words in ("Languedoc-Roussillon", "Rythme nécessaire", "Solde net", "publié le"):
            assert words in text, words


def test_simulator_share_link_reproduces_the_scenario(app_server, playwright_browser):
    with _opened(playwright_browser, app_server, "/mutualisation", "Fonds de mutualisation") as (context, page):
        thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
        thumb.focus()
        for _ in range(7):  # 3 300 → 4 000 €
            page.keyboard.press("ArrowRight")
        _wait_address(page, "a_z1=4000")
        address = _copy_address(page, "a_z1=4000")
        assert address.startswith(app_server + "/mutualisation?") and "a_z1=4000" in address

        recipient = context.new_page()
        recipient.goto(address, wait_until="domcontentloaded")
        wait_for_app(recipient)
        recipient.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                     .some(m => m.innerText.includes('Fonds de mutualisation') && m.innerText.includes('294,1'))""",
            timeout=60_000)
        recipient.close()


def test_national_pack_prints_on_two_pages_at_most(app_server, playwright_browser):
    with _opened(playwright_browser, app_server, "/", "Pour le comité de suivi national") as (context, page):
        page_html = _download(page, "Dossier national (HTML imprimable)").decode("utf-8")
        assert 1 <= _chromium_print(context, page_html) <= 2
        n, text = _pdf_pages(_download(page, "Dossier national (PDF)"))
        assert 1 <= n <= 2
        for words in ("comité de suivi national", "Île-de-France", "Languedoc-Roussillon", "Solde de la mutualisation",
                      "publié le 8 juillet 2013"):
            assert words in text, words
