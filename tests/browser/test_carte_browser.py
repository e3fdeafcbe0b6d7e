"""The map in a real browser with every outside request blocked (ministry network, no CDN):
27 region shapes drawn, the three priority regions outlined, a click opens the region's page."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import wait_for_app

SHOTS = os.environ.get("PACTE_SHOTS", "/tmp/shots")
MAP_FRAME = "iframe[title^='Carte']"  # titled in French by static/fr/streamlit-fr.js


def _open_map(offline_page, base: str):
    page = offline_page.page
    page.goto(base + "/carte")
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    return page, frame


def test_map_draws_27_regions_offline(offline_page, app_server):
    page, frame = _open_map(offline_page, app_server)
    shapes = frame.locator("path.leaflet-interactive")
    assert shapes.count() == 27
    # the priority overlay: three non-interactive outlines with their own class
    assert frame.locator("path.region-prioritaire").count() == 3
    # missing data is hatched (SVG pattern), never a value colour
    assert frame.locator("path[fill='url(#hatch-missing)']").count() >= 1
    # legend entry for the priority regions, named from the parameter file
    from lib import carte_view, geo, params

    legend = carte_view.priority_legend_text(params.load_params(), geo.load_regions())
    assert "Île-de-France" in legend
    assert page.get_by_text(legend).count() == 1
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "browser_carte.png"), full_page=True)
    assert offline_page.blocked == [], offline_page.blocked
    assert offline_page.errors == []


def test_tooltip_is_french(offline_page, app_server):
    page, frame = _open_map(offline_page, app_server)
    frame.locator("path.leaflet-interactive").nth(5).hover()  # Île-de-France (order of the file)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=10_000)
    text = tip.inner_text()
    assert "Île-de-France" in text and "Nature" in text and "Source" in text
    assert "\u202f" in text or " " in text  # French thousands separator


def _interior_point(code: str) -> tuple[float, float]:
    """A point inside the region (lat, lon): its shape's representative point."""
    import geopandas as gpd

    from lib.geo import REGIONS_GEO_FILE

    gdf = gpd.read_file(REGIONS_GEO_FILE)
    pt = gdf.loc[gdf["code"] == code, "geometry"].iloc[0].representative_point()
    return pt.y, pt.x


def _click_region(page, code: str) -> None:
    """Click inside a region where Leaflet draws it (a bounding-box centre can fall in the sea)."""
    iframe = page.locator(MAP_FRAME)
    iframe.scroll_into_view_if_needed()
    frame = next(f for f in page.frames if "st_folium" in f.url)
    # streamlit-folium binds its click handlers once the map is initialised
    frame.wait_for_function("() => window.map && window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.previous_data")
    page.wait_for_timeout(800)
    lat, lon = _interior_point(code)
    xy = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " const r = document.getElementById('map_div').getBoundingClientRect();"
        " return [p.x + r.x, p.y + r.y]; }",
        [lat, lon],
    )
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])


@pytest.mark.parametrize("code, name", [("24", "Centre"), ("91", "Languedoc-Roussillon")])
def test_click_opens_region_page(offline_page, app_server, code, name):
    page, _frame = _open_map(offline_page, app_server)
    # st.switch_page changes the address in place (history API): no "load" event to wait for
    arrived = f"() => location.pathname.endsWith('/region') && location.search.includes('region={code}')"
    for _attempt in range(3):  # a click during a rerun of the page can be lost: the user clicks again
        _click_region(page, code)
        try:
            page.wait_for_function(arrived, timeout=10_000)
            break
        except Exception:  # noqa: BLE001
            if not page.locator(MAP_FRAME).count():
                break
            continue
    if not page.evaluate(arrived):
        page.screenshot(path=os.path.join(SHOTS, f"browser_fail_{code}.png"))
    assert page.evaluate(arrived), page.url
    wait_for_app(page)
    page.get_by_role("heading", name=name).first.wait_for(timeout=30_000)
    page.screenshot(path=os.path.join(SHOTS, f"browser_region_{code}.png"), full_page=True)
    assert offline_page.blocked == []
