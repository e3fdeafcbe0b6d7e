"""Several app processes behind HAProxy with sticky sessions, sharing one store.

    python deploy/cluster.py [--apps 2] [--port 8501] [--bind 127.0.0.1] [--local-postgres]

- Each app process is ``run.py`` on a free loopback port; HAProxy (deploy/haproxy.cfg) listens on
  ``--bind:--port``, keeps each browser on one process (cookie PACTE_APP) and passes websockets.
- The store is shared: ``$PACTE_HLM_DB_URL`` if set (PostgreSQL: processes on several machines),
  else the SQLite file (``$PACTE_HLM_DB`` or var/pacte_hlm.sqlite3: processes on this machine);
  ``--local-postgres`` starts a throwaway PostgreSQL cluster under var/deploy/ for a trial.
- All processes get the same cookie secret, so a user sent to another process (when one stops)
  keeps valid upload tokens there.
- Ctrl-C (or SIGTERM) stops everything; if one process dies, everything stops with a message.

``Cluster`` is the same thing as a context manager, for the tests and bench/bench_load.py.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "haproxy.cfg"
COOKIE = "PACTE_APP"


class ClusterError(RuntimeError):
    """The cluster cannot start; ``str(err)`` is a French message."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, timeout: float, proc: subprocess.Popen | None = None, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ClusterError(f"{what} s'est arrêté au démarrage (code {proc.returncode}).")
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
    raise ClusterError(f"{what} ne répond pas sur {base} après {timeout:.0f} s.")


def haproxy_config(bind: str, app_ports: list[int]) -> str:
    servers = "\n".join(f"    server app{i} 127.0.0.1:{port} check cookie app{i}"
                        for i, port in enumerate(app_ports, start=1))
    return string.Template(TEMPLATE.read_text()).substitute(bind=bind, servers=servers) + "\n"


class Cluster:
    """``apps`` app processes and HAProxy in front; ``url`` is the proxy's address."""

    def __init__(self, apps: int = 2, port: int | None = None, bind_host: str = "127.0.0.1",
                 db_env: dict[str, str] | None = None, workdir: Path | None = None, startup_timeout: float = 120):
        if apps < 1:
            raise ClusterError("Il faut au moins un processus d'application.")
        self.apps = apps
        self.port = port or free_port()
        self.bind_host = bind_host
        self.db_env = db_env or {}
        self.workdir = Path(workdir or ROOT / "var" / "deploy")
        self.startup_timeout = startup_timeout
        self.app_procs: list[subprocess.Popen] = []
        self.app_ports: list[int] = []
        self.proxy: subprocess.Popen | None = None
        self._logs: list = []

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind_host in ("0.0.0.0", "::") else self.bind_host
        return f"http://{host}:{self.port}"

    def start(self) -> Cluster:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise ClusterError("HAProxy introuvable : installez-le (apt-get install haproxy) ou lancez "
                               "bash scripts/setup_env.sh --dev.")
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.db_env, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        try:
            for i in range(1, self.apps + 1):
                port = free_port()
                log = open(self.workdir / f"app{i}.log", "w")  # noqa: SIM115 - closed in stop()
                self._logs.append(log)
                self.app_procs.append(subprocess.Popen(
                    [sys.executable, str(ROOT / "run.py"), "--server.port", str(port), "--server.address",
                     "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
                self.app_ports.append(port)
            for i, (proc, port) in enumerate(zip(self.app_procs, self.app_ports, strict=True), start=1):
                wait_healthy(f"http://127.0.0.1:{port}", self.startup_timeout, proc,
                             f"Le processus d'application {i} (journal : {self.workdir / f'app{i}.log'})")
            cfg = self.workdir / "haproxy.cfg"
            cfg.write_text(haproxy_config(f"{self.bind_host}:{self.port}", self.app_ports))
            check = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True)
            if check.returncode != 0:
                raise ClusterError(f"Configuration HAProxy refusée :\n{check.stderr or check.stdout}")
            log = open(self.workdir / "haproxy.log", "w")  # noqa: SIM115 - closed in stop()
            self._logs.append(log)
            self.proxy = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT)
            wait_healthy(self.url, 30, self.proxy, f"HAProxy (journal : {self.workdir / 'haproxy.log'})")
        except BaseException:
            self.stop()
            raise
        return self

    def pids(self) -> list[int]:
        """The app processes' ids (the server side a bench measures)."""
        return [p.pid for p in self.app_procs]

    def dead(self) -> list[str]:
        out = [f"application {i}" for i, p in enumerate(self.app_procs, start=1) if p.poll() is not None]
        if self.proxy is not None and self.proxy.poll() is not None:
            out.append("HAProxy")
        return out

    def stop(self) -> None:
        procs = ([self.proxy] if self.proxy else []) + self.app_procs
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)
        for log in self._logs:
            log.close()
        self._logs.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Plusieurs processus de l'application derrière HAProxy.")
    ap.add_argument("--apps", type=int, default=2, help="nombre de processus d'application (2)")
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8501)), help="port public (8501)")
    ap.add_argument("--bind", default="127.0.0.1", help="adresse d'écoute publique (127.0.0.1 ; 0.0.0.0 pour le réseau)")
    ap.add_argument("--local-postgres", action="store_true",
                    help="démarrer une base PostgreSQL jetable sous var/deploy/ (essai)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "deploy"))
    import local_postgres

    db_env: dict[str, str] = {}
    pg_dir = ROOT / "var" / "deploy" / "postgres"
    try:
        if args.local_postgres:
            if pg_dir.exists():
                local_postgres.stop(pg_dir)
            admin = local_postgres.start(pg_dir)
            db_env["PACTE_HLM_DB_URL"] = local_postgres.create_database(admin, "pacte_hlm")
        cluster = Cluster(args.apps, args.port, args.bind, db_env).start()
    except (ClusterError, local_postgres.PostgresError) as err:
        print(err, file=sys.stderr)
        if args.local_postgres:
            local_postgres.stop(pg_dir)
        return 1
    store = ("PostgreSQL " + ("jetable" if args.local_postgres else "(PACTE_HLM_DB_URL)")
             if db_env or os.environ.get("PACTE_HLM_DB_URL") else "SQLite (fichier partagé sur cette machine)")
    print(f"Tableau de bord : {cluster.url} — {args.apps} processus derrière HAProxy, base : {store}. "
          "Ctrl-C pour arrêter.", flush=True)
    stopping = False

    def on_signal(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    code = 0
    try:
        while not stopping:
            dead = cluster.dead()
            if dead:
                print(f"Arrêt : {', '.join(dead)} s'est arrêté (journaux dans {cluster.workdir}).", file=sys.stderr)
                code = 1
                break
            time.sleep(1)
    finally:
        cluster.stop()
        if args.local_postgres:
            local_postgres.stop(pg_dir)
    return code


if __name__ == "__main__":
    sys.exit(main())
