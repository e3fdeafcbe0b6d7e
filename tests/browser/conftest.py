"""Browser tests: the real app started with run.py on a free port, driven by Playwright in
Debian's Chromium (/usr/bin/chromium) with every request that is not to this machine blocked,
as on a ministry network that filters CDNs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost",
                  "data:", "blob:", "about:")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db_path: Path, db_url: str | None = None, extra_env: dict[str, str] | None = None):
    """Start the app as the README does (run.py) and wait until it answers its health check.
    Its store is the SQLite file ``db_path``, or the database at ``db_url`` (its log beside db_path);
    ``extra_env`` is a deployment's setting (e.g. PACTE_HLM_MARIANNE=1), absent otherwise."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PACTE_HLM_DB_URL", "PACTE_HLM_MARIANNE")}
    env.update(extra_env or {})
    env["PACTE_HLM_DB"] = str(db_path)
    if db_url:
        env["PACTE_HLM_DB_URL"] = db_url
    log = open(db_path.with_suffix(".log"), "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("le serveur de l'application n'a pas démarré : " + db_path.with_suffix(".log").read_text())
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """A server shared by the browser tests that do not need a fresh one."""
    with running_app(tmp_path_factory.mktemp("app") / "store.sqlite3") as base:
        yield base


@pytest.fixture(scope="session")
def playwright_browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium de Debian absent : lancez bash scripts/setup_env.sh --dev (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class OfflinePage:
    """A Playwright page whose outside requests are blocked and recorded, with JS errors and dialogs."""

    def __init__(self, context):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            return route.continue_()
        self.blocked.append(url)
        return route.abort()


@pytest.fixture
def offline_page(playwright_browser):
    context = playwright_browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
    page = OfflinePage(context)
    yield page
    context.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (``data-test-script-state``, which
    does not depend on the language the status widget is translated into)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => { const a = document.querySelector('[data-testid="stApp"]');
                   const s = document.querySelector('[data-testid="stStatusWidget"]');
                   return a && a.getAttribute('data-test-script-state') === 'notRunning'
                          && (!s || !s.innerText.match(/Running|Stop|Calcul en cours|Arrêter/)); }""", timeout=timeout)
    page.wait_for_timeout(500)


# --- the region map (Vega-Lite, SVG renderer: each region is a path labelled with its name) ------

MAP_SVG = ".st-key-carte_map svg.marks"
MAP_REGIONS = MAP_SVG + " path[aria-roledescription='geoshape'][aria-label]"

# Viewport coordinates of a point inside the region named ``name``, drawn and not covered by
# another region: the point of its fill nearest to the centre of its box that is in the viewport
# (None when no part of it is). bench/bench_browser.py uses it too.
REGION_POINT_JS = """(name) => {
  const svg = document.querySelector('.st-key-carte_map svg.marks');
  if (!svg) return null;
  const path = [...svg.querySelectorAll('path[aria-label]')].find(p => {
    const l = p.getAttribute('aria-label'); return l.startsWith(name + ' :') || l.startsWith(name + ' —'); });
  if (!path) return null;
  const b = path.getBBox(), m = path.getScreenCTM(), n = 24;
  let best = null;
  for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
    const pt = svg.createSVGPoint(); pt.x = b.x + b.width * i / n; pt.y = b.y + b.height * j / n;
    if (!path.isPointInFill(pt)) continue;
    const s = pt.matrixTransform(m);
    if (s.y < 5 || s.y > innerHeight - 5 || s.x < 5 || s.x > innerWidth - 5) continue;
    const d = (i - n / 2) ** 2 + (j - n / 2) ** 2;
    if (!best || d < best.d) best = {x: s.x, y: s.y, d};
  }
  return best && [best.x, best.y];
}"""


def wait_for_map(page, timeout: float = 60_000) -> None:
    """Until the 27 regions of the map are drawn."""
    page.wait_for_function(f"() => document.querySelectorAll({MAP_REGIONS!r}).length >= 27", timeout=timeout)


def region_point(page, name: str) -> tuple[float, float] | None:
    return page.evaluate(REGION_POINT_JS, name)
