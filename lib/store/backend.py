"""Where the shared store lives and how to open it: an SQLite file (the embedded default) or a
PostgreSQL database, through SQLAlchemy Core and SQL both accept.

- Location, first found: the ``path`` a caller passes (a file path or a database URL), else
  ``$PACTE_HLM_DB_URL`` (``postgresql://user:password@host:5432/base`` or ``sqlite:///path``),
  else ``$PACTE_HLM_DB`` (an SQLite file), else ``ROOT/var/pacte_hlm.sqlite3``.
- SQLite: a new connection for each unit of work (no pool), so a connection never crosses
  Streamlit's session threads; WAL mode, so sessions read while one writes.
- PostgreSQL (psycopg 3): a small pool per app process, checked before use, so several app
  processes on several machines share one store.
- ``write()`` is one transaction holding the write lock from its start; ``read()`` never needs to
  write: an SQLite file this process may not write (read-only volume, other owner) is opened
  read-only, so what was saved stays readable.
- Waits are bounded (``READ_TIMEOUT_S``, ``WRITE_TIMEOUT_S``); every failure leaves as a French
  ``StoreError`` (errors.py) with the detail in the server log.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, make_url
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from lib.paths import ROOT
from lib.store import errors, schema
from lib.store.errors import READ, StoreError, StoreReadOnly, StoreUnavailable

ENV_VAR = "PACTE_HLM_DB"
URL_ENV_VAR = "PACTE_HLM_DB_URL"
DEFAULT_PATH = ROOT / "var" / "pacte_hlm.sqlite3"
READ_TIMEOUT_S = 5.0
WRITE_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5

_engines: dict[tuple[str, str], Engine] = {}
_engines_lock = threading.Lock()
_migrated: dict[str, tuple[object, int]] = {}  # URL -> (_store_identity, schema version this process saw)


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The SQLite file used when no database URL is configured."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_PATH


def db_url(path: str | os.PathLike | None = None) -> URL:
    """The store's SQLAlchemy URL (see the module docstring for the order of precedence)."""
    raw = str(path) if path is not None else os.environ.get(URL_ENV_VAR, "").strip()
    if not raw or "://" not in raw:
        return URL.create("sqlite", database=str(db_path(path if path is not None else None)))
    try:
        url = make_url(raw)
    except exc.ArgumentError as err:
        raise _misconfigured(f"not a database URL: {err}") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername == "sqlite" and url.database:
        return url
    raise _misconfigured(f"unsupported database URL scheme {url.drivername!r}")


def describe(url: URL) -> str:
    """The store's address for the server log, password hidden."""
    return url.render_as_string(hide_password=True)


def _misconfigured(detail: str) -> StoreUnavailable:
    errors.log.error("store misconfigured (%s): %s", URL_ENV_VAR, detail)
    return StoreUnavailable(READ)


# ---------------------------------------------------------------------------------------------
# Engines


def _sqlite_open(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection to ``path`` in autocommit mode (transactions are begun by ``_begin``)."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=READ_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            conn.close()
            raise
        return conn
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=READ_TIMEOUT_S, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as err:
        conn.close()
        # A WAL file read-only needs its -shm index, which nobody can create in a read-only folder;
        # with no -shm no process has the file open for writing, so reading it as immutable is exact.
        if getattr(err, "sqlite_errorname", "") not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN",
                                                         "SQLITE_READONLY_CANTINIT"):
            raise
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def _begin(conn: Connection) -> None:
    """Start each transaction with its lock mode and bounded waits."""
    opts = conn.get_execution_options()
    write = opts.get("pacte_write", False)
    timeout_ms = int(1000 * (WRITE_TIMEOUT_S if write else READ_TIMEOUT_S))
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {timeout_ms}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
    else:
        if not write:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {timeout_ms}")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout_ms * 3}")


def _engine(url: URL, read_only: bool = False) -> Engine:
    key = (url.render_as_string(hide_password=False), "ro" if read_only else "rw")
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            if url.drivername == "sqlite":
                path = Path(url.database)
                engine = create_engine("sqlite://", creator=lambda: _sqlite_open(path, read_only),
                                       poolclass=NullPool)
            else:
                engine = create_engine(
                    url, pool_size=5, max_overflow=10, pool_pre_ping=True, pool_recycle=1800,
                    connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "pacte-hlm"})
            event.listen(engine, "begin", _begin)
            _engines[key] = engine
    return engine


def dispose_all() -> None:
    """Close every pooled connection (tests, and before a process forks)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _migrated.clear()


# ---------------------------------------------------------------------------------------------
# Units of work


def _store_identity(url: URL) -> object:
    """Which store sits behind ``url`` now. PostgreSQL: the URL says it. SQLite: the file itself
    (device, inode, change time), read once the connection has opened (and so created) it: a
    file deleted, replaced or restored from a copy is another store, checked again; a checkpoint
    also changes the time, which costs one more check."""
    if url.drivername != "sqlite":
        return None
    st = os.stat(url.database)
    return (st.st_dev, st.st_ino, st.st_ctime_ns)


def _ensure_schema(conn: Connection, url: URL) -> None:
    """Migrate the store if needed, checking its version once per store and process: the saved
    scenarios are listed on every rerun of the simulator."""
    key = url.render_as_string(hide_password=False)
    if _migrated.get(key) == (_store_identity(url), len(schema.MIGRATIONS)):
        return
    if schema.version(conn) < len(schema.MIGRATIONS):
        conn.rollback()
        schema.migrate(conn.execution_options(pacte_write=True))
        conn.execution_options(pacte_write=False)
    conn.rollback()
    _migrated[key] = (_store_identity(url), len(schema.MIGRATIONS))


@contextmanager
def _translated(action: str, url: URL) -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except (exc.DBAPIError, sqlite3.Error, OSError) as err:
        raise errors.translate(err, action, describe(url)) from None


@contextmanager
def read(path: str | os.PathLike | None = None) -> Iterator[Connection]:
    """A read-only transaction on the store. On a store this process cannot write, the SQLite file
    is opened read-only; ``schema.version(conn) == 0`` then means nothing was ever saved."""
    url = db_url(path)
    with _translated(READ, url):
        try:
            conn = _engine(url).connect()
            try:
                _ensure_schema(conn, url)
            except BaseException:
                conn.close()
                raise
        except (exc.DBAPIError, sqlite3.Error, OSError) as err:
            if url.drivername != "sqlite" or errors.classify(err) is not StoreReadOnly:
                raise
            conn = _engine(url, read_only=True).connect()
        with conn:
            with conn.begin():
                yield conn


@contextmanager
def write(path: str | os.PathLike | None = None, action: str = errors.SAVE) -> Iterator[Connection]:
    """One transaction holding the write lock: committed whole at the end of the block, or not
    at all. A unique name already taken raises ``errors.DuplicateKey``."""
    url = db_url(path)
    with _translated(action, url):
        with _engine(url).connect() as conn:
            _ensure_schema(conn, url)
            conn.execution_options(pacte_write=True)
            with conn.begin():
                yield conn
