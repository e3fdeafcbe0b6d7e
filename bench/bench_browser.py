"""The dashboard against a bare Streamlit page, in Debian's Chromium with the network cut.

usage: .venv/bin/python bench/bench_browser.py [--rounds 5] [--only open,slider,...] [--json out.json]
                                              [--app DIR]

``--app DIR`` measures the dashboard checked out in DIR (e.g. an older commit in a
``git worktree``) against this checkout's bare page, with this checkout's bench and browser.

Starts the app (through run.py, as the README does) and ``bench/bare_app.py`` (one slider, one
``st.metric``; a second page for a navigation and a choice in a list), drives both in the same
browser in the same run, and prints each figure as the median of several rounds with the bare
page's figure and the ratio beside it. The machine is shared and noisy: read the ratios, not the
milliseconds.

How a time is taken (bench/recorder.js, installed in every page before its own scripts):
- "useful": the first time the page's first useful content is on screen (title and key figures,
  the map for Carte);
- "updated": the first time the figure the gesture changes shows its new text;
- "settled": Streamlit's script idle (``[data-testid="stApp"][data-test-script-state="notRunning"]``),
  no stale element, every visible chart, table and map drawn. The bench then waits until nothing
  has changed for a quiet window (a follow-up rerun would show in it); that window is not counted.
A page opened in a new tab is timed from navigation start; a gesture from just before the key,
the release of a drag, the choice of an option or the click. No fixed sleep anywhere.

Also printed: bytes transferred per page with a cold browser cache (HTTP bodies as sent, plus
WebSocket messages as sent: deflated again the way the server does when it negotiated
permessage-deflate, since Chromium reports them inflated), the server memory one more session
costs (RSS of the server process), iframe reloads per gesture, and a slider move under AppTest against the bare page's rerun.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
APP_ROOT = ROOT  # the dashboard measured (``--app``); the bare page and the bench are always ROOT's

from tests.browser.conftest import (  # noqa: E402 - the same browser and cut network as the tests
    CHROMIUM,
    CHROMIUM_FLAGS,
    LOCAL_PREFIXES,
    REGION_POINT_JS,
)

VIEWPORT = {"width": 1600, "height": 1000}
RECORDER = (ROOT / "bench" / "recorder.js").read_text(encoding="utf-8")
QUIET_MS = 700  # nothing changed for this long after "settled": the page is really done
TIMEOUT_MS = 90_000

# --- first useful content of each page (JS predicates, evaluated by recorder.js) ---------------
H = "[...document.querySelectorAll('{tag}')].some(h => h.innerText.includes({text!r}))"
METRIC = "!!document.querySelector('[data-testid=\"stMetricValue\"]')"
FUND_EXPR = ("(() => { const m = [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
             ".find(m => m.innerText.includes('Fonds de mutualisation'));"
             " return m ? m.querySelector('[data-testid=\"stMetricValue\"]').innerText : null; })()")
BARE_METRIC_EXPR = "(document.querySelector('[data-testid=\"stMetricValue\"]') || {}).innerText"
# a grid drawn, or a static table (lib.ui.tables.static_table) with its cells
TABLE = ("!!document.querySelector('[data-testid=\"stDataFrame\"] canvas, [data-testid=\"stTable\"] td')")

APP_PAGES = {  # label -> (path, useful)
    "Accueil": ("/", f"{H.format(tag='h1', text='Pacte Hlm')} && {METRIC}"),
    "Carte": ("/carte", f"{H.format(tag='h1', text='Carte des régions')} && B.mapDrawn()"),
    "Région": ("/region?region=91", f"{H.format(tag='h2', text='Languedoc-Roussillon')} && {METRIC}"),
    "Mutualisation": ("/mutualisation", f"{FUND_EXPR} !== null"),
    "Données et sources": ("/donnees", f"{H.format(tag='h1', text='Données et sources')} && {TABLE}"),
}
BARE_PAGES = {"bare": ("/", METRIC), "bare autre": ("/autre", METRIC)}


# --- servers -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    proc: subprocess.Popen

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("VmRSS introuvable")


@contextmanager
def serve(kind: str, tmp: Path):
    """Start the app (run.py) or the bare page on a free port; yield when it answers."""
    port = _free_port()
    flags = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"]
    if kind == "app":
        argv = [sys.executable, str(APP_ROOT / "run.py"), *flags]
    else:
        argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "bare_app.py"), *flags]
    env = {**os.environ, "PACTE_HLM_DB": str(tmp / f"bench-{port}.sqlite3")}
    log = open(tmp / f"server-{kind}-{port}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(argv, cwd=APP_ROOT if kind == "app" else ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"server {kind} did not start: see {log.name}") from None
                time.sleep(0.1)
        yield Server(base, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# --- browser -------------------------------------------------------------------------------------


@dataclass
class Tab:
    """A page of a context whose outside requests are cut, with its frame navigations counted."""

    page: object
    blocked: list = field(default_factory=list)
    frame_navs: int = 0

    def wait_done(self, timeout: float = TIMEOUT_MS) -> None:
        try:
            self.page.wait_for_function("q => window.__bench && window.__bench.done(q)", arg=QUIET_MS,
                                        timeout=timeout)
        except Exception:
            state = self.page.evaluate(
                "() => { const B = window.__bench; return B && {state: B.state, drawn: B.drawn(),"
                " changed: B.changed && String(B.changed), changedAt: B.changedAt, useful: B.usefulAt,"
                " sawRun: B.sawRun, needRun: B.needRun, url: location.href}; }")
            print(f"    (not settled after {timeout / 1000:.0f} s: {state})", flush=True)
            raise

    def stamps(self) -> dict:
        return self.page.evaluate(
            "() => { const B = window.__bench; return {t0: B.t0, useful: B.usefulAt, changed: B.changedAt,"
            " settled: B.settledAt, runs: B.runs}; }")


def new_context(browser, pages: dict[str, tuple[str, str]]):
    ctx = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    useful: dict[str, str] = {}
    for path, src in pages.values():  # by path with its query, and by path alone
        useful[path] = src
        useful.setdefault(path.split("?")[0], src)
    ctx.add_init_script(script=f"window.__benchUseful = {json.dumps(useful)};")
    ctx.add_init_script(script=RECORDER)
    return ctx


def new_tab(ctx) -> Tab:
    tab = Tab(page=None)

    def route(r):
        if r.request.url.startswith(LOCAL_PREFIXES):
            return r.continue_()
        tab.blocked.append(r.request.url)
        return r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    tab.page = page

    def on_nav(frame):
        if frame.parent_frame is not None:
            tab.frame_navs += 1

    page.on("framenavigated", on_nav)
    return tab


def open_tab(ctx, url: str) -> tuple[Tab, dict]:
    """Open ``url`` in a new tab; return the tab (settled) and its stamps from navigation start."""
    tab = new_tab(ctx)
    tab.page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    tab.wait_done()
    return tab, tab.stamps()


def gesture(tab: Tab, act: Callable[[], None], changed: str | None, need_run: bool = True,
            timeout: float = TIMEOUT_MS) -> dict:
    """Time ``act`` (a key, a release, a click): stamps relative to just before it, iframe reloads."""
    navs = tab.frame_navs
    tab.page.evaluate("([c, n]) => window.__bench.start(c, n)", [changed, need_run])
    act()
    tab.wait_done(timeout)
    s = tab.stamps()
    return {
        "changed": None if s["changed"] is None else s["changed"] - s["t0"],
        "settled": s["settled"] - s["t0"],
        "frame_reloads": tab.frame_navs - navs,
    }


# --- measurements --------------------------------------------------------------------------------


def med(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


class Results:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, label: str, app: float | None, bare: float | None, goal: float | None = None,
            unit: str = "ms", note: str = "") -> None:
        ratio = (app / bare) if (app is not None and bare) else None
        self.rows.append({"label": label, "app": app, "bare": bare, "ratio": ratio, "goal": goal,
                          "unit": unit, "note": note})
        print(f"  {label}: {fmt(app, unit)} vs {fmt(bare, unit)} -> {fmt_ratio(ratio)} {note}", flush=True)

    def print_table(self) -> None:
        w = max(len(r["label"]) for r in self.rows) + 2
        print()
        print(f"{'measure':<{w}}{'app':>11}{'bare':>11}{'ratio':>8}{'goal':>7}  ")
        print("-" * (w + 40))
        for r in self.rows:
            goal = f"≤{r['goal']:g}×" if r["goal"] else ""
            flag = ""
            if r["goal"] and r["ratio"] is not None:
                flag = "ok" if r["ratio"] <= r["goal"] else "OVER"
            print(f"{r['label']:<{w}}{fmt(r['app'], r['unit']):>11}{fmt(r['bare'], r['unit']):>11}"
                  f"{fmt_ratio(r['ratio']):>8}{goal:>7}  {flag} {r['note']}")


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "ms":
        return f"{v:,.0f} ms".replace(",", " ")
    if unit == "KB":
        return f"{v:,.0f} KB".replace(",", " ")
    if unit == "MB":
        return f"{v:,.1f} MB"
    return f"{v:g}"


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}×"


def bench_opens(browser, app: Server, bare: Server, rounds: int, res: Results) -> None:
    """Each page in a new tab of a warm browser on a warm server (first open not counted)."""
    actx, bctx = new_context(browser, APP_PAGES), new_context(browser, BARE_PAGES)
    try:
        for _label, (path, _src) in APP_PAGES.items():
            open_tab(actx, app.base + path)[0].page.close()
        open_tab(bctx, bare.base + "/")[0].page.close()
        app_s: dict[str, list[dict]] = {k: [] for k in APP_PAGES}
        bare_s: list[dict] = []
        for _ in range(rounds):
            for label, (path, _src) in APP_PAGES.items():
                tab, s = open_tab(actx, app.base + path)
                app_s[label].append(s)
                tab.page.close()
                tab, s = open_tab(bctx, bare.base + "/")
                bare_s.append(s)
                tab.page.close()
        b_useful, b_settled = med([s["useful"] for s in bare_s]), med([s["settled"] for s in bare_s])
        for label, ss in app_s.items():
            res.add(f"open {label}: first useful", med([s["useful"] for s in ss]), b_useful, 1.5)
            res.add(f"open {label}: settled", med([s["settled"] for s in ss]), b_settled, 2)
    finally:
        actx.close()
        bctx.close()


def bench_deeplink(browser, tmp: Path, rounds: int, res: Results) -> None:
    """/region?region=91 as the very first request on a freshly started server (cold browser too)."""
    app_s, bare_s = [], []
    for _ in range(rounds):
        for kind, path, pages, out in (("app", "/region?region=91", APP_PAGES, app_s),
                                       ("bare", "/", BARE_PAGES, bare_s)):
            with serve(kind, tmp) as srv:
                ctx = new_context(browser, pages)
                try:
                    _tab, s = open_tab(ctx, srv.base + path)
                    out.append(s)
                finally:
                    ctx.close()
    res.add("deep link, fresh server: first useful", med([s["useful"] for s in app_s]),
            med([s["useful"] for s in bare_s]))
    res.add("deep link, fresh server: settled", med([s["settled"] for s in app_s]),
            med([s["settled"] for s in bare_s]), 3)


def _changed_from(tab: Tab, expr: str) -> str:
    prev = tab.page.evaluate(f"() => {expr}")
    return f"{expr} !== {json.dumps(prev)}"


def _slider_rounds(tab: Tab, thumb, expr: str, rounds: int, how: str) -> list[dict]:
    out = []
    for i in range(rounds * 2):  # right then left, so the value stays in range
        step = 1 if i % 2 == 0 else -1
        changed = _changed_from(tab, expr)
        if how == "key":
            thumb.focus()
            out.append(gesture(tab, lambda s=step: tab.page.keyboard.press("ArrowRight" if s > 0 else "ArrowLeft"),
                               changed))
        else:
            box = thumb.locator("xpath=../..").bounding_box()  # the visible thumb around the range input
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            tab.page.mouse.move(x, y)
            tab.page.mouse.down()
            tab.page.mouse.move(x + 40 * step, y, steps=4)
            out.append(gesture(tab, tab.page.mouse.up, changed))
    return out


def bench_slider(browser, app: Server, bare: Server, rounds: int, res: Results) -> None:
    actx, bctx = new_context(browser, APP_PAGES), new_context(browser, BARE_PAGES)
    try:
        atab, _ = open_tab(actx, app.base + "/mutualisation")
        btab, _ = open_tab(bctx, bare.base + "/")
        athumb = atab.page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
        bthumb = btab.page.get_by_role("slider").first
        for how, name in (("key", "keyboard"), ("drag", "drag")):
            a = _slider_rounds(atab, athumb, FUND_EXPR, rounds, how)
            b = _slider_rounds(btab, bthumb, BARE_METRIC_EXPR, rounds, how)
            res.add(f"slider ({name}) → fund total updated", med([x["changed"] for x in a]),
                    med([x["changed"] for x in b]), 1.5)
            res.add(f"slider ({name}) → everything drawn", med([x["settled"] for x in a]),
                    med([x["settled"] for x in b]), 3,
                    note=f"iframe reloads {sum(x['frame_reloads'] for x in a)}/{len(a)} moves")
        for tab_name in ("Carte des soldes", "Tableau"):
            atab.page.get_by_role("tab", name=tab_name).click()
            atab.wait_done()
            a = _slider_rounds(atab, athumb, FUND_EXPR, rounds, "key")
            b = _slider_rounds(btab, bthumb, BARE_METRIC_EXPR, rounds, "key")
            res.add(f"slider (keyboard), tab « {tab_name} » shown → drawn", med([x["settled"] for x in a]),
                    med([x["settled"] for x in b]), 3,
                    note=f"iframe reloads {sum(x['frame_reloads'] for x in a)}/{len(a)} moves")
        atab.page.get_by_role("tab", name="Aides et cotisations par région").click()
    finally:
        actx.close()
        bctx.close()


def _choose(tab: Tab, key: str, option: str, changed: str) -> dict:
    """Open the selectbox of widget ``key`` and time the choice of ``option``."""
    tab.page.locator(f".st-key-{key} [role='combobox']").first.click()
    opt = tab.page.get_by_role("option", name=option, exact=True).first
    opt.wait_for()
    return gesture(tab, opt.click, changed)


SUBHEADER_HAS = "[...document.querySelectorAll('h2, h3')].some(h => h.innerText.includes({text}))"  # the map's title


def bench_recolour(browser, app: Server, bare: Server, rounds: int, res: Results) -> None:
    actx, bctx = new_context(browser, APP_PAGES), new_context(browser, BARE_PAGES)
    try:
        atab, _ = open_tab(actx, app.base + "/carte")
        btab, _ = open_tab(bctx, bare.base + "/autre")
        bare_runs = []
        for i in range(rounds * 2):
            year = "2014" if i % 2 == 0 else "2015"
            bare_runs.append(_choose(btab, "bare_annee", year, f"{BARE_METRIC_EXPR} === {json.dumps(year)}"))
        b = med([x["settled"] for x in bare_runs])
        from lib.targets import INDICATOR_CHOICES

        total = "Total (PLAI + PLUS + PLS)"
        cases = {
            "year": [("carte_periode_production", y, f"— {y}") for y in ("2014", "2015")],
            "product": [("carte_produit", "PLAI", "(PLAI) —"), ("carte_produit", total, "financés —")],
            "indicator": [("carte_indicateur", INDICATOR_CHOICES["production_10k"], "10 000 habitants —"),
                          ("carte_indicateur", INDICATOR_CHOICES["production"], "financés —")],
        }
        for name, steps in cases.items():
            runs = []
            for i in range(rounds * 2):
                key, option, text = steps[i % 2]
                runs.append(_choose(atab, key, option, SUBHEADER_HAS.format(text=json.dumps(text))))
            res.add(f"map recolour ({name}) → drawn", med([x["settled"] for x in runs]), b, None,
                    note=f"iframe reloads {sum(x['frame_reloads'] for x in runs)}/{len(runs)}; bare: a selectbox")
    finally:
        actx.close()
        bctx.close()


# --- map click -----------------------------------------------------------------------------------


def _region_latlon(code: str) -> tuple[float, float]:
    """A point inside a metropolitan region, as (lat, lon) (for the Leaflet map of before)."""
    import geopandas as gpd

    from lib.geo import REGIONS_GEO_FILE

    gdf = gpd.read_file(REGIONS_GEO_FILE)
    pt = gdf.loc[gdf["code"] == code, "geometry"].iloc[0].representative_point()
    return pt.y, pt.x


def region_point(tab: Tab, code: str, name: str) -> tuple[float, float] | None:
    """Where region ``code`` is on screen (viewport coordinates), whatever draws the map."""
    page = tab.page
    iframe = page.locator("iframe[title*='st_folium']")
    if iframe.count():  # the Leaflet map of before (kept to measure it)
        lat, lon = _region_latlon(code)
        frame = next(f for f in page.frames if "st_folium" in f.url)
        frame.wait_for_function("() => window.map && window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.previous_data")
        xy = frame.evaluate(
            "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
            " const r = document.getElementById('map_div').getBoundingClientRect();"
            " return [p.x + r.x, p.y + r.y]; }", [lat, lon])
        box = iframe.bounding_box()
        return box["x"] + xy[0], box["y"] + xy[1]
    return page.evaluate(REGION_POINT_JS, name)


REGION_ARRIVED = ("location.pathname.endsWith('/region') && location.search.includes('region={code}')"
                  " && " + H.replace("{text!r}", "{name}").replace("{tag}", "h2") + " && " + METRIC)


CLICK_TIMEOUT_MS = 15_000  # a click that has not opened the region by then is counted as missed


def _click_region(tab: Tab, base: str, code: str, name: str, placement: str) -> dict:
    page = tab.page
    if not page.url.rstrip("/").endswith("/carte"):
        page.goto(base + "/carte", wait_until="commit")
        tab.wait_done()
    page.evaluate("() => window.scrollTo(0, 0)")
    main = page.locator('[data-testid="stMain"]')
    target = page.locator(".st-key-carte_map, iframe[title*='st_folium']").first
    top = target.bounding_box()["y"]
    # fully in view: the map's top 20 px below the viewport's top; partly: only its top 300 px shown
    dy = top - 20 if placement == "in view" else top - (VIEWPORT["height"] - 300)
    main.evaluate("(el, dy) => { el.scrollTop += dy; }", dy)  # stMain is what scrolls
    tab.wait_done()
    xy = region_point(tab, code, name)
    if xy is None:
        raise RuntimeError(f"region {code} not in view")
    arrived = REGION_ARRIVED.format(code=code, name=json.dumps(name))
    return gesture(tab, lambda: page.mouse.click(*xy), arrived, timeout=CLICK_TIMEOUT_MS)


def bench_click(browser, app: Server, bare: Server, rounds: int, res: Results) -> None:
    actx, bctx = new_context(browser, APP_PAGES), new_context(browser, BARE_PAGES)
    in_view = [("24", "Centre"), ("91", "Languedoc-Roussillon")]
    partly = [("31", "Nord-Pas-de-Calais"), ("22", "Picardie")]  # near the map's top: in the part shown
    try:
        btab, _ = open_tab(bctx, bare.base + "/")
        bare_runs = []
        for _ in range(rounds):
            link = btab.page.get_by_role("link", name="Autre page")
            bare_runs.append(gesture(btab, link.click, "location.pathname.endsWith('/autre') && " + METRIC))
            btab.page.goto(bare.base + "/", wait_until="commit")
            btab.wait_done()
        b = med([x["settled"] for x in bare_runs])
        atab, _ = open_tab(actx, app.base + "/carte")
        for placement, codes in (("in view", in_view), ("partly in view", partly)):
            runs, wrong = [], []
            for i in range(rounds):
                code, name = codes[i % len(codes)]
                try:
                    runs.append(_click_region(atab, app.base, code, name, placement))
                except Exception:  # noqa: BLE001 - the click did not open the region in time
                    opened = atab.page.evaluate("() => location.pathname + location.search")
                    wrong.append(f"{code}→{opened}")
                    atab.page.goto(app.base + "/carte", wait_until="commit")
                    atab.wait_done()
            note = f"right region on first click {len(runs)}/{rounds}" + (f" (missed: {', '.join(wrong)})" if wrong else "")
            res.add(f"map click ({placement}) → region page settled", med([x["settled"] for x in runs]), b, 2,
                    note=note)
    finally:
        actx.close()
        bctx.close()


# --- bytes and memory ----------------------------------------------------------------------------


class _Deflated:
    """The size on the wire of a WebSocket direction's messages under permessage-deflate as the
    server negotiated it (context kept between messages, its window bits, websockets' settings):
    Chromium reports each message inflated, so the bench deflates it again the same way."""

    def __init__(self, window_bits: int) -> None:
        self.z = zlib.compressobj(6, zlib.DEFLATED, -window_bits, 5)

    def size(self, payload: bytes | str) -> int:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        return len(self.z.compress(data) + self.z.flush(zlib.Z_SYNC_FLUSH)) - 4


def _deflate_window(extensions: str) -> int | None:
    """The window bits of a negotiated permessage-deflate (None when it is not negotiated)."""
    if "permessage-deflate" not in extensions:
        return None
    found = re.search(r"server_max_window_bits=(\d+)", extensions)
    return int(found.group(1)) if found else 15


def page_bytes(browser, base: str, path: str, pages) -> tuple[int, list[tuple[int, str]]]:
    """Bytes transferred to open ``path`` with a cold cache: HTTP bodies as sent + WebSocket
    messages as sent (deflated when the server negotiated permessage-deflate, see ``_Deflated``);
    also each transfer, largest first."""
    ctx = new_context(browser, pages)
    try:
        tab = new_tab(ctx)
        items: list[tuple[int, str]] = []
        cdp = ctx.new_cdp_session(tab.page)
        cdp.send("Network.enable")
        window: list[int | None] = []
        cdp.on("Network.webSocketHandshakeResponseReceived", lambda e: window.append(_deflate_window(
            next((v for k, v in e["response"]["headers"].items() if k.lower() == "sec-websocket-extensions"), ""))))

        def finished(req):
            try:
                sizes = req.sizes()
                items.append((sizes["responseBodySize"] + sizes["responseHeadersSize"], req.url.split("/")[-1][:40]))
            except Exception:  # noqa: BLE001 - a request torn down with the page
                pass

        def on_ws(ws):
            coders: dict[str, _Deflated | None] = {}  # by direction, made at the first message:
            # the handshake's answer (the negotiated extension) arrives after this event

            def frame(arrow: str, payload) -> None:
                if arrow not in coders:
                    bits = window[-1] if window else None
                    coders[arrow] = None if bits is None else _Deflated(bits)
                coder = coders[arrow]
                items.append((len(payload), f"websocket {arrow}") if coder is None
                             else (coder.size(payload), f"websocket {arrow} (deflate)"))

            ws.on("framereceived", lambda p: frame("↓", p))
            ws.on("framesent", lambda p: frame("↑", p))

        pending: set = set()  # requests under way: a bundle still downloading when the page
        # settles (a chart below the fold is not waited for) is part of the page's weight
        tab.page.on("request", lambda r: pending.add(r))
        tab.page.on("requestfinished", lambda r: pending.discard(r))
        tab.page.on("requestfailed", lambda r: pending.discard(r))
        tab.page.on("requestfinished", finished)
        tab.page.on("websocket", on_ws)
        tab.page.goto(base + path, wait_until="commit", timeout=TIMEOUT_MS)
        tab.wait_done()
        _wait_network_quiet(tab.page, pending)
        merged: dict[str, int] = {}
        for size, name in items:
            merged[name] = merged.get(name, 0) + size
        return sum(merged.values()), sorted(((v, k) for k, v in merged.items()), reverse=True)
    finally:
        ctx.close()


def _wait_network_quiet(page, pending: set, quiet_ms: int = QUIET_MS, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until no HTTP request has been under way for ``quiet_ms`` (a lazily imported bundle
    can start after the script is idle): events are delivered while Playwright waits."""
    quiet_since = time.monotonic()
    deadline = quiet_since + timeout_ms / 1000
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        if pending:
            quiet_since = time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return
    print(f"    (requests still under way after {timeout_ms / 1000:.0f} s: {len(pending)})", flush=True)


def _print_items(label: str, total: int, items: list[tuple[int, str]]) -> None:
    """Every transfer of one page, largest first, with the running total: the breakdown to cut from."""
    print(f"    {label}: {total / 1000:.1f} KB in {len(items)} transfers")
    running = 0
    for size, name in items:
        running += size
        print(f"      {size / 1000:8.1f} KB  {running / 1000:8.1f} KB  {name}")


def bench_bytes(browser, app: Server, bare: Server, res: Results, all_items: bool = False) -> None:
    b, bare_items = page_bytes(browser, bare.base, "/", BARE_PAGES)
    if all_items:
        _print_items("bare page", b, bare_items)
    for label, (path, _src) in APP_PAGES.items():
        a, items = page_bytes(browser, app.base, path, APP_PAGES)
        res.add(f"bytes, cold cache: {label}", a / 1000, b / 1000, None, unit="KB",
                note="goal ≤ 1 000 KB" + (" ok" if a <= 1_000_000 else " OVER"))
        if all_items:
            _print_items(label, a, items)
        else:
            print("    largest: " + ", ".join(f"{name} {size / 1000:.0f} KB" for size, name in items[:6]))


def _visit_all(ctx, base: str, pages: dict) -> Tab:
    """A new session (a tab) that opens the first page, then each other page by the sidebar or link."""
    paths = [path.split("?")[0] for path, _src in pages.values()]
    tab, _ = open_tab(ctx, base + paths[0])
    for path in paths[1:]:
        link = tab.page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]')
        if not link.count():  # the bare page has no sidebar: its own link to the page (not the first
            # link: that is Streamlit's « Skip to main content », off screen, which the click waits on)
            link = tab.page.locator(f'[data-testid="stMain"] a[href$={json.dumps(path.lstrip("/"))}]')
        gesture(tab, link.first.click, f"location.pathname.endsWith({json.dumps(path)})")
    return tab


