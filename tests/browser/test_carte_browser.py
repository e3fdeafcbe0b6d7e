"""The map in a real browser with every outside request blocked (ministry network, no CDN):
27 region shapes drawn, the three priority regions outlined, missing data hatched, French
tooltips, a change of year recolours the map in place, a click opens the region's page, also
when the map is only partly in view."""

from __future__ import annotations

import os

import pytest

from lib import offline_map
from tests.browser.conftest import MAP_REGIONS, MAP_SVG, region_point, wait_for_app, wait_for_map

SHOTS = os.environ.get("PACTE_SHOTS", "/tmp/shots")


def _open_map(offline_page, base: str):
    page = offline_page.page
    page.goto(base + "/carte")
    wait_for_app(page)
    wait_for_map(page)
    return page


def test_map_draws_27_regions_offline(offline_page, app_server):
    page = _open_map(offline_page, app_server)
    assert page.locator(MAP_REGIONS).count() == 27
    assert page.locator("iframe").count() == 0  # drawn in the page itself, no component iframe
    # the priority outlines: three dark strokes over the shapes
    assert page.locator(f"{MAP_SVG} path[stroke='{offline_map.PRIORITY_COLOUR}']").count() == 3
    # missing data is hatched grey, never a value colour
    assert page.locator(f"{MAP_SVG} path[stroke='{offline_map.HATCH_COLOUR}']").count() >= 1
    missing = page.locator(f"{MAP_REGIONS}[aria-label*='donnée manquante']")
    assert missing.count() >= 1 and missing.first.get_attribute("fill") == offline_map.MISSING_FILL
    # legend entry for the priority regions, named from the parameter file
    from lib import geo, params
    from lib.views import carte as carte_view

    legend = carte_view.priority_legend_text(params.load_params(), geo.load_regions())
    assert "Île-de-France" in legend
    assert page.get_by_text(legend).count() == 1
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "browser_carte.png"), full_page=True)
    assert offline_page.blocked == [], offline_page.blocked
    assert offline_page.errors == []


def test_tooltip_is_french(offline_page, app_server):
    page = _open_map(offline_page, app_server)
    page.mouse.move(*region_point(page, "Île-de-France"))
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=10_000)
    text = tip.inner_text()
    assert "Île-de-France" in text and "Nature" in text and "Source" in text
    assert "\u202f" in text or " " in text  # French thousands separator


def test_year_change_recolours_the_map_in_place(offline_page, app_server):
    page = _open_map(offline_page, app_server)
    page.evaluate(f"() => {{ document.querySelector({MAP_SVG!r}).dataset.kept = 'oui'; }}")
    before = page.locator(f"{MAP_REGIONS}[aria-label^='Bretagne']").get_attribute("aria-label")
    page.locator(".st-key-carte_periode_production [role='combobox']").click()
    page.get_by_role("option", name="2014", exact=True).click()
    page.get_by_role("heading", name="Logements sociaux financés — 2014").wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function(
        f"(b) => document.querySelector({MAP_REGIONS!r} + \"[aria-label^='Bretagne']\").getAttribute('aria-label') !== b",
        arg=before, timeout=30_000)
    # the same drawing, its values swapped: not a new chart (nor an iframe) built again
    assert page.evaluate(f"() => document.querySelector({MAP_SVG!r}).dataset.kept") == "oui"
    assert page.locator(MAP_REGIONS).count() == 27
    assert not offline_page.errors, offline_page.errors


@pytest.mark.parametrize("indicator, heading", [
    ("Production rapportée au rythme nécessaire pour l'objectif 2015", "— 2015"),
    ("Réhabilitations thermiques rapportées à l'objectif (part du parc)", "— 2012-2013")])
def test_pace_and_renovation_recolour_the_map_in_place(offline_page, app_server, indicator, heading):
    page = _open_map(offline_page, app_server)
    page.evaluate(f"() => {{ document.querySelector({MAP_SVG!r}).dataset.kept = 'oui'; }}")
    before = page.locator(f"{MAP_REGIONS}[aria-label^='Bretagne']").get_attribute("aria-label")
    page.locator(".st-key-carte_indicateur [role='combobox']").click()
    page.get_by_role("option", name=indicator, exact=True).click()
    page.get_by_role("heading", name=f"{indicator} {heading}").wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function(
        f"(b) => document.querySelector({MAP_REGIONS!r} + \"[aria-label^='Bretagne']\").getAttribute('aria-label') !== b",
        arg=before, timeout=30_000)
    label = page.locator(f"{MAP_REGIONS}[aria-label^='Bretagne']").get_attribute("aria-label")
    assert "%" in label and "estimé" in label, label
    assert page.evaluate(f"() => document.querySelector({MAP_SVG!r}).dataset.kept") == "oui"
    assert page.locator(MAP_REGIONS).count() == 27
    assert not offline_page.errors, offline_page.errors


