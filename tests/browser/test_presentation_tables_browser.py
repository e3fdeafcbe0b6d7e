"""Tables in presentation mode, in a real browser at both projector sizes: drawn as HTML tables
(lib/ui/tables.py) whose text is far larger than the grid's of the normal mode, no cell cut (a
table wider than the page scrolls inside its own box), header and cells passing axe-core's
colour contrast."""

from __future__ import annotations

import pytest

from lib.views.donnees import CATALOGUE_GRID_LABEL
from lib.views.region import PACE_GRID_LABEL
from tests.browser.conftest import wait_for_app
from tests.browser.test_a11y_browser import _axe
from tests.browser.test_presentation_browser import SIZES, _page, _shots

PATHS = ["/region?region=91", "/donnees"]


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return _shots(tmp_path_factory)

# The normal mode's grid font (glide-data-grid draws with the --gdg-base-font-style it is given).
GRID_FONT_JS = """() => { for (const e of document.querySelectorAll('[data-testid="stDataFrame"] *')) {
    const v = getComputedStyle(e).getPropertyValue('--gdg-base-font-style');
    const m = v && v.match(/([0-9.]+)px/); if (m) return parseFloat(m[1]); } return null; }"""

# Every table drawn: its text sizes, its cells narrower than their content, its box against the page.
TABLES_JS = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid="stTable"]')].filter(t => t.offsetParent !== null).map(t => {
    const box = t.querySelector('[role="region"]') || t.firstElementChild;
    const cells = [...t.querySelectorAll('td, th')];
    const texts = [...t.querySelectorAll('td p, th p')];
    const r = t.getBoundingClientRect();
    return {
      sizes: texts.map(p => parseFloat(getComputedStyle(p).fontSize)),
      cut: cells.filter(c => c.clientWidth > 0 && c.scrollWidth > c.clientWidth + 1).map(c => c.innerText.slice(0, 40)),
      wider: box.scrollWidth > box.clientWidth + 1, overflowX: getComputedStyle(box).overflowX,
      inside: r.left >= main.left - 1 && r.right <= main.right + 1,
      th: t.querySelector('th') && getComputedStyle(t.querySelector('th')).fontWeight,
      label: box.getAttribute('aria-label'),
    };
  });
}"""


def _open(page, base: str, path: str, presentation: bool) -> None:
    sep = "&" if "?" in path else "?"
    page.goto(f"{base}{path}{sep}presentation={'true' if presentation else 'false'}")
    wait_for_app(page)
    # their short tables are static at open, the grid one click away (lib.ui.tables.static_table)
    grid_label = {"/donnees": CATALOGUE_GRID_LABEL}.get(path, PACE_GRID_LABEL if path.startswith("/region") else None)
    if not presentation and grid_label:
        page.wait_for_selector('[data-testid="stTable"] td', state="attached", timeout=60_000)
        page.get_by_text(grid_label).click()
        wait_for_app(page)
    selector = '[data-testid="stTable"] td' if presentation else '[data-testid="stDataFrame"] canvas'
    page.wait_for_selector(selector, state="attached", timeout=60_000)


def _tables_contrast(page) -> list[str]:
    axe = _axe()
    page.evaluate(axe.axe_script)
    result = page.evaluate("() => axe.run({include: [['[data-testid=\"stTable\"]']]}, {runOnly: {type: 'rule',"
                           " values: ['color-contrast']}, resultTypes: ['violations']})")
    return [" ".join(map(str, n["target"])) + " " + n["html"][:100] for v in result["violations"] for n in v["nodes"]]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", PATHS)
def test_tables_are_large_and_whole_in_presentation_mode(app_server, playwright_browser, shots, size, path):
    context, offline = _page(playwright_browser, size)
    page = offline.page
    try:
        _open(page, app_server, path, presentation=False)
        grid_font = page.evaluate(GRID_FONT_JS)
        assert grid_font
        # out of presentation mode, grids only, but for the catalogue and the summary of « Données
        # et sources » and the rank, pace, renovation and peers tables of Région, static tables at
        # open (lib.ui.tables.static_table)
        statics = 2 if path == "/donnees" else 4 if path.startswith("/region") else 0
        assert page.locator('[data-testid="stTable"]').count() == statics

        _open(page, app_server, path, presentation=True)
        assert not page.locator('[data-testid="stDataFrame"]').count(), "no small canvas grid left"
        name = path.strip("/").replace("?", "_").replace("=", "-")
        page.screenshot(path=str(shots / f"tables_{name}_{size}.png"))
        tables = page.evaluate(TABLES_JS)
        assert tables
        for t in tables:
            assert t["sizes"] and min(t["sizes"]) >= max(20, 1.35 * grid_font), (t["sizes"], grid_font)
            assert t["cut"] == [], t["cut"]
            assert t["inside"], "a table stays within the page; it scrolls in its own box"
            assert t["overflowX"] == "auto"
            assert int(t["th"]) >= 700, "the header row stands out"
            assert t["label"] in (None, "Tableau à faire défiler"), "the scrolling box is named in French"
        if path == "/donnees":  # the files' table is wider than the page at both sizes: its box scrolls
            wide = [t for t in tables if t["wider"]]
            assert wide
            scrolled = page.evaluate("""() => { const b = [...document.querySelectorAll('[data-testid="stTable"] [role="region"]')]
                .find(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1);
                b.scrollLeft = b.scrollWidth; return b.scrollLeft; }""")
            assert scrolled > 0
        assert _tables_contrast(page) == []
        assert offline.blocked == [] and offline.errors == []
    finally:
        context.close()


LINK_PAYLOAD = "[lien](javascript:alert(1))"
URL_PAYLOAD = "https://evil.example/x"


def test_names_from_a_file_are_text_in_presentation_tables(app_server, playwright_browser):
    """A body's name that is HTML, a markdown link or an address, imported in presentation mode:
    shown as typed in the large tables (the raw preview and the simulator's per-body table),
    no element injected, no link made."""
    from tests.browser.test_import_browser import GOOD, PAYLOAD, _goto_nav, _no_injection, _upload

    context, offline = _page(playwright_browser, "1920x1080")
    page = offline.page
    try:
        page.goto(app_server + "/donnees?presentation=true", wait_until="domcontentloaded")
        wait_for_app(page)
        page.get_by_role("tab", name="Importer vos données").click()
        wait_for_app(page)
        content = (GOOD / "organismes_payload.csv").read_text(encoding="utf-8-sig")
        content = content.replace("Office exemple", f"{LINK_PAYLOAD} {URL_PAYLOAD}")
        _upload(page, "organismes.csv", content.encode("utf-8"),
                kind_label="Données par organisme Hlm (pour le simulateur de mutualisation)",
                field_hint="Identifiant de l'organisme (obligatoire)")
        page.get_by_text("Aperçu des", exact=False).first.click()
        preview = page.locator('[data-testid="stExpander"]', has_text="Aperçu des").locator('[data-testid="stTable"]')
        preview.first.wait_for(state="visible", timeout=30_000)
        text = preview.first.inner_text().replace("\u2060", "")
        assert PAYLOAD in text and LINK_PAYLOAD in text and URL_PAYLOAD in text
        assert preview.first.locator("a").count() == 0, "no link made from a name"
        _no_injection(offline)

        page.get_by_role("button", name="Utiliser ces données").click()
        wait_for_app(page)
        page.locator('[data-testid="stExpandSidebarButton"]').click()  # folded in presentation mode
        _goto_nav(page, "Mutualisation")
        page.get_by_text("Fonds de mutualisation").first.wait_for(timeout=60_000)
        page.get_by_role("tab", name="Par organisme").click()
        wait_for_app(page)
        bodies = page.get_by_role("tabpanel", name="Par organisme").locator('[data-testid="stTable"]').first
        bodies.wait_for(state="visible", timeout=30_000)
        text = bodies.inner_text().replace("\u2060", "")
        assert PAYLOAD in text and LINK_PAYLOAD in text
        assert bodies.locator("a").count() == 0
        assert not page.locator('[data-testid="stDataFrame"]').count()
        _no_injection(offline)
        assert offline.errors == []
    finally:
        context.close()