def bench_memory(browser, app: Server, bare: Server, res: Results, sessions: int = 4) -> None:
    """Server RSS growth per added session (each session visits every page and stays open)."""
    out = {}
    for name, srv, pages in (("app", app, APP_PAGES), ("bare", bare, BARE_PAGES)):
        warm = new_context(browser, pages)
        _visit_all(warm, srv.base, pages)
        warm.close()
        before = srv.rss_mb()
        ctxs = []
        for _ in range(sessions):
            ctx = new_context(browser, pages)
            _visit_all(ctx, srv.base, pages)
            ctxs.append(ctx)
        after = srv.rss_mb()
        for ctx in ctxs:
            ctx.close()
        out[name] = ((after - before) / sessions, after)
    res.add("server memory per added session", out["app"][0], out["bare"][0], None, unit="MB",
            note=f"goal ≤ 30 MB{' ok' if out['app'][0] <= 30 else ' OVER'}; RSS after: app {out['app'][1]:.0f} MB, "
                 f"bare {out['bare'][1]:.0f} MB")


# --- AppTest ---------------------------------------------------------------------------------------


APPTEST_SCRIPT = r"""
import json, os, sys, tempfile, time
from pathlib import Path
from streamlit.testing.v1 import AppTest

os.environ.setdefault("PACTE_HLM_DB", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
app_py, bare_py, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
at = AppTest.from_file(app_py, default_timeout=120)
at.switch_page("pages/mutualisation.py")
at.run()
assert not at.exception, at.exception
bt = AppTest.from_file(bare_py, default_timeout=60).run()
out = {"app": [], "bare": []}
for i in range(n + 2):  # interleaved, so that a change of load hits both; the first two not counted
    v = 3400.0 if i % 2 == 0 else 3300.0
    for name, t, key in (("app", at, "a_z1"), ("bare", bt, "bare")):
        t0 = time.perf_counter()
        t.slider(key=key).set_value(v).run()
        if i >= 2:
            out[name].append((time.perf_counter() - t0) * 1000)
        assert not t.exception, t.exception
print(json.dumps(out))
"""