def _scroll_map(page, visible_px: int | None) -> None:
    """Scroll the page so that the map's top is near the viewport's top (``None``), or so that
    only its top ``visible_px`` pixels are on screen (the rest below the fold)."""
    top = page.locator(".st-key-carte_map").bounding_box()["y"]
    height = page.viewport_size["height"]
    dy = top - 20 if visible_px is None else top - (height - visible_px)
    page.locator('[data-testid="stMain"]').evaluate("(el, dy) => { el.scrollTop += dy; }", dy)
    page.wait_for_function("(h) => { const r = document.querySelector('.st-key-carte_map').getBoundingClientRect();"
                           " return r.top < h; }", arg=height)


def _click_opens(page, code: str, name: str) -> None:
    xy = region_point(page, name)
    assert xy, f"{name} n'est pas visible"
    page.mouse.click(*xy)  # one click, as a user would
    # st.switch_page changes the address in place (history API): no "load" event to wait for
    page.wait_for_function(
        f"() => location.pathname.endsWith('/region') && location.search.includes('region={code}')", timeout=30_000)
    wait_for_app(page)
    page.get_by_role("heading", name=name).first.wait_for(timeout=30_000)


@pytest.mark.parametrize("code, name", [("24", "Centre"), ("91", "Languedoc-Roussillon")])
def test_click_opens_region_page(offline_page, app_server, code, name):
    page = _open_map(offline_page, app_server)
    _scroll_map(page, None)
    _click_opens(page, code, name)
    page.screenshot(path=os.path.join(SHOTS, f"browser_region_{code}.png"), full_page=True)
    assert offline_page.blocked == []


@pytest.mark.parametrize("code, name", [("31", "Nord-Pas-de-Calais"), ("23", "Haute-Normandie")])
def test_click_opens_the_right_region_when_the_map_is_partly_in_view(offline_page, app_server, code, name):
    """The map below the fold, only its top shown: the first click opens the region under the
    pointer (it used to scroll the page, and a second click could open another region)."""
    page = _open_map(offline_page, app_server)
    _scroll_map(page, 300)
    box = page.locator(".st-key-carte_map").bounding_box()
    assert box["y"] + box["height"] > page.viewport_size["height"]  # partly below the fold
    _click_opens(page, code, name)
    assert offline_page.blocked == []


def test_map_exports_as_a_page_that_opens_with_no_network(offline_page, app_server, tmp_path):
    """The « page HTML autonome » downloaded from the map opens, with every request blocked, as
    the same 27 regions with its title, legend, sources and date, and French tooltips."""
    page = _open_map(offline_page, app_server)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Carte (page HTML autonome)").click()
    path = tmp_path / "carte.html"
    dl.value.save_as(path)
    exported = path.read_text(encoding="utf-8")
    viewer = offline_page.page.context.new_page()  # same context: every outside request blocked
    errors: list[str] = []
    viewer.on("pageerror", lambda e: errors.append(str(e)))
    viewer.set_content(exported, wait_until="load")
    viewer.wait_for_function(
        "() => document.querySelectorAll(\"#vega-chart path[aria-roledescription='geoshape'][aria-label]\").length >= 27",
        timeout=30_000)
    assert viewer.evaluate("document.documentElement.lang") == "fr"
    assert viewer.title() == "Logements sociaux financés — 2015"
    head = viewer.locator(".export-head").inner_text()
    assert "Source" in head and "export du" in head and "donnée manquante" in head
    # the tooltip works in the file too, in French
    box = viewer.locator("#vega-chart path[aria-label^='Bretagne']").bounding_box()
    viewer.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = viewer.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=10_000)
    assert "Bretagne" in tip.inner_text() and "Nature" in tip.inner_text()
    assert offline_page.blocked == [], offline_page.blocked
    assert offline_page.errors == [] and errors == []
