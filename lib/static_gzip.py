"""Gzip for the front-end bundles a browser downloads once: an ASGI middleware.

Streamlit 1.67 deliberately serves ``/static/...`` uncompressed (its gzip layer would re-compress
every bundle on every request). A browser opening the dashboard with a cold cache then downloads
3 to 7 MB of JavaScript that gzip brings to about a quarter. The bundles are content-hashed and
immutable, so each one is compressed once per process, on its first request, and kept: later
requests cost a dictionary look-up. That first compression runs on a worker thread (zlib releases
the GIL), so the server's event loop keeps answering the websocket and the other bundles of a
freshly started server meanwhile; level 6 costs a third less CPU than 9 for 0,2 % more bytes. Streamlit's own static handler still answers every request
(headers, ETag, 304, SPA fallback, security checks); this layer only swaps the body of a full
``200`` answer for its gzip form when the browser accepts it.

Pure ASGI, no Streamlit import: run.py plugs it into the server's middleware stack.
"""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

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


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's ``Accept-Encoding`` allows gzip (``gzip;q=0`` refuses it)."""
    for name, value in scope.get("headers", ()):
        if name.lower() != b"accept-encoding":
            continue
        for part in value.decode("latin-1").lower().split(","):
            coding, _, params = part.strip().partition(";")
            if coding.strip() in ("gzip", "*"):
                q = params.strip()
                return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class StaticGzipMiddleware:
    """Serve the bodies of ``<prefix>...`` answers gzipped, compressing each file once."""

    def __init__(self, app: ASGIApp, prefix: str = "/static/", max_cached_bytes: int = MAX_CACHED_BYTES) -> None:
        self.app = app
        self.prefix = prefix
        self.max_cached_bytes = max_cached_bytes
        self._cache: dict[tuple[str, bytes], bytes] = {}
        self._cached_bytes = 0
        self._lock = threading.Lock()

    def _applies(self, scope: Scope) -> bool:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            return False
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        if not path.startswith(self.prefix):
            return False
        if any(name.lower() == b"range" for name, _ in scope.get("headers", ())):
            return False
        return accepts_gzip(scope)

    def compressed(self, path: str, etag: bytes, body: bytes) -> bytes:
        """The gzip form of ``body``, from the cache when this file (path + ETag) was seen."""
        key = (path, etag)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        out = gzip.compress(body, compresslevel=LEVEL, mtime=0)
        with self._lock:
            if etag and self._cached_bytes + len(out) <= self.max_cached_bytes and key not in self._cache:
                self._cache[key] = out
                self._cached_bytes += len(out)
        return out

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def wrapped(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                ctype = (_header(headers, b"content-type") or b"").decode("latin-1").lower()
                if (message.get("status") != 200 or _header(headers, b"content-encoding") is not None
                        or not ctype.startswith(COMPRESSIBLE_TYPES)):
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
            headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"content-length"]
            if len(body) < MIN_SIZE:
                out, extra = body, []
            else:
                etag = _header(headers, b"etag") or b""
                path = scope.get("path", "")
                out = self._cache.get((path, etag))
                if out is None:  # first request for this file: compress off the event loop
                    out = await asyncio.to_thread(self.compressed, path, etag, body)
                extra = [(b"content-encoding", b"gzip")]
            vary = _header(headers, b"vary")
            if vary is None:
                extra.append((b"vary", b"Accept-Encoding"))
            elif b"accept-encoding" not in vary.lower():
                headers = [(k, v + b", Accept-Encoding" if k.lower() == b"vary" else v) for k, v in headers]
            start["headers"] = [*headers, *extra, (b"content-length", str(len(out)).encode())]
            await send(start)
            await send({"type": "http.response.body", "body": out, "more_body": False})

        await self.app(scope, receive, wrapped)
