"""The scenario journey in a real browser on both store backends, and on two app processes behind
HAProxy sharing a PostgreSQL store: a scenario saved in one session is found and loaded in
another; behind the proxy each browser stays on its process (websocket included) while the
store is shared across processes."""

from __future__ import annotations

import re

import pytest

from lib import store
from tests.browser.conftest import running_app
from tests.store import support

cluster = support.cluster  # deploy/cluster.py

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FUND = "Fonds de mutualisation"


def _idle(page, timeout: float = 90_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)


def _fund(page) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=FUND).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().replace("\u202f", " ").replace("\u00a0", " ")


def _open_simulator(page, base: str) -> None:
    page.goto(base + "/mutualisation", wait_until="domcontentloaded")
    page.get_by_text(FUND).first.wait_for(timeout=120_000)
    _idle(page)


def _wait_fund(page, value: str) -> None:
    page.wait_for_function(
        """([label, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')]
             .some(m => m.innerText.includes(label) && m.innerText.replace(/[\\u202f\\u00a0]/g, ' ').includes(value))""",
        arg=[FUND, value], timeout=60_000)


def _raise_zone_1_aid(page) -> None:
    """7 steps of 100 € on the zone 1 aid: 3 300 → 4 000 €, fund 279,0 → 294,1 M€."""
    thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
    thumb.focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    _wait_fund(page, "294,1 M€")
    _idle(page)


def _save(page, name: str) -> None:
    page.get_by_label("Nom du scénario à enregistrer").fill(name)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text(f"Scénario « {name} » enregistré.").first.wait_for(timeout=60_000)
    _idle(page)


def _load(page, name: str) -> None:
    box = page.get_by_role("combobox", name="Scénarios enregistrés")
    box.wait_for(timeout=60_000)
    assert box.input_value() == name  # the most recent first
    page.get_by_role("button", name="Charger ce scénario").click()
    _wait_fund(page, "294,1 M€")  # the loaded scenario's fund, whatever its confirmation says
    page.get_by_text(f"Scénario « {name} » chargé", exact=False).first.wait_for(timeout=60_000)
    _idle(page)


def _journey(browser, base_save: str, base_load: str, name: str,
             other_process: bool = False) -> tuple[str | None, str | None]:
    """Save in one session, find and load in another; return each session's PACTE_APP cookie."""
    saver = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    loader = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    try:
        for ctx in (saver, loader):
            ctx.route(re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost)[:/]).*"), lambda r: r.abort())
        page = saver.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        _open_simulator(page, base_save)
        assert _fund(page) == "279,0 M€"
        _raise_zone_1_aid(page)
        _save(page, name)

        if other_process:  # behind the proxy: the other user is on the other process (its sticky cookie)
            saved_on = {k["name"]: k["value"] for k in saver.cookies()}.get(cluster.COOKIE)
            loader.add_cookies([{"name": cluster.COOKIE, "value": "app2" if saved_on == "app1" else "app1",
                                 "url": base_load}])
        other = loader.new_page()  # another user, another session
        other.on("pageerror", lambda e: errors.append(str(e)))
        _open_simulator(other, base_load)
        assert _fund(other) == "279,0 M€"  # the other session's settings did not leak here
        _load(other, name)
        assert "a_z1=4000" in other.url
        assert not errors, errors
        return tuple({k["name"]: k["value"] for k in ctx.cookies()}.get(cluster.COOKIE) for ctx in (saver, loader))
    finally:
        saver.close()
        loader.close()


@pytest.fixture(scope="module")
def pg_admin_url():
    with support.pg_cluster() as url:
        yield url


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_saved_scenario_is_found_by_another_session(backend, playwright_browser, tmp_path, request):
    if backend == "postgresql":
        db_url = request.getfixturevalue("pg_admin_url")
        with support.pg_database(db_url) as url:
            with running_app(tmp_path / "app.sqlite3", db_url=url) as base:
                _journey(playwright_browser, base, base, "Zone 1 à 4 000 € (PostgreSQL)")
            assert [s.name for s in store.list_scenarios(url)] == ["Zone 1 à 4 000 € (PostgreSQL)"]
            assert not (tmp_path / "app.sqlite3").exists()  # the URL, not the file, was the store
        return
    with running_app(tmp_path / "app.sqlite3") as base:
        _journey(playwright_browser, base, base, "Zone 1 à 4 000 € (SQLite)")
    assert [s.name for s in store.list_scenarios(str(tmp_path / "app.sqlite3"))] == ["Zone 1 à 4 000 € (SQLite)"]


def test_two_processes_behind_haproxy_share_the_store_and_keep_each_session(playwright_browser, pg_admin_url,
                                                                           tmp_path):
    with support.pg_database(pg_admin_url) as url:
        with cluster.Cluster(apps=2, db_env={"PACTE_HLM_DB_URL": url}, workdir=tmp_path) as c:
            # two new browsers: round robin puts them on the two processes, the cookie keeps them there
            seen = []
            for _ in range(2):
                ctx = playwright_browser.new_context()
                page = ctx.new_page()
                page.goto(c.url + "/", wait_until="domcontentloaded")
                _idle(page)
                cookie = {k["name"]: k["value"] for k in ctx.cookies()}.get(cluster.COOKIE)
                page.reload(wait_until="domcontentloaded")
                _idle(page)
                assert {k["name"]: k["value"] for k in ctx.cookies()}.get(cluster.COOKIE) == cookie
                seen.append(cookie)
                ctx.close()
            assert sorted(seen) == ["app1", "app2"]
            saved_on, loaded_on = _journey(playwright_browser, c.url, c.url, "Partagé entre processus",
                                           other_process=True)
            assert {saved_on, loaded_on} == {"app1", "app2"}  # saved by one process, found by the other
            assert not c.dead()
        assert [s.name for s in store.list_scenarios(url)] == ["Partagé entre processus"]
