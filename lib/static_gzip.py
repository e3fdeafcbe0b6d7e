"""Gzip for the front-end bundles a browser downloads once: an ASGI middleware.

Streamlit 1.67 deliberately serves ``/static/...`` uncompressed (its gzip layer would re-compress
every bundle on every request). A browser opening the dashboard with a cold cache then downloads
3 to 7 MB of JavaScript that gzip brings to about a quarter. The bundles are content-hashed and
immutable, so each one is compressed once per process, on its first request, and kept: later
requests cost a dictionary look-up. That first compression runs on a worker thread (zlib releases
the GIL), so the server's event loop keeps answering the websocket and the other bundles of a
freshly started server meanwhile; level 6 costs a third less CPU than 9 for 0,2 % more bytes. Streamlit's own static handler still answers every request
(headers, ETag, 304, SPA fallback, security checks); this layer only swaps the body of a full
``200`` answer for its compressed form when the browser accepts it. With ``documents`` the HTML
page itself (~17 KB, the same at every page's address) is compressed too, at the best quality
once per distinct page (brotli 11: 4,9 KB instead of 5,6 at quality 5, 23 ms once), kept by the
SHA-256 of its body so that a changed page is never served stale; never an HTML file under
``NOT_PAGES`` (a ``/media/`` download can weigh a megabyte).
``prefix`` may name several folders: run.py adds the app's own ``/app/static/`` (the map's
geometry), which Streamlit gzips itself: the browser's ``Accept-Encoding`` is withheld from it
there, so that the answer reaches this layer whole and leaves in brotli (regions.json 43 → 25 KB).

Brotli, when the browser accepts it (Chromium sends ``br`` to https addresses and to
``localhost``), makes the same bundles 18 % smaller than gzip at its best quality (11), which costs
about 3 s of CPU a megabyte: far too slow for a first request. So a file's first brotli answer is
quality 5 (as fast as gzip 6, 8 % smaller), and one background thread then recompresses it at
quality 11 into ``store_dir`` (named by the SHA-256 of the original, so a Streamlit upgrade never
serves a stale body), which every later request and every later process serve, once each process
has checked that the file decompresses to the bundle (a bad one is deleted and rewritten).
Nothing at setup fills that store: ``.venv/bin/python scripts/build_static_brotli.py`` fills it
ahead for all of Streamlit's bundles, so that a started server pays nothing. Without ``store_dir`` nothing is written and quality 5 stays.

Pure ASGI, no Streamlit import: run.py plugs it into the server's middleware stack.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
import queue
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

try:
    import brotli
except ImportError:  # gzip only
    brotli = None

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
                      "application/manifest+json", "font/ttf", "application/wasm")
MIN_SIZE = 1_000  # bytes: below this gzip's header outweighs the gain
MAX_CACHED_BYTES = 64 * 1024 * 1024  # compressed bytes kept per process; the bundles total ~8 MB
LEVEL = 6  # zlib's default: the bundles gain 0,2 % more at 9 for a third more CPU
BR_FAST = 5  # a file's first brotli answer: as fast as gzip 6, 8 % smaller
BR_BEST = 11  # the store's: 18 % smaller than gzip 6, ~3 s of CPU a megabyte (zopfli: 4,5 %, 5 s)
STORE_DIR = Path(__file__).resolve().parents[1] / "var" / "static-br"  # run.py's store
BR_WINDOW = 22  # brotli's largest standard window (4 MB): the bundles are up to 1 MB
# Streamlit's routes that are not the app's pages (assets, API, st.download_button's /media/ files,
# which can be megabytes): ``documents`` never compresses them on the event loop; theme.py's
# French layer skips the same ones.
PAGE_FORMS = 8  # compressed forms of the HTML page kept (one page, two codings; a few spare)
NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")


def _codings(scope: Scope) -> dict[str, float]:
    """The request's ``Accept-Encoding`` as {coding: q}."""
    out: dict[str, float] = {}
    for name, value in scope.get("headers", ()):
        if name.lower() != b"accept-encoding":
            continue
        for part in value.decode("latin-1").lower().split(","):
            coding, _, params = part.strip().partition(";")
            q = params.strip()
            try:
                out[coding.strip()] = float(q[2:] or 0) if q.startswith("q=") else 1.0
            except ValueError:
                out[coding.strip()] = 0.0
    return out


def chosen_coding(scope: Scope) -> str | None:
    """``"br"`` when the browser accepts brotli (and it is installed), else ``"gzip"`` when it
    accepts gzip, else None; ``;q=0`` refuses a coding."""
    codings = _codings(scope)
    star = codings.get("*", 0.0)
    if brotli is not None and codings.get("br", star) > 0:
        return "br"
    return "gzip" if codings.get("gzip", star) > 0 else None


def best_brotli(body: bytes) -> bytes:
    """The store's form of a bundle: brotli at its best quality."""
    return brotli.compress(body, quality=BR_BEST, lgwin=BR_WINDOW)