def bench_apptest(rounds: int, res: Results) -> None:
    """A slider move under AppTest (a full rerun: AppTest does not rerun a fragment alone): the
    Mutualisation page with the app's frame vs the bare page, interleaved in one process rooted
    in the measured checkout (its ``lib``)."""
    n = max(rounds * 2, 10)
    out = subprocess.run(
        [sys.executable, "-c", APPTEST_SCRIPT, str(APP_ROOT / "app.py"), str(ROOT / "bench" / "bare_app.py"), str(n)],
        cwd=APP_ROOT, env={**os.environ, "PYTHONPATH": str(APP_ROOT)}, capture_output=True, text=True, check=True,
    ).stdout
    times = json.loads(out.strip().splitlines()[-1])
    res.add("AppTest: slider move (Mutualisation page) → rerun", med(times["app"]), med(times["bare"]), 3)


# --------------------------------------------------------------------------------------------------

def _describe(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True,
                              text=True, check=True).stdout.strip()[:70]
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


SECTIONS = ("open", "deeplink", "slider", "recolour", "click", "bytes", "memory", "apptest")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--deeplink-rounds", type=int, default=3)
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + ", ".join(SECTIONS))
    ap.add_argument("--json", type=Path, help="also write the rows here")
    ap.add_argument("--all-items", action="store_true", help="bytes: print every transfer of each page")
    ap.add_argument("--app", type=Path, default=ROOT, help="checkout of the dashboard to measure (default: this one)")
    args = ap.parse_args()
    global APP_ROOT
    APP_ROOT = args.app.resolve()
    print(f"dashboard measured: {APP_ROOT} ({_describe(APP_ROOT)}); load average {_load()}", flush=True)
    only = set(args.only.split(","))
    res = Results()
    tmp = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    from playwright.sync_api import sync_playwright

    if only & set(SECTIONS[:-1]):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                if "deeplink" in only:
                    print("deep link on a fresh server…", flush=True)
                    bench_deeplink(browser, tmp, args.deeplink_rounds, res)
                with serve("app", tmp) as app, serve("bare", tmp) as bare:
                    steps = [("open", lambda: bench_opens(browser, app, bare, args.rounds, res)),
                             ("slider", lambda: bench_slider(browser, app, bare, args.rounds, res)),
                             ("recolour", lambda: bench_recolour(browser, app, bare, args.rounds, res)),
                             ("click", lambda: bench_click(browser, app, bare, args.rounds, res)),
                             ("bytes", lambda: bench_bytes(browser, app, bare, res, args.all_items)),
                             ("memory", lambda: bench_memory(browser, app, bare, res))]
                    for name, fn in steps:
                        if name in only:
                            print(f"{name}…", flush=True)
                            try:
                                fn()
                            except Exception as err:  # noqa: BLE001 - report it, go on with the rest
                                print(f"  {name} failed: {type(err).__name__}: {str(err).splitlines()[0]}")
            finally:
                browser.close()
    if "apptest" in only:
        print("apptest…", flush=True)
        bench_apptest(args.rounds, res)
    res.print_table()
    print(f"load average at the end: {_load()}")
    if args.json:
        args.json.write_text(json.dumps(res.rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
