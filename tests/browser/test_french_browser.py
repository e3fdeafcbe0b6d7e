"""French to the last word in a real browser, even one set to English: no English word of
Streamlit's on any page (tabs, expanders, toolbars' tooltips, table cells, drop-down lists, the
file uploader), lang="fr" on the document, and numbers in French whatever the browser's locale."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import wait_for_app
from tests.browser.page_walk import PAGES, all_strings, open_page

ENGLISH = re.compile(r"\b(Upload|Browse|Drag|Choose|No results|None|Download|Show data|Copy|Copied|clipboard|nan|NaN)\b")


@pytest.fixture
def english_page(playwright_browser):
    from tests.browser.conftest import OfflinePage

    context = playwright_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="en-US")
    yield OfflinePage(context)
    context.close()


def _english(strings: set[str]) -> list[str]:
    return sorted(s for s in strings if ENGLISH.search(s))


@pytest.mark.parametrize("path", PAGES)
def test_no_english_word_on_any_page(app_server, english_page, path):
    page = english_page.page
    open_page(page, app_server, path)
    assert page.evaluate("document.documentElement.lang") == "fr"
    strings = all_strings(page)
    assert len(strings) > 30, "the walk saw the page"
    assert _english(strings) == []
    assert not [s for s in strings if "st_folium" in s or "Vega visualization" in s], "maps and charts titled in French"
    assert english_page.errors == []


def test_drop_down_lists_and_uploader_speak_french(app_server, english_page):
    page = english_page.page
    open_page(page, app_server, "/donnees")
    page.get_by_role("tab", name="Importer vos données").click()
    wait_for_app(page)
    seen = all_strings(page)
    # a select with nothing matching what was typed
    page.get_by_label("Que contient votre fichier ?").first.click()
    page.keyboard.type("zzzz")
    page.wait_for_timeout(500)
    seen |= set(page.evaluate("() => [...document.querySelectorAll('[role=listbox], [role=option], ul')]"
                              ".map(e => e.innerText.trim()).filter(Boolean)"))
    assert any("Aucun résultat" in s for s in seen), "the empty list says so in French"
    page.keyboard.press("Escape")
    # a small file: its size in French units and format
    page.locator("input[type=file]").first.set_input_files(
        {"name": "petit.csv", "mimeType": "text/csv", "buffer": b"Code;Annee;Valeur\n" + b"11;2015;1\n" * 25})
    wait_for_app(page)
    page.wait_for_timeout(800)
    seen |= all_strings(page)
    assert _english(seen) == []
    assert any(re.fullmatch(r"\d+(,\d)?\s(o|ko)", s) for s in seen), [s for s in seen if re.search(r"\d\s?[kKM]?[oB]\b", s)]
    assert any("Mo maximum par fichier" in s for s in seen)


@pytest.mark.parametrize("locale", ["fr-FR", "en-US", "de-DE"])
def test_slider_values_read_the_same_whatever_the_browser_locale(app_server, playwright_browser, locale):
    context = playwright_browser.new_context(viewport={"width": 1600, "height": 1000}, locale=locale)
    try:
        page = context.new_page()
        open_page(page, app_server, "/mutualisation")
        # the aid sliders are drawn by the simulator's fragment, which may finish after the page's run
        page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first.wait_for(timeout=60_000)
        values = page.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()
        assert "3\u202f300" in values, values
        assert not any(re.search(r"\d[,.]\d{3}\b", v) for v in values), values
        valuetext = page.locator('[data-testid="stSlider"] input[type="range"]').first.get_attribute("aria-valuetext") or ""
        assert valuetext == "3\u202f300", valuetext
    finally:
        context.close()


_ADDED_JS = """async () => {
  const box = document.createElement("div");
  box.innerHTML = '<p class="fr-chrome">No results</p><span class="fr-size" title="200MB per file">260.0KB</span>'
    + '<div data-testid="stMarkdown"><p class="fr-ours">No results</p><span class="fr-ours-t" title="Upload">x</span></div>'
    + '<svg><text class="fr-svg">No results</text></svg><style class="fr-style">No results</style>';
  document.body.appendChild(box);
  const style = document.createElement("style");  // an added node that is itself a style sheet
  style.textContent = "No results";
  document.body.appendChild(style);
  await new Promise(r => setTimeout(r, 100));  // the observer has run
  const q = s => box.querySelector(s);
  const out = [q(".fr-chrome").textContent, q(".fr-size").textContent, q(".fr-size").title,
               q(".fr-ours").textContent, q(".fr-ours-t").title, q(".fr-svg").textContent,
               q(".fr-style").textContent, style.textContent];
  box.remove(); style.remove();
  return out;
}"""


def test_streamlit_strings_added_later_are_translated_and_our_content_never(app_server, english_page):
    """The French layer's walk over added nodes: Streamlit's chrome translated (a size with its
    number in French, which makes the formatter on first use), our content, charts and style
    sheets left as they are."""
    page = english_page.page
    open_page(page, app_server, "/")
    assert page.evaluate(_ADDED_JS) == [
        "Aucun résultat", "260 ko", "200 Mo maximum par fichier",
        "No results", "Upload", "No results", "No results", "No results"]