def store_path(store_dir: Path, body: bytes) -> Path:
    """Where ``store_dir`` keeps the best brotli form of ``body``: named by its content."""
    return store_dir / f"{hashlib.sha256(body).hexdigest()}.br"


def save_store(store_dir: Path, body: bytes, out: bytes) -> None:
    """Write ``out``, the best form of ``body``, into the store atomically: a reader never sees half
    a file, two processes writing the same one are harmless, and a failed write (a full disk)
    leaves no temporary file behind (each process names its own, so they would pile up)."""
    target = store_path(store_dir, body)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(out)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_store(store_dir: Path, body: bytes) -> bytes:
    """Compress ``body`` at the best quality into the store and return it."""
    out = best_brotli(body)
    save_store(store_dir, body, out)
    return out


def _holds(stored: bytes, body: bytes) -> bool:
    """Whether a store file really is ``body`` compressed: a damaged file or a foreign one dropped
    into the data directory must never be served under Streamlit's name."""
    try:
        return brotli.decompress(stored) == body
    except brotli.error:
        return False


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's ``Accept-Encoding`` allows gzip (``gzip;q=0`` refuses it)."""
    codings = _codings(scope)
    return codings.get("gzip", codings.get("*", 0.0)) > 0


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class StaticGzipMiddleware:
    """Serve the bodies of ``<prefix>...`` answers brotli- or gzip-compressed, compressing each
    file once."""

    def __init__(self, app: ASGIApp, prefix: str | tuple[str, ...] = "/static/", max_cached_bytes: int = MAX_CACHED_BYTES,
                 store_dir: Path | str | None = None, documents: bool = False) -> None:
        self.app = app
        self.documents = documents  # also the HTML page itself, on any path (each distinct page compressed once)
        self.prefix = prefix
        self.max_cached_bytes = max_cached_bytes
        self.store_dir = Path(store_dir) if store_dir is not None else None
        self._cache: dict[tuple[str, bytes] | tuple[str, bytes, str], bytes] = {}
        self._pages: dict[tuple[bytes, str], bytes] = {}  # (sha256 of the page, coding) -> its form
        self._cached_bytes = 0
        self._lock = threading.Lock()
        self._jobs: queue.Queue[tuple[str, bytes]] = queue.Queue()  # (sha256 of the body, body)
        self._pending: dict[str, set[tuple]] = {}  # queued bodies' digests -> the cache keys to fill
        self._worker: threading.Thread | None = None
        self._store_writable = self.store_dir is not None  # False after the first failed write
        self._verified: set[str] = set()  # store files checked in this process (a name proves nothing)

    def _applies(self, scope: Scope) -> str | None:
        """The coding to answer this request with, None to leave it alone."""
        if scope.get("type") != "http" or scope.get("method") != "GET":
            return None
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        if not path.startswith(self.prefix) and (not self.documents or any(p in path for p in NOT_PAGES)):
            return None
        if any(name.lower() == b"range" for name, _ in scope.get("headers", ())):
            return None
        return chosen_coding(scope)

    def _keep(self, key: tuple, out: bytes, replace: bool = False) -> None:
        with self._lock:
            old = self._cache.get(key)
            if old is not None and not replace:
                return
            grown = len(out) - (len(old) if old is not None else 0)
            if key[1] and self._cached_bytes + grown <= self.max_cached_bytes:
                self._cache[key] = out
                self._cached_bytes += grown

    def compressed(self, path: str, etag: bytes, body: bytes) -> bytes:
        """The gzip form of ``body``, from the cache when this file (path + ETag) was seen."""
        key = (path, etag)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        out = gzip.compress(body, compresslevel=LEVEL, mtime=0)
        self._keep(key, out)
        return out

    def brotli_compressed(self, path: str, etag: bytes, body: bytes) -> bytes:
        """The brotli form of ``body``: from the cache, else the store's, else quality 5 now and the
        store's best later (``_improve``, on the background thread)."""
        key = (path, etag, "br")
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self.store_dir is not None:
            target = store_path(self.store_dir, body)
            try:
                out = target.read_bytes()
            except OSError:
                pass
            else:
                if target.name in self._verified or _holds(out, body):
                    self._verified.add(target.name)
                    self._keep(key, out)
                    return out
                target.unlink(missing_ok=True)  # damaged or foreign: quality 5 now, rewritten below
        out = brotli.compress(body, quality=BR_FAST, lgwin=BR_WINDOW)
        self._keep(key, out)
        if self.store_dir is not None:
            digest = hashlib.sha256(body).hexdigest()
            with self._lock:  # two tabs of a fresh server ask together: one recompression, not two
                keys = self._pending.get(digest)
                if keys is not None:
                    keys.add(key)
                    return out
                self._pending[digest] = {key}
                self._jobs.put((digest, body))
                if self._worker is None:
                    self._worker = threading.Thread(target=self._improve, name="static-brotli", daemon=True)
                    self._worker.start()
        return out

    def _improve(self) -> None:
        """Background thread: each file served at quality 5 is recompressed at the best quality into
        the store, then served from it."""
        while True:
            digest, body = self._jobs.get()
            try:
                out = best_brotli(body)
            except Exception:  # noqa: BLE001 - quality 5 stays, the thread lives on
                out = None
            with self._lock:
                keys = self._pending.pop(digest)
            if out is not None:
                for key in keys:  # served from memory even if the store cannot be written
                    self._keep(key, out, replace=True)
                if self._store_writable:
                    try:
                        save_store(self.store_dir, body, out)
                    except OSError:  # a read-only, foreign-owned or full var/: stop trying, keep compressing
                        self._store_writable = False
            self._jobs.task_done()

    async def _encoded(self, body: bytes, headers: list, path: str, static: bool, coding: str) -> bytes:
        """``body`` in ``coding``: the page's form for its content, a bundle from the cache or,
        on its first request, compressed off the event loop."""
        etag = _header(headers, b"etag") or b""
        if not static:
            return await self.page_compressed(body, coding)
        if coding == "br":
            out = self._cache.get((path, etag, "br"))
            return out if out is not None else await asyncio.to_thread(self.brotli_compressed, path, etag, body)
        out = self._cache.get((path, etag))
        return out if out is not None else await asyncio.to_thread(self.compressed, path, etag, body)

    async def page_compressed(self, body: bytes, coding: str) -> bytes:
        """The HTML page in ``coding`` at the best quality, compressed once per distinct body
        (off the event loop) and kept, at most ``PAGE_FORMS`` forms (the oldest goes first)."""
        key = (hashlib.sha256(body).digest(), coding)
        out = self._pages.get(key)
        if out is None:
            out = await asyncio.to_thread(
                lambda: brotli.compress(body, quality=BR_BEST, lgwin=BR_WINDOW) if coding == "br"
                else gzip.compress(body, compresslevel=9, mtime=0))
            with self._lock:
                while len(self._pages) >= PAGE_FORMS:
                    self._pages.pop(next(iter(self._pages)))
                self._pages[key] = out
        return out

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        coding = self._applies(scope)
        if coding is None:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        static = (path[len(root):] if root and path.startswith(root) else path).startswith(self.prefix)

        async def wrapped(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                ctype = (_header(headers, b"content-type") or b"").decode("latin-1").lower()
                if (message.get("status") != 200 or _header(headers, b"content-encoding") is not None
                        or not ctype.startswith(COMPRESSIBLE_TYPES if static else "text/html")):
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = list(start.get("headers", ()))
            if len(body) < MIN_SIZE:  # gzip's header would outweigh the gain: sent as is
                out, used = body, None
            else:
                out, used = await self._encoded(body, headers, path, static, coding), coding
            start["headers"] = _answer_headers(headers, used, len(out))
            await send(start)
            await send({"type": "http.response.body", "body": out, "more_body": False})

        # a static file is compressed here: Streamlit's own gzip (which it applies to /app/static/)
        # must not get there first, or the answer would pass through in gzip, not brotli
        await self.app(_without_accept_encoding(scope) if static else scope, receive, wrapped)


def _without_accept_encoding(scope: Scope) -> Scope:
    """``scope`` with the request's ``Accept-Encoding`` removed (the app below answers uncompressed)."""
    return {**scope, "headers": [(k, v) for k, v in scope.get("headers", ()) if k.lower() != b"accept-encoding"]}


def _dropped_when_compressed(headers: list) -> set[bytes]:
    """Headers a compressed answer goes without (9 KB of a page's first open over HTTP/1.1,
    where every answer's headers count in what a browser downloads):
    - ``Accept-Ranges``: a Range request is never answered compressed (``_applies``), so
      offering ranges of the encoded body would be false;
    - both validators when ``Cache-Control`` says ``immutable`` (Streamlit's bundles, whose
      names carry their content's hash): a browser never revalidates such an answer while it
      is fresh (a year), RFC 8246, so they are never used.
    Elsewhere the validators stay: ``/app/static/`` answers carry no Cache-Control and are never
    answered 304, so ``Last-Modified`` is what lets a browser keep them (heuristic freshness)."""
    if b"immutable" in (_header(headers, b"cache-control") or b"").lower():
        return {b"accept-ranges", b"etag", b"last-modified"}
    return {b"accept-ranges"}


def _answer_headers(headers: list, coding: str | None, length: int) -> list:
    """The answer's headers: without the old length, with the coding used (``None``: sent as
    is), ``Vary: Accept-Encoding`` (a cache must not give a gzip body to another browser) and
    the new length; a compressed answer also without ``_dropped_when_compressed``."""
    dropped = {b"content-length"} | (_dropped_when_compressed(headers) if coding is not None else set())
    headers = [(k, v) for k, v in headers if k.lower() not in dropped]
    extra = [] if coding is None else [(b"content-encoding", coding.encode())]
    vary = _header(headers, b"vary")
    if vary is None:
        extra.append((b"vary", b"Accept-Encoding"))
    elif b"accept-encoding" not in vary.lower():
        headers = [(k, v + b", Accept-Encoding" if k.lower() == b"vary" else v) for k, v in headers]
    return [*headers, *extra, (b"content-length", str(length).encode())]
