"""Load bench: N browser sessions at once, each with its own imported file and its own scenario,
on one app process and on several behind HAProxy (prints figures; no thresholds).

usage: .venv/bin/python bench/bench_load.py [--sessions 20] [--apps 1 2] [--backend auto|sqlite|postgresql]
                                            [--timeout 1800] [--no-bare]

Each session, in its own browser context (its own Streamlit session) and all started together:
opens « Données et sources », imports a per-body file of its own (CSV, seeded, different from
every other session's), puts it in use, goes to « Mutualisation » through the menu (same session)
and waits for the fund its own file gives (« time to result »), moves the zone 1 aid by its own
number of steps and waits for the new fund, and saves the scenario under its own name.

- No cross-talk: each session checks that the page names its own file and no other session's,
  that both funds are the ones its own file and its own setting give (computed here with lib/),
  and that its address carries its own setting; after the run every saved scenario must hold its
  own session's setting.
- Server side: CPU seconds of the app processes and their peak memory above the idle server,
  per session, and what is left 10 s after the browsers closed. Each process is first warmed by
  one session of its own (shipped data loaded and cached, as on a server in use); that cold
  first pass is printed apart and not counted.
- Baseline of the standard: the same N sessions on a bare Streamlit page (one slider, one metric)
  started in the same run: « ratios » divide the simulator's time to result by the bare page's
  time to its metric, and the slider step by the bare page's one step.
- Loopback only (servers started here on 127.0.0.1, every other request of the browsers is
  refused); bounded in time (``--timeout`` per configuration; a session not done by then is an
  error). Waits on Streamlit's ``data-test-script-state="notRunning"`` and on the figures
  expected, never on fixed sleeps.
- Store: ``auto`` is a fresh SQLite file for one process and a fresh database on a throwaway
  PostgreSQL cluster (deploy/local_postgres.py) for several processes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import cluster  # noqa: E402
import local_postgres  # noqa: E402

from lib import fmt, store  # noqa: E402
from lib import importer as im  # noqa: E402
from lib.mutualisation_inputs import inputs_from_bodies  # noqa: E402
from lib.views.mutualisation import compute, control_by_key, default_values  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FUND = "Fonds de mutualisation"
LOCAL = re.compile(r"^((https?|wss?)://(127\.0\.0\.1|localhost)[:/]|data:|blob:|about:)")
# (région, département) pairs of the regions before 2016
PLACES = [("11", "75"), ("82", "69"), ("93", "13"), ("53", "35"), ("31", "59"), ("24", "45"), ("72", "33"),
          ("73", "31"), ("91", "34"), ("52", "44")]
HEADER = ("Identifiant;Nom de l'organisme;Code région;Code département;Loyers (€);Patrimoine (logements);"
          "Cotisation CGLLS (€);Exonéré;Logements zone 1 et 1 bis;Logements zone 2 et 3;"
          "Prêts de réhabilitation (€);Logements restructurés")
BARE_APP = """import streamlit as st
v = st.slider("Valeur", 0, 100, 50)
st.metric("Résultat", v * 2)
"""


def _space(s: str) -> str:
    return s.replace("\u202f", " ").replace("\u00a0", " ")


def _fund(values: dict, bodies) -> str:
    result, _ = compute(values, bodies)
    return _space(fmt.fmt_meur(result.totals["fonds_total_eur"]))


@dataclass
class Spec:
    """What one session does and what it must see."""

    i: int
    dataset: str
    file_name: str
    content: bytes
    steps: int
    a_z1: float
    fund_before: str
    fund_after: str
    scenario: str


def make_specs(n: int, run: str) -> list[Spec]:
    base = default_values()
    control = control_by_key()["a_z1"]
    specs: list[Spec] = []
    funds: set[str] = set()
    seed = 0
    while len(specs) < n:
        i = len(specs)
        rng = random.Random(f"{run}-{i}-{seed}")
        lines = [HEADER]
        for j in range(12):
            reg, dep = PLACES[(i + j) % len(PLACES)]
            lines.append(";".join([
                f"B{i:02d}{j:02d}", f"Organisme {j + 1} de la session {i + 1}", reg, dep,
                f"{rng.randint(10, 200) * 1_000_000}", f"{rng.randint(2, 30) * 1000}",
                f"{rng.randint(200, 2000) * 1000}", "oui" if rng.random() < 0.2 else "non",
                f"{rng.randint(0, 800)}", f"{rng.randint(0, 400)}", f"{rng.randint(0, 50) * 100_000}",
                f"{rng.randint(0, 60)}"]))
        dataset = f"Charge{run}S{i + 1:02d}"
        content = ("\n".join(lines) + "\n").encode("utf-8")
        ds = im.import_file(content, dataset + ".csv", "organismes")
        bodies = inputs_from_bodies(ds.frame)
        steps = 1 + i % 20
        a_z1 = min(control.hi, base["a_z1"] + steps * control.step)
        before, after = _fund(base, bodies), _fund({**base, "a_z1": a_z1}, bodies)
        if before in funds or after in funds or before == after:  # every session's figures are its own
            seed += 1
            continue
        funds |= {before, after}
        specs.append(Spec(i, dataset, dataset + ".csv", content, steps, a_z1, before, after,
                          f"Scénario {run} session {i + 1}"))
    return specs


@dataclass
class Outcome:
    ok: bool = False
    error: str = ""
    crosstalk: str = ""
    times: dict[str, float] = field(default_factory=dict)
    backend: str | None = None


async def _idle(page) -> None:
    await page.wait_for_selector(IDLE)


async def _wait_fund(page, value: str) -> None:
    await page.wait_for_function(
        """([label, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
             m.innerText.includes(label) && m.innerText.replace(/[\\u202f\\u00a0]/g, ' ').includes(value))""",
        arg=[FUND, value])


async def _refuse_outside(route) -> None:
    await (route.continue_() if LOCAL.match(route.request.url) else route.abort())


async def journey(browser, base: str, spec: Spec, others: list[str], deadline: float) -> Outcome:
    out = Outcome()
    ctx = await browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(max(1_000, (deadline - time.monotonic()) * 1000))
    await ctx.route("**/*", _refuse_outside)
    page = await ctx.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda e: js_errors.append(str(e)))
    try:
        t0 = time.monotonic()
        await page.goto(base + "/donnees", wait_until="domcontentloaded")
        await page.get_by_role("tab", name="Importer vos données").wait_for()
        await _idle(page)
        out.times["open"] = time.monotonic() - t0
        await page.get_by_role("tab", name="Importer vos données").click()
        await page.get_by_label("Que contient votre fichier ?").first.click()
        await page.get_by_role("option", name=im.KIND_LABELS["organismes"]).click()
        await page.get_by_text("Cotisation CGLLS", exact=False).first.wait_for()
        await _idle(page)
        await page.locator("input[type=file]").first.set_input_files(
            {"name": spec.file_name, "mimeType": "text/csv", "buffer": spec.content})
        await page.get_by_text("Fichier valide").first.wait_for()
        await _idle(page)
        await page.get_by_role("button", name="Utiliser ces données").click()
        await page.get_by_text(f"Données importées : {spec.dataset}").first.wait_for()
        await _idle(page)
        out.times["import"] = time.monotonic() - t0 - out.times["open"]

        t1 = time.monotonic()
        await page.locator('[data-testid="stSidebarNav"] a', has_text="Mutualisation").first.click()
        await _wait_fund(page, spec.fund_before)
        out.times["result"] = time.monotonic() - t1
        await _idle(page)
        text = await page.locator("body").inner_text()
        named = set(re.findall(r"Charge\w+S\d\d", text))
        if named != {spec.dataset}:
            out.crosstalk = f"noms de fichiers affichés : {sorted(named)}"
        if f"Calcul par organisme à partir du fichier importé : {spec.dataset}" not in _space(text):
            out.crosstalk = out.crosstalk or "le calcul ne dit pas utiliser le fichier de la session"

        t2 = time.monotonic()
        thumb = page.get_by_role("slider", name=re.compile("zone 1 ou 1 bis")).first
        await thumb.focus()
        for _ in range(spec.steps):
            await page.keyboard.press("ArrowRight")
        await _wait_fund(page, spec.fund_after)
        await _idle(page)
        out.times["slider"] = time.monotonic() - t2

        t3 = time.monotonic()
        await page.get_by_label("Nom du scénario à enregistrer").fill(spec.scenario)
        await page.get_by_role("button", name="Enregistrer", exact=True).click()
        await page.get_by_text(f"Scénario « {spec.scenario} » enregistré.").first.wait_for()
        await _idle(page)
        out.times["save"] = time.monotonic() - t3
        out.times["total"] = time.monotonic() - t0

        if not re.search(rf"[?&]a_z1={spec.a_z1:g}(\.0)?(&|$)", page.url):
            out.crosstalk = out.crosstalk or f"adresse sans le réglage de la session : {page.url}"
        shown = await page.locator('[data-testid="stMetric"]', has_text=FUND).first.inner_text()
        if spec.fund_after not in _space(shown):
            out.crosstalk = out.crosstalk or f"fonds affiché {shown!r} au lieu de {spec.fund_after}"
        if js_errors:
            out.error = "erreur JavaScript : " + js_errors[0][:120]
        out.ok = not out.error
    except Exception as err:  # noqa: BLE001 - a failed session is counted and described, the others go on
        out.error = f"{type(err).__name__}: {str(err).splitlines()[0][:160]}"
    finally:
        out.backend = {c["name"]: c["value"] for c in await ctx.cookies()}.get(cluster.COOKIE)
        await ctx.close()
    return out


async def bare_journey(browser, base: str, deadline: float) -> Outcome:
    out = Outcome()
    ctx = await browser.new_context(locale="fr-FR")
    ctx.set_default_timeout(max(1_000, (deadline - time.monotonic()) * 1000))
    await ctx.route("**/*", _refuse_outside)
    page = await ctx.new_page()
    try:
        t0 = time.monotonic()
        await page.goto(base + "/", wait_until="domcontentloaded")
        await page.locator('[data-testid="stMetricValue"]', has_text="100").wait_for()
        await _idle(page)
        out.times["result"] = time.monotonic() - t0
        await page.get_by_role("slider").first.focus()
        await page.keyboard.press("ArrowRight")
        t1 = time.monotonic()
        await page.locator('[data-testid="stMetricValue"]', has_text="102").wait_for()
        out.times["slider"] = time.monotonic() - t1
        out.times["total"] = time.monotonic() - t0
        out.ok = True
    except Exception as err:  # noqa: BLE001
        out.error = f"{type(err).__name__}: {str(err).splitlines()[0][:160]}"
    finally:
        await ctx.close()
    return out


class Sampler:
    """CPU time and resident memory of the server processes, sampled while the sessions run."""

    def __init__(self, pids: list[int]):
        import psutil

        self.procs = [psutil.Process(p) for p in pids]
        self.cpu0 = self.cpu()
        self.rss0 = self.rss()
        self.peak = self.rss0
        self._task: asyncio.Task | None = None

    def cpu(self) -> float:
        return sum(p.cpu_times().user + p.cpu_times().system for p in self.procs)

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in self.procs)

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self.rss())
            await asyncio.sleep(0.25)

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()
        self.peak = max(self.peak, self.rss())


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _run_sessions(browser, n: int, coro_factory, timeout: float, pids: list[int]) -> tuple[list[Outcome], dict]:
    sampler = Sampler(pids)
    sampler.start()
    deadline = time.monotonic() + timeout
    tasks = [asyncio.ensure_future(coro_factory(i, deadline)) for i in range(n)]
    done, pending = await asyncio.wait(tasks, timeout=timeout + 30)
    outcomes = []  # in session order
    for t in tasks:
        if t in done:
            outcomes.append(t.result())
        else:
            t.cancel()
            outcomes.append(Outcome(error=f"délai de {timeout:.0f} s dépassé"))
    sampler.stop()
    cpu = sampler.cpu() - sampler.cpu0
    await asyncio.sleep(10)  # sessions end when their websocket closes; let the server let go
    server = {"cpu_s": cpu / n, "peak_mb": (sampler.peak - sampler.rss0) / n / 2**20,
              "left_mb": (sampler.rss() - sampler.rss0) / 2**20, "idle_mb": sampler.rss0 / 2**20}
    return outcomes, server


def _start_single(workdir: Path, env_db: dict, app: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = cluster.free_port()
    env = {**os.environ, **env_db}
    args = ([sys.executable, str(ROOT / "run.py")] if app is None
            else [sys.executable, "-m", "streamlit", "run", str(app)])
    log = open(workdir / f"server-{port}.log", "w")  # noqa: SIM115 - the process owns it until the end
    proc = subprocess.Popen([*args, "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    cluster.wait_healthy(base, 120, proc, "Le serveur")
    return proc, base


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def run_config(apps: int, backend: str, n: int, timeout: float, bare: bool, workdir: Path,
                     pg: dict) -> dict:
    from playwright.async_api import async_playwright

    run = uuid.uuid4().hex[:4].upper()
    specs = make_specs(n + apps, run)  # the last ``apps`` warm the processes up
    if backend == "postgresql":
        if "admin" not in pg:
            pg["dir"] = tempfile.mkdtemp(prefix="pacte-bench-pg-")  # the server's user must enter it
            pg["admin"] = local_postgres.start(pg["dir"])
        location = local_postgres.create_database(pg["admin"], f"bench_{run.lower()}_{apps}")
        env_db = {"PACTE_HLM_DB_URL": location}
    else:
        location = str(workdir / f"store-{run}.sqlite3")
        env_db = {"PACTE_HLM_DB": location, "PACTE_HLM_DB_URL": ""}
    row: dict = {"apps": apps, "backend": backend, "sessions": n}
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            if bare:
                app = workdir / "bare_app.py"
                app.write_text(BARE_APP)
                proc, base = _start_single(workdir, {}, app)
                try:
                    outs, _ = await _run_sessions(browser, n, lambda i, d: bare_journey(browser, base, d),
                                                  timeout, [proc.pid])
                finally:
                    _stop(proc)
                row["bare_p50"] = _pct([o.times["result"] for o in outs if o.ok], 50)
                row["bare_slider_p50"] = _pct([o.times["slider"] for o in outs if o.ok], 50)
            if apps == 1:
                proc, base = _start_single(workdir, env_db)
                pids, stop = [proc.pid], (lambda: _stop(proc))
            else:
                c = cluster.Cluster(apps=apps, db_env=env_db, workdir=workdir / f"cluster-{run}").start()
                base, pids, stop = c.url, c.pids(), c.stop
            try:
                names = [s.dataset for s in specs]
                warm_deadline = time.monotonic() + timeout
                warm = [await journey(browser, base, specs[n + k], names, warm_deadline) for k in range(apps)]
                row["cold_total"] = max((o.times.get("total", float("nan")) for o in warm), default=float("nan"))
                row["warm_errors"] = [o.error for o in warm if o.error]
                outs, server = await _run_sessions(
                    browser, n, lambda i, d: journey(browser, base, specs[i], names, d), timeout, pids)
            finally:
                stop()
        finally:
            await browser.close()
    ok = [o for o in outs if o.ok]
    stored_wrong = []
    for spec, o in zip(specs[:n], outs, strict=True):
        if o.ok:
            try:
                saved = store.load_scenario(spec.scenario, path=location).payload["values"]["a_z1"]
            except Exception as err:  # noqa: BLE001
                saved = f"{type(err).__name__}"
            if saved != spec.a_z1:
                stored_wrong.append(f"session {spec.i + 1} : a_z1 enregistré {saved}, attendu {spec.a_z1:g}")
    crosstalk = [o.crosstalk for o in outs if o.crosstalk] + stored_wrong
    row.update({
        "ok": len(ok), "errors": [o.error for o in outs if o.error],
        "crosstalk": crosstalk,
        "result_p50": _pct([o.times["result"] for o in ok], 50), "result_p95": _pct([o.times["result"] for o in ok], 95),
        "import_p50": _pct([o.times["open"] + o.times["import"] for o in ok], 50),
        "import_p95": _pct([o.times["open"] + o.times["import"] for o in ok], 95),
        "slider_p50": _pct([o.times["slider"] for o in ok], 50), "slider_p95": _pct([o.times["slider"] for o in ok], 95),
        "total_p50": _pct([o.times["total"] for o in ok], 50), "total_p95": _pct([o.times["total"] for o in ok], 95),
        "backends": {b: sum(1 for o in outs if o.backend == b) for b in sorted({o.backend for o in outs if o.backend})},
        **server,
    })
    return row


def _s(x: float) -> str:
    return "—" if x != x else f"{x:.1f}".replace(".", ",")


def print_table(rows: list[dict]) -> None:
    print()
    print("| processus | base | sessions | réussies | ouverture + import p50 / p95 (s) | résultat p50 / p95 (s) "
          "| curseur p50 / p95 (s) | parcours p50 / p95 (s) | page nue : ouverture / curseur p50 (s) | ratios résultat, curseur "
          "| CPU serveur / session (s) | mémoire / session (Mo) | mémoire restante (Mo) | échanges entre sessions "
          "| répartition |")
    print("|" + "---|" * 15)
    for r in rows:
        ratio = r["result_p50"] / r["bare_p50"] if r.get("bare_p50") else float("nan")
        ratio_slider = r["slider_p50"] / r["bare_slider_p50"] if r.get("bare_slider_p50") else float("nan")
        spread = ", ".join(f"{k} : {v}" for k, v in r["backends"].items()) or "—"
        print(f"| {r['apps']} | {r['backend']} | {r['sessions']} | {r['ok']} | {_s(r['import_p50'])} / {_s(r['import_p95'])} "
              f"| {_s(r['result_p50'])} / {_s(r['result_p95'])} "
              f"| {_s(r['slider_p50'])} / {_s(r['slider_p95'])} | {_s(r['total_p50'])} / {_s(r['total_p95'])} "
              f"| {_s(r.get('bare_p50', float('nan')))} / {_s(r.get('bare_slider_p50', float('nan')))} "
              f"| {_s(ratio)} ; {_s(ratio_slider)} | {_s(r['cpu_s'])} | {_s(r['peak_mb'])} "
              f"| {_s(r['left_mb'])} | {len(r['crosstalk'])} | {spread} |")
    for r in rows:
        print(f"  {r['apps']} processus : premier parcours à froid {_s(r['cold_total'])} s (non compté), "
              f"serveur au repos {_s(r['idle_mb'])} Mo")
        for e in r["warm_errors"] + r["errors"][:5]:
            print(f"  erreur ({r['apps']} processus) : {e}")
        for c in r["crosstalk"][:5]:
            print(f"  ÉCHANGE ENTRE SESSIONS ({r['apps']} processus) : {c}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--apps", type=int, nargs="+", default=[1, 2], help="process counts to measure (1 2)")
    ap.add_argument("--backend", choices=["auto", "sqlite", "postgresql"], default="auto")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per configuration")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare-page baseline")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print("Chromium de Debian absent : bash scripts/setup_env.sh --dev", file=sys.stderr)
        return 1
    print(f"{args.sessions} sessions simultanées, processus : {args.apps}, machine : {os.cpu_count()} cœurs", flush=True)
    rows = []
    pg: dict = {}
    with tempfile.TemporaryDirectory(prefix="pacte-bench-load-") as tmp:
        try:
            for apps in args.apps:
                backend = args.backend if args.backend != "auto" else ("sqlite" if apps == 1 else "postgresql")
                started = time.monotonic()
                row = asyncio.run(run_config(apps, backend, args.sessions, args.timeout, not args.no_bare,
                                             Path(tmp), pg))
                print(f"  {apps} processus ({backend}) : {row['ok']}/{args.sessions} sessions réussies "
                      f"en {time.monotonic() - started:.0f} s", flush=True)
                rows.append(row)
        finally:
            if "dir" in pg:
                local_postgres.stop(pg["dir"])
    print_table(rows)
    return 0 if all(r["ok"] == r["sessions"] and not r["crosstalk"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
