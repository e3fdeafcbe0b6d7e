"""Walk every page of the app as a user would, for the language and accessibility checks: open
each tab and expander, hover the toolbars, scroll the tables, and list every string on screen
(text, and the aria-label, title, placeholder and alt that assistive technology reads)."""

from __future__ import annotations

from tests.browser.conftest import wait_for_app

PAGES = ["/", "/carte", "/region?region=91", "/mutualisation", "/donnees",
         # the guided presentation's four screens
         *(f"/presentation?presentation=true&sequence={n}&region=91" for n in range(1, 5)),
         # the simulator's two checking views draw nothing until chosen: walk each of them too
         "/mutualisation?verif=Rejouer+une+campagne&campagne=2015", "/mutualisation?verif=Sensibilit%C3%A9"]

_STRINGS_JS = """() => {
  const out = new Set();
  const icon = el => el.closest('[data-testid="stIconMaterial"], .material-symbols-rounded, [translate="no"]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const p = n.parentElement, t = n.nodeValue.trim();
    if (!t || !p || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(p.tagName) || icon(p)) continue;
    if (p.checkVisibility({visibilityProperty: true}) || p.closest('[data-testid="stDataFrame"] table')) out.add(t);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-placeholder]')) {
    if (!el.checkVisibility() && !el.closest('[role="tooltip"]')) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-placeholder']) {
      const v = el.getAttribute(a); if (v && v.trim()) out.add(v.trim());
    }
  }
  return [...out];
}"""

_SCROLL_GRIDS_JS = """(frac) => { for (const s of document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller'))
  { s.scrollTop = s.scrollHeight * frac; s.scrollLeft = s.scrollWidth * frac; } }"""


def open_page(page, base: str, path: str) -> None:
    page.goto(base + path, wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_timeout(1500)  # charts and grids paint after the run


def strings_now(page) -> set[str]:
    return set(page.evaluate(_STRINGS_JS))


def _toolbar_tooltips(page) -> set[str]:
    """Hover each button of each chart and table toolbar and read the tooltip it shows."""
    found: set[str] = set()
    holders = page.locator('[data-testid="stElementToolbar"]')
    for i in range(holders.count()):
        owner = holders.nth(i).locator("xpath=..")
        if not owner.is_visible():
            continue
        page.mouse.move(0, 0)
        owner.hover(force=True)
        buttons = holders.nth(i).locator("button")
        for j in range(buttons.count()):
            b = buttons.nth(j)
            if not b.is_visible():
                continue
            b.focus()  # the toolbar's tooltips show on keyboard focus as on hover
            b.hover(force=True)
            page.wait_for_timeout(400)
            found |= strings_now(page)
    # a code block's copy button (the full links to send) has its tooltip too
    copies = page.locator('[data-testid="stCode"] button')
    for i in range(copies.count()):
        b = copies.nth(i)
        if b.is_visible():
            b.hover(force=True)
            page.wait_for_timeout(400)
            found |= strings_now(page)
    page.mouse.move(0, 0)
    return found


def _grids(page) -> set[str]:
    found: set[str] = set()
    for frac in (0.0, 0.5, 1.0):
        page.evaluate(_SCROLL_GRIDS_JS, frac)
        page.wait_for_timeout(250)
        found |= strings_now(page)
    page.evaluate(_SCROLL_GRIDS_JS, 0.0)
    return found


def _open_expanders(page) -> None:
    closed = page.locator("details:not([open]) > summary")
    for _ in range(closed.count()):
        first = closed.first
        if not first.is_visible():
            break
        first.click()
        wait_for_app(page)


def each_view(page):
    """Yield once per tab of the page (or once when it has none), with its expanders open."""
    tabs = page.locator('[data-testid="stTabs"] [role="tab"]')
    count = tabs.count()
    if count == 0:
        _open_expanders(page)
        yield None
        return
    for i in range(count):
        tab = page.locator('[data-testid="stTabs"] [role="tab"]').nth(i)
        if not tab.is_visible():
            continue
        name = tab.inner_text()
        tab.click()
        _settle(page)
        _open_expanders(page)
        yield name


_SETTLED = """() => { const a = document.querySelector('[data-testid="stApp"]');
  return a && a.getAttribute('data-test-script-state') === 'notRunning'
         && !document.querySelector('[data-stale="true"]'); }"""


def _settle(page) -> None:
    """Until the rerun a tab click starts (lazy tabs rerun the page) is over and nothing is left
    faded as stale. A click can return before that rerun begins, so the page must read settled
    twice, 800 ms apart (a check during the fade would see Streamlit's greyed-out text)."""
    for _ in range(20):
        wait_for_app(page)
        page.wait_for_function(_SETTLED, timeout=60_000)
        page.wait_for_timeout(800)
        if page.evaluate(_SETTLED):
            return


def all_strings(page) -> set[str]:
    """Every string of the page as it stands, in every tab, tooltips and table rows included."""
    found: set[str] = set()
    for _ in each_view(page):
        found |= strings_now(page) | _grids(page) | _toolbar_tooltips(page)
    return found
