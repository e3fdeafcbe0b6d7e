"""Mutualisation in a real browser (no outside network): moving a slider updates the fund total
without reloading the page, and the map of net balances is drawn."""

from __future__ import annotations

import re
import time

from tests.browser.conftest import wait_for_app

MAP_REGIONS = "[role='tabpanel'] svg.marks path[aria-roledescription='geoshape'][aria-label]"


def _fund_text(page) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text="Fonds de mutualisation").first
    value = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return value.replace("\u202f", " ").replace("\u00a0", " ")


def test_slider_move_updates_the_fund_total(app_server, offline_page):
    page = offline_page.page
    page.goto(app_server + "/mutualisation", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_text("Fonds de mutualisation").first.wait_for(timeout=60_000)
    assert _fund_text(page) == "279,0 M€"

    thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
    thumb.focus()
    started = time.perf_counter()
    for _ in range(7):  # 7 steps of 100 €: 3 300 → 4 000 €
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .some(m => m.innerText.includes('Fonds de mutualisation') && m.innerText.includes('294,1'))""",
        timeout=30_000,
    )
    elapsed = time.perf_counter() - started
    print(f"slider → total affiché : {elapsed * 1000:.0f} ms")
    assert _fund_text(page) == "294,1 M€"
    assert "a_z1=4000" in page.url  # the address now reproduces the scenario
    assert not offline_page.errors, offline_page.errors


def _marked_charts(page) -> int:
    """Mark every drawn chart (Vega's canvas or SVG); returns how many were marked."""
    return page.evaluate("""() => { const els = [...document.querySelectorAll(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg.marks')];
        els.forEach(e => { e.dataset.kept = 'oui'; }); return els.length; }""")


def _still_marked(page) -> bool:
    return page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg.marks')]
        .every(e => e.dataset.kept === 'oui')""")


def _move_zone1(page, total: str) -> None:
    """Seven steps right on the zone 1 aid, then wait for the fund total ``total`` and a settled run."""
    thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
    thumb.focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """(t) => [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .some(m => m.innerText.includes('Fonds de mutualisation') && m.innerText.includes(t))""",
        arg=total, timeout=30_000,
    )
    wait_for_app(page)


def test_slider_move_updates_chart_and_map_in_place_without_iframe(app_server, offline_page):
    """A slider moved: the fund total, the chart and the map of balances follow, and nothing is
    rebuilt: no iframe (the page has none), no frame navigation, the same chart drawings. Only
    the tab shown is built (lazy tabs): the chart is checked in its tab, then the map in its own."""
    page = offline_page.page
    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f != page.main_frame else None)
    page.goto(app_server + "/mutualisation", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_text("Fonds de mutualisation").first.wait_for(timeout=60_000)
    page.get_by_role("tabpanel", name="Aides et cotisations par région").locator(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg.marks').first.wait_for(
        timeout=60_000)
    assert page.locator("iframe").count() == 0
    assert _marked_charts(page) == 1  # the chart of flows; the map's tab is not built while hidden
    frames_before = len(page.frames)
    _move_zone1(page, "294,1")  # 3 300 → 4 000 €
    assert _still_marked(page)  # the chart updated in place, not drawn again

    page.get_by_role("tab", name="Carte des soldes").click()
    wait_for_app(page)
    panel = page.get_by_role("tabpanel", name="Carte des soldes")
    regions = panel.locator("svg.marks path[aria-roledescription='geoshape']")
    page.wait_for_function(f"() => document.querySelectorAll({MAP_REGIONS!r}).length >= 27", timeout=60_000)
    assert page.locator("iframe").count() == 0
    assert _marked_charts(page) >= 1  # the map
    ile = regions.and_(page.locator("[aria-label^='Île-de-France']"))
    before_map = ile.get_attribute("aria-label")
    _move_zone1(page, "309,3")  # 4 000 → 4 700 €
    page.wait_for_function(
        f"(b) => document.querySelector({MAP_REGIONS!r} + \"[aria-label^='Île-de-France']\").getAttribute('aria-label') !== b",
        arg=before_map, timeout=30_000)
    assert navigations == [], navigations
    assert len(page.frames) == frames_before and page.locator("iframe").count() == 0
    assert _still_marked(page)  # the map updated in place, not drawn again
    assert not offline_page.errors, offline_page.errors
    assert offline_page.blocked == []


def test_replaying_a_campaign_from_its_address(app_server, offline_page):
    """A presenter opens the replay of campaign 2015 from a link: the comparison table is drawn
    with the published fund, and choosing « Sensibilité » draws the two tornado charts."""
    page = offline_page.page
    page.goto(app_server + "/mutualisation?verif=Rejouer+une+campagne&campagne=2015", wait_until="domcontentloaded")
    wait_for_app(page)
    metric = page.locator('[data-testid="stMetric"]', has_text="Fonds publié").first
    metric.wait_for(timeout=60_000)
    assert "221,3" in metric.inner_text()
    assert "écart simulé − publié" in metric.inner_text()
    page.get_by_text("Ce que le simulateur ne reproduit pas").first.wait_for(timeout=30_000)
    page.locator("[data-testid=\"stButtonGroup\"] button", has_text="Sensibilité").first.click()
    page.get_by_text("Réglages utilisés").first.wait_for(timeout=60_000)
    page.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stVegaLiteChart"]').length >= 3""", timeout=60_000)
    assert "verif=Sensibilit" in page.url
    assert not offline_page.errors, offline_page.errors


SAVED_PICKER = "Scénarios enregistrés"
COMPARE_PICKER = "Comparer (deux scénarios ou plus, le premier sert de référence)"
NO_SAVED = "Aucun scénario enregistré pour l'instant."


def _pickers_shown(page, testid: str) -> list[str]:
    return [label.strip() for label in page.locator(f'[data-testid="{testid}"] [data-testid="stWidgetLabel"]')
            .all_inner_texts()]


def _assert_only_saved_scenario_pickers(page) -> None:
    """The browser downloads the select box's own code (about 38 KB) only for a page that shows one:
    none of the simulator's controls (year, scenario, goal-seek's parameter) is a select box. The
    only ones are the saved scenarios' picker, shown once the shared store holds a scenario, and
    the comparison's: the session-wide server's store holds whatever the other browser tests
    saved before, so the test reads which case the page is in from the page itself (with an
    empty store, no select box at all)."""
    page.get_by_text(NO_SAVED).or_(page.get_by_text(SAVED_PICKER, exact=True)).first.wait_for(timeout=60_000)
    page.get_by_role("radiogroup", name="Paramètre à ajuster").wait_for(timeout=60_000)  # the goal-seek, drawn
    boxes, multi = _pickers_shown(page, "stSelectbox"), _pickers_shown(page, "stMultiSelect")
    if page.get_by_text(NO_SAVED).count():
        assert boxes == [] and multi == []
    else:
        assert boxes == [SAVED_PICKER], boxes
        assert multi in ([], [COMPARE_PICKER]), multi  # from two scenarios (AppTest pins when)


def test_year_and_scenario_keep_their_addresses(app_server, offline_page):
    """The year (a segmented control) and the volumes scenario (radio buttons) write into the
    address the text the select boxes before them wrote (the year, the scenario's label), and a
    link written then opens the same state; no control is a select box (see ``_pickers_shown``)."""
    from urllib.parse import quote_plus, urlencode

    from lib.mutualisation_inputs import SCENARIOS

    label = SCENARIOS["prioritaires_objectif"].libelle
    page = offline_page.page
    page.goto(app_server + "/mutualisation?" + urlencode({"annee": "2014", "scen": label}),
              wait_until="domcontentloaded")
    wait_for_app(page)
    year = page.get_by_role("radiogroup", name="Année des clés régionales")
    scenario = page.get_by_role("radiogroup", name="Scénario de volumes")
    year.get_by_role("radio", name="2014").wait_for(timeout=60_000)
    assert year.get_by_role("radio", name="2014").get_attribute("aria-checked") == "true"
    assert scenario.get_by_role("radio", name=label).is_checked()
    _assert_only_saved_scenario_pickers(page)

    year.get_by_role("radio", name="2015").click()
    page.wait_for_url(re.compile(r"[?&]annee=2015(&|$)"), timeout=30_000)
    wait_for_app(page)
    assert "scen=" + quote_plus(label) in page.url
    scenario.get_by_text("Volumes de base").click()  # the default: it leaves the address
    page.wait_for_function("() => !location.search.includes('scen=')", timeout=30_000)
    year.get_by_role("radio", name="2013").click()
    page.wait_for_function("() => location.search === ''", timeout=30_000)
    wait_for_app(page)
    assert not offline_page.errors, offline_page.errors


def test_goal_seek_radio_keys_rerun_only_the_goal_seek_and_apply_moves_the_slider(app_server, offline_page):
    """The goal-seek is a fragment: going down its six radio buttons with the arrow keys (one run
    per key) sends the browser the goal-seek only, far less than one run of the whole page; its
    « Appliquer cette valeur » still moves the slider and the total (a full rerun)."""
    page = offline_page.page
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
    page.goto(app_server + "/mutualisation", wait_until="domcontentloaded")
    wait_for_app(page)
    field = page.get_by_role("radiogroup", name="Paramètre à ajuster")
    field.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    whole_page = sum(received)
    received.clear()
    radios = field.get_by_role("radio")
    radios.first.focus()
    for i in range(1, radios.count()):
        page.keyboard.press("ArrowDown")
        page.wait_for_function("(i) => document.querySelectorAll('[role=radiogroup][aria-label=\"Paramètre à ajuster\"] "
                               "input')[i]?.checked", arg=i, timeout=30_000)
        wait_for_app(page)
    page.wait_for_timeout(1000)
    per_key = sum(received) / (radios.count() - 1)
    print(f"goal-seek's radio, per arrow key: {per_key / 1000:.1f} KB received; the page's run {whole_page / 1000:.1f} KB")
    assert per_key < whole_page / 4, (per_key, whole_page)

    field.get_by_text("zone 1 ou 1 bis").click()
    wait_for_app(page)
    target = page.get_by_label("Fonds visé (M€)")
    target.fill("300")
    target.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Chercher la valeur").click()
    page.get_by_text("→ fonds de 300,0", exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Appliquer cette valeur").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .some(m => m.innerText.includes('Fonds de mutualisation') && m.innerText.includes('300,0'))""",
        timeout=30_000,
    )
    page.wait_for_url(re.compile(r"[?&]a_z1=\d"), timeout=30_000)  # the slider moved, bound to the address
    assert not offline_page.errors, offline_page.errors
