"""A throwaway PostgreSQL cluster on loopback, for the tests, the load bench and a local trial of
the several-process deployment: Debian's own server binaries, a fresh ``initdb`` in a folder of
its own, a free port, password authentication, stopped and removed at the end.

    python deploy/local_postgres.py start DIR   # prints the cluster's admin URL
    python deploy/local_postgres.py stop DIR

As root, the server runs as the ``postgres`` system user (or ``nobody``): PostgreSQL refuses root.
Throwaway means ``fsync=off``: a commit survives any process being killed (the tests kill them),
not a power cut. Commits stay synchronous, so an acknowledged save is never lost to a crash.
Failures end with a French message that says what to install or check.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

USER = "pacte"
INFO = "cluster.json"


class PostgresError(RuntimeError):
    """The local cluster cannot be set up; ``str(err)`` is a French message."""


def binaries() -> Path:
    """The folder of Debian's PostgreSQL server programs (the newest version installed)."""
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found and Path(found).resolve().parent.joinpath("postgres").exists():
            return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    raise PostgresError(
        "PostgreSQL introuvable sur cette machine (programmes initdb et pg_ctl absents) : installez-le avec "
        "« apt-get install postgresql » ou lancez « bash scripts/setup_env.sh --dev »."
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> dict:
    """subprocess arguments that drop root: PostgreSQL will not run as root."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    raise PostgresError("Aucun utilisateur système (postgres ou nobody) pour lancer PostgreSQL hors de root.")


def _chown(path: Path, run_as: dict) -> None:
    if run_as:
        os.chown(path, run_as["user"], run_as["group"])


def _call(args: list[str], run_as: dict, what: str, timeout: float = 120) -> None:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, cwd="/", **run_as)
    except subprocess.TimeoutExpired as err:
        raise PostgresError(f"PostgreSQL : {what} n'a pas abouti en {timeout:.0f} s.") from err
    if done.returncode != 0:
        raise PostgresError(f"PostgreSQL : {what} a échoué ({done.returncode}) :\n{done.stderr.strip()[-2000:]}")


def start(folder: str | os.PathLike) -> str:
    """Create and start a cluster in ``folder`` (created, must be empty); return its admin URL."""
    bin_dir = binaries()
    run_as = _run_as()
    root = Path(folder).resolve()
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    if run_as:
        for parent in root.parents:
            st = parent.stat()
            if not st.st_mode & 0o001 and st.st_uid != run_as["user"]:
                raise PostgresError(f"PostgreSQL ne tourne pas en root et ne peut pas entrer dans {parent} : "
                                    "choisissez un dossier accessible à tous (par exemple sous /tmp).")
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir(exist_ok=True)
    _chown(sockets, run_as)
    password = secrets.token_urlsafe(18)
    pwfile = root / "pwfile"
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    _chown(pwfile, run_as)
    _chown(root, run_as)
    _call([str(bin_dir / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}", "--auth=scram-sha-256",
           "--encoding=UTF8", "--locale=C", "--no-instructions"], run_as, "initdb")
    pwfile.unlink()
    last: PostgresError | None = None
    for _ in range(3):  # the free port may be taken between the probe and the start
        port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={sockets} "
                   "-c max_connections=300 -c shared_buffers=32MB -c fsync=off -c full_page_writes=off")
        try:
            _call([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options,
                   "-w", "-t", "60", "start"], run_as, "le démarrage du serveur")
        except PostgresError as err:
            last = err
            continue
        url = f"postgresql://{USER}:{password}@127.0.0.1:{port}/postgres"
        info = root / INFO
        info.write_text(json.dumps({"url": url, "port": port, "bin": str(bin_dir)}))
        info.chmod(0o600)
        return url
    log = root / "server.log"
    raise PostgresError(f"{last}\n{log.read_text()[-2000:] if log.exists() else ''}")


def stop(folder: str | os.PathLike, remove: bool = True) -> None:
    """Stop the cluster in ``folder`` (fast shutdown) and, by default, delete its files."""
    root = Path(folder).resolve()
    if (root / "data" / "postmaster.pid").exists():
        bin_dir = binaries()
        _call([str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "-w", "stop"], _run_as(),
              "l'arrêt du serveur")
    if remove:
        shutil.rmtree(root, ignore_errors=True)


def url_of(folder: str | os.PathLike) -> str:
    return json.loads((Path(folder) / INFO).read_text())["url"]


def wait_ready(url: str, timeout: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def create_database(admin_url: str, name: str) -> str:
    """A new empty database on the cluster; return its URL (same credentials)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop", "url"):
        print(__doc__, file=sys.stderr)
        return 2
    action, folder = argv
    try:
        if action == "start":
            print(start(folder))
        elif action == "url":
            print(url_of(folder))
        else:
            stop(folder)
    except PostgresError as err:
        print(str(err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
