"""Keyboard only: every control is reached with Tab in reading order, works with the keyboard,
and shows the DSFR focus ring (2 px solid #0a76f6)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from tests.browser.page_walk import open_page

FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // what the eye sees of a composite widget: a slider's thumb, a select's box, a radio's option
  const shown = el.matches('input[type=range]') ? el.parentElement.parentElement
              : el.matches('[role=combobox]') ? el.closest('[role=group]')
              : el.matches('input[type=radio]') ? el.closest('[data-testid="stRadioOption"]') : el;
  const s = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  const kind = el.matches('input[type=range]') ? 'slider' : el.matches('input[type=radio]') ? 'radio'
             : el.getAttribute('role');
  const text = el.matches('input[type=radio]') ? shown.innerText : el.innerText;  // a radio: its option's text
  return {tag: el.tagName, role: kind, label: (el.getAttribute('aria-label') || text || '').trim().slice(0, 80),
          outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor, visible: box.width > 0 && box.height > 0,
          inMain: !!el.closest('[data-testid="stMain"]'), inSidebar: !!el.closest('[data-testid="stSidebar"]'),
          order: [...document.querySelectorAll('*')].indexOf(el)};
}"""
RING = "solid 2px rgb(10, 118, 246)"
SLIDER = '[data-testid="stSlider"] input[type="range"]'


def _tab_through(page, n: int) -> list[dict]:
    seen = []
    for _ in range(n):
        page.keyboard.press("Tab")
        page.wait_for_timeout(60)
        info = page.evaluate(FOCUSED_JS)
        if info:
            seen.append(info)
    return seen


def test_tab_order_starts_with_skip_link_then_follows_the_page(app_server, offline_page):
    page = offline_page.page
    open_page(page, app_server, "/mutualisation")
    seen = _tab_through(page, 40)
    assert seen[0]["label"] == "Aller au contenu", seen[0]
    assert all(s["visible"] for s in seen), [s for s in seen if not s["visible"]]
    assert all(s["outline"] == RING for s in seen), [s for s in seen if s["outline"] != RING][:3]
    main = [s for s in seen if s["inMain"]]
    assert [s["order"] for s in main] == sorted(s["order"] for s in main), "focus follows the reading order"
    assert any(s["role"] == "slider" for s in main), "the simulator's sliders are reached"


def test_slider_moves_with_the_arrow_keys_and_the_result_follows(app_server, offline_page):
    page = offline_page.page
    open_page(page, app_server, "/mutualisation")
    # by its name: the simulator's fragment may still be drawing its sliders after the page's run
    thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis"))
    expect(thumb).to_have_attribute("aria-valuetext", "3\u202f300", timeout=60_000)
    thumb.focus()
    total = page.locator('[data-testid="stMetric"]', has_text="Fonds de mutualisation").locator(
        '[data-testid="stMetricValue"]')
    fund = total.inner_text()
    page.keyboard.press("ArrowRight")
    expect(thumb).to_have_attribute("aria-valuetext", "3\u202f400", timeout=60_000)
    expect(total).not_to_have_text(fund, timeout=60_000)
    wait_for_app(page)
    assert page.evaluate(FOCUSED_JS)["outline"] == RING


def test_simulator_choices_are_operated_by_keyboard(app_server, offline_page):
    """The year of the regional keys (a segmented control) and the volumes scenario (radio
    buttons) are reached with Tab after the volume sliders, show the ring on what the eye sees,
    and change with the keyboard; the address follows, as a click would."""
    page = offline_page.page
    open_page(page, app_server, "/mutualisation")
    year = page.get_by_role("radiogroup", name="Année des clés régionales")
    expect(year.get_by_role("radio", name="2013")).to_have_attribute("aria-checked", "true", timeout=60_000)
    seen = _tab_through(page, 40)
    labels = [s["label"] for s in seen]
    assert "2013" in labels and "Volumes de base" in labels, labels  # the chosen segment, the chosen option
    assert labels.index("2013") < labels.index("Volumes de base")
    assert all(s["outline"] == RING for s in seen if s["label"] in ("2013", "Volumes de base"))
    year.get_by_role("radio", name="2013").focus()
    page.keyboard.press("ArrowRight")  # the focus moves to 2014 …
    page.keyboard.press("Space")  # … and Space chooses it
    expect(year.get_by_role("radio", name="2014")).to_have_attribute("aria-checked", "true", timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]annee=2014(&|$)"), timeout=30_000)
    wait_for_app(page)
    scenario = page.get_by_role("radiogroup", name="Scénario de volumes")
    scenario.get_by_role("radio", name="Volumes de base").focus()
    assert page.evaluate(FOCUSED_JS)["outline"] == RING
    page.keyboard.press("ArrowDown")  # a radio group: the arrow chooses the next option
    expect(scenario.get_by_role("radio", name=re.compile("^Île-de-France"))).to_be_checked(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]scen=%C3%8Ele-de-France"), timeout=30_000)
    wait_for_app(page)


def test_select_is_operated_by_keyboard(app_server, offline_page):
    page = offline_page.page
    open_page(page, app_server, "/carte")
    heading = page.locator("h2").first.inner_text()
    page.get_by_role("combobox", name="Indicateur").focus()
    assert page.evaluate(FOCUSED_JS)["outline"] == RING
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    # the rerun the choice starts may begin after a first "notRunning": wait for the new title
    expect(page.locator("h2").first).not_to_have_text(heading, timeout=60_000)


def test_download_buttons_and_tabs_are_reached(app_server, offline_page):
    page = offline_page.page
    open_page(page, app_server, "/")
    seen = _tab_through(page, 150)  # Accueil now has the pace, renovation and national pack controls first
    labels = [s["label"] for s in seen]
    assert any("Image PNG" in label for label in labels), labels
    assert any("Carte des régions" in label for label in labels), labels


def test_a_folded_table_and_a_tab_open_with_the_keyboard(app_server, offline_page):
    """Built only once opened (lib.ui.lazy): Enter on a folded expander's title, or on a tab,
    brings its table, as a click does."""
    page = offline_page.page
    open_page(page, app_server, "/")
    box = page.locator('[data-testid="stExpander"]', has_text="Chiffres, natures et sources")
    assert not box.locator('[data-testid="stDataFrame"]').count()  # folded: not built
    box.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(box.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(box.locator('[data-testid="stDataFrame"]')).to_be_visible()  # still open after the rerun

    open_page(page, app_server, "/donnees")
    tab = page.get_by_role("tab", name="Paramètres du pacte")
    tab.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("tabpanel", name="Paramètres du pacte")
    expect(panel.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=30_000)
    expect(panel).to_contain_text("pacte_parametres.yaml")
