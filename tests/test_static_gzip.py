"""The front-end bundles go out brotli- or gzip-compressed, once compressed per file, and
everything else untouched."""

import asyncio
import gzip
import threading
import time
from pathlib import Path

import brotli
import pytest

from lib import static_gzip
from lib.static_gzip import StaticGzipMiddleware, accepts_gzip, chosen_coding

BODY = b"console.log('pacte');\n" * 400


def _app(status=200, ctype=b"application/javascript", body=BODY, etag=b'"abc"', chunks=3):
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), (b"etag", etag)]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        step = max(1, len(body) // chunks)
        parts = [body[i:i + step] for i in range(0, len(body), step)] or [b""]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})

    app.calls = calls
    return app


def _run_alone(coro):
    """Run the coroutine on its own loop in its own thread.

    Playwright's sync API keeps an event loop running in the main thread while the browser
    tests' session fixtures are alive, so ``asyncio.run`` there would refuse to start.
    """
    failure = []

    def target():
        try:
            asyncio.run(coro)
        except BaseException as exc:  # re-raised in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _get(mw, path="/static/js/index.abc.js", encoding=b"gzip, deflate", extra=()):
    headers = [(b"accept-encoding", encoding)] if encoding is not None else []
    scope = {"type": "http", "method": "GET", "path": path, "headers": [*headers, *extra], "root_path": ""}
    sent = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    _run_alone(mw(scope, receive, send))
    start = sent[0]
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], headers, body


def test_bundle_is_gzipped_with_right_headers():
    status, headers, body = _get(StaticGzipMiddleware(_app()))
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(BODY) / 5
    assert headers["etag"] == '"abc"'
    assert gzip.decompress(body) == BODY


def test_each_file_compressed_once_then_served_from_cache():
    mw = StaticGzipMiddleware(_app())
    first = _get(mw)[2]
    assert len(mw._cache) == 1
    cached = mw._cache[("/static/js/index.abc.js", b'"abc"')]
    assert _get(mw)[2] == first == cached
    # another version of the file (new ETag) is compressed afresh, not served stale
    mw.app = _app(body=BODY + b"x", etag=b'"def"')
    assert gzip.decompress(_get(mw)[2]) == BODY + b"x"
    assert len(mw._cache) == 2


def test_cache_is_bounded():
    mw = StaticGzipMiddleware(_app(), max_cached_bytes=10)
    assert gzip.decompress(_get(mw)[2]) == BODY
    assert mw._cache == {}


def test_untouched_without_gzip_or_outside_static_or_not_a_full_text_answer():
    for kwargs, get in [
        ({}, {"encoding": None}),
        ({}, {"encoding": b"gzip;q=0, deflate"}),
        ({}, {"encoding": b"gzip;q=0, br;q=0"}),
        ({}, {"path": "/carte"}),
        ({}, {"extra": [(b"range", b"bytes=0-10")]}),
        ({"status": 304, "body": b""}, {}),
        ({"ctype": b"font/woff2"}, {}),
        ({"ctype": b"image/png"}, {}),
    ]:
        status, headers, body = _get(StaticGzipMiddleware(_app(**kwargs)), **get)
        assert "content-encoding" not in headers, (kwargs, get)
        assert body == kwargs.get("body", BODY)


def test_small_body_not_compressed_but_length_right():
    status, headers, body = _get(StaticGzipMiddleware(_app(body=b"x" * 10)))
    assert "content-encoding" not in headers
    assert body == b"x" * 10 and headers["content-length"] == "10"


def test_accepts_gzip():
    def scope(v):
        return {"headers": [(b"Accept-Encoding", v)]}
    assert accepts_gzip(scope(b"gzip"))
    assert accepts_gzip(scope(b"br, GZIP;q=0.5"))
    assert accepts_gzip(scope(b"*"))
    assert not accepts_gzip(scope(b"gzip;q=0"))
    assert not accepts_gzip(scope(b"br, deflate"))
    assert not accepts_gzip({"headers": []})


def test_first_compression_runs_off_the_event_loop():
    """The server's loop keeps serving while a bundle is compressed for the first time."""
    mw = StaticGzipMiddleware(_app())
    threads = []
    original = mw.compressed

    def spy(*args):
        threads.append(threading.current_thread())
        return original(*args)

    mw.compressed = spy
    loop_threads = []

    async def app_thread(scope, receive, send):
        loop_threads.append(threading.current_thread())
        await _app()(scope, receive, send)

    mw.app = app_thread
    assert gzip.decompress(_get(mw)[2]) == BODY
    assert len(threads) == 1 and threads[0] is not loop_threads[0]
    assert gzip.decompress(_get(mw)[2]) == BODY  # then from the cache, no second compression
    assert len(threads) == 1


def test_chosen_coding():
    def scope(v):
        return {"headers": [(b"Accept-Encoding", v)]}
    assert chosen_coding(scope(b"gzip, deflate, br, zstd")) == "br"  # Chromium to localhost or https
    assert chosen_coding(scope(b"gzip, deflate")) == "gzip"  # Chromium to a plain http address
    assert chosen_coding(scope(b"br;q=0, gzip")) == "gzip"
    assert chosen_coding(scope(b"*")) == "br"
    assert chosen_coding(scope(b"deflate")) is None
    assert chosen_coding(scope(b"gzip;q=x")) is None
    assert chosen_coding({"headers": []}) is None


def test_without_brotli_installed_gzip_is_served(monkeypatch):
    monkeypatch.setattr(static_gzip, "brotli", None)
    status, headers, body = _get(StaticGzipMiddleware(_app()), encoding=b"gzip, br")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == BODY


def test_brotli_first_fast_then_the_stores_best(tmp_path):
    """No store entry: quality 5 at once, the background thread writes quality 11 into the store
    and serves it from then on; a new process (a new middleware) serves the store's at once."""
    body = bytes(range(256)) * 40 + BODY * 5
    mw = StaticGzipMiddleware(_app(body=body), store_dir=tmp_path)
    status, headers, first = _get(mw, encoding=b"gzip, deflate, br")
    assert status == 200 and headers["content-encoding"] == "br"
    assert "Accept-Encoding" in headers["vary"] and int(headers["content-length"]) == len(first)
    assert brotli.decompress(first) == body
    assert first == brotli.compress(body, quality=static_gzip.BR_FAST, lgwin=static_gzip.BR_WINDOW)
    mw._jobs.join()  # the background recompression is done
    best = brotli.compress(body, quality=static_gzip.BR_BEST, lgwin=static_gzip.BR_WINDOW)
    assert best != first
    assert static_gzip.store_path(tmp_path, body).read_bytes() == best
    assert _get(mw, encoding=b"br")[2] == best
    assert list(tmp_path.iterdir()) == [static_gzip.store_path(tmp_path, body)]  # no temporary file left
    fresh = StaticGzipMiddleware(_app(body=body), store_dir=tmp_path)
    assert _get(fresh, encoding=b"br")[2] == best
    assert fresh._worker is None  # nothing to recompress


def test_store_is_named_by_content_not_by_address(tmp_path):
    """A bundle changed under the same address and ETag is not served from a stale store entry."""
    static_gzip.write_store(tmp_path, BODY)
    other = BODY + b"// changed\n"
    mw = StaticGzipMiddleware(_app(body=other), store_dir=tmp_path)
    assert brotli.decompress(_get(mw, encoding=b"br")[2]) == other


def test_a_bad_store_file_is_never_served_and_is_rewritten(tmp_path, monkeypatch):
    """A damaged store file, or a foreign body under the right name, is checked on its first read:
    deleted, quality 5 served, the best form rewritten; a sound one is checked once per process."""
    best = brotli.compress(BODY, quality=static_gzip.BR_BEST, lgwin=static_gzip.BR_WINDOW)
    target = static_gzip.store_path(tmp_path, BODY)
    for bad in (b"not brotli at all", brotli.compress(b"alert('foreign');" * 100)):
        target.write_bytes(bad)
        mw = StaticGzipMiddleware(_app(), store_dir=tmp_path)
        assert brotli.decompress(_get(mw, encoding=b"br")[2]) == BODY
        mw._jobs.join()
        assert target.read_bytes() == best
        assert _get(mw, encoding=b"br")[2] == best
    checks = []
    mw = StaticGzipMiddleware(_app(), store_dir=tmp_path, max_cached_bytes=0)  # every request reads the store
    original = static_gzip._holds
    monkeypatch.setattr(static_gzip, "_holds", lambda stored, body: checks.append(1) or original(stored, body))
    assert _get(mw, encoding=b"br")[2] == best and _get(mw, encoding=b"br")[2] == best
    assert checks == [1]


def test_a_failed_store_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    """A write that fails half-way (a full disk) removes its partial temporary file."""
    real = static_gzip.Path.write_bytes

    def half_then_full(path, data):
        real(path, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(static_gzip.Path, "write_bytes", half_then_full)
    with pytest.raises(OSError):
        static_gzip.write_store(tmp_path, BODY)
    assert list(tmp_path.iterdir()) == []


def test_without_store_brotli_stays_fast_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mw = StaticGzipMiddleware(_app())
    assert brotli.decompress(_get(mw, encoding=b"br")[2]) == BODY
    assert mw._worker is None and list(tmp_path.iterdir()) == []


def test_brotli_compression_runs_off_the_event_loop(tmp_path):
    mw = StaticGzipMiddleware(_app(), store_dir=tmp_path)
    threads = []
    original = mw.brotli_compressed

    def spy(*args):
        threads.append(threading.current_thread())
        return original(*args)

    mw.brotli_compressed = spy
    loop_threads = []

    async def app_thread(scope, receive, send):
        loop_threads.append(threading.current_thread())
        await _app()(scope, receive, send)

    mw.app = app_thread
    assert brotli.decompress(_get(mw, encoding=b"br")[2]) == BODY
    assert len(threads) == 1 and threads[0] is not loop_threads[0]
    mw._jobs.join()
    assert brotli.decompress(_get(mw, encoding=b"br")[2]) == BODY
    assert len(threads) == 1


def test_documents_the_page_itself_is_compressed_and_nothing_else_outside_static():
    page = b"<!doctype html><html lang='fr'>" + BODY + b"</html>"
    html = _app(ctype=b"text/html; charset=utf-8", body=page, etag=b"")
    status, headers, body = _get(StaticGzipMiddleware(html, documents=True), path="/carte", encoding=b"gzip, br")
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == page
    assert "Accept-Encoding" in headers["vary"] and int(headers["content-length"]) == len(body)
    status, headers, body = _get(StaticGzipMiddleware(html, documents=True), path="/region", encoding=b"gzip")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == page
    mw = StaticGzipMiddleware(html, documents=True)
    first = _get(mw, path="/carte", encoding=b"br")[2]
    assert mw._cache == {} and mw._worker is None  # not among the bundles, nothing in the store
    assert first == brotli.compress(page, quality=11, lgwin=22)  # the best quality
    calls = []
    real = static_gzip.brotli.compress
    static_gzip.brotli = type("Counted", (), {"compress": staticmethod(lambda *a, **k: calls.append(1) or real(*a, **k)),
                                              "decompress": staticmethod(brotli.decompress)})
    try:
        assert _get(mw, path="/region", encoding=b"br")[2] == first and calls == []  # compressed once
    finally:
        static_gzip.brotli = brotli
    assert len(mw._pages) == 1
    changed = page.replace(b"lang='fr'", b"lang='fr' data-x='1'")
    mw.app = _app(ctype=b"text/html; charset=utf-8", body=changed, etag=b"")
    assert brotli.decompress(_get(mw, path="/carte", encoding=b"br")[2]) == changed  # never stale
    for i in range(20):  # however many pages come, a few forms are kept
        mw.app = _app(ctype=b"text/html; charset=utf-8", body=page + str(i).encode(), etag=b"")
        _get(mw, path="/carte", encoding=b"gzip")
    assert len(mw._pages) == static_gzip.PAGE_FORMS
    for kwargs, get, documents in [
        ({"ctype": b"application/json"}, {"path": "/_stcore/host-config"}, True),  # not a page
        ({"ctype": b"text/html"}, {"path": "/media/abc123.html"}, True),  # a download, not a page
        ({"ctype": b"text/html"}, {"path": "/component/x/index.html"}, True),
        ({"ctype": b"text/html"}, {"path": "/carte"}, False),  # documents off
        ({"ctype": b"text/html", "status": 404}, {"path": "/carte"}, True),
    ]:
        status, headers, body = _get(StaticGzipMiddleware(_app(**kwargs), documents=documents), **get)
        assert "content-encoding" not in headers, (kwargs, get)
        assert body == kwargs.get("body", BODY)


def _idle(mw):  # the jobs marked done (a dead thread never would), within 10 s
    deadline = time.monotonic() + 10
    while mw._jobs.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.01)
    return mw._jobs.unfinished_tasks == 0


def test_a_failed_recompression_keeps_quality_5_and_the_thread(tmp_path, monkeypatch):
    def broken(body):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(static_gzip, "best_brotli", broken)
    mw = StaticGzipMiddleware(_app(), store_dir=tmp_path)
    first = _get(mw, encoding=b"br")[2]
    assert _idle(mw)
    assert _get(mw, encoding=b"br")[2] == first and mw._worker.is_alive()
    mw.app = _app(body=BODY + b"x", etag=b'"def"')
    assert brotli.decompress(_get(mw, encoding=b"br")[2]) == BODY + b"x"
    assert _idle(mw)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_store_still_serves_the_best_and_is_tried_once(tmp_path, monkeypatch):
    """A read-only or full var/: the best form computed is served from memory all the same, and
    after the first failed write the thread only compresses."""
    writes = []

    def read_only(store_dir, body, out):
        writes.append(body)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(static_gzip, "save_store", read_only)
    mw = StaticGzipMiddleware(_app(), store_dir=tmp_path)
    _get(mw, encoding=b"br")
    assert _idle(mw)
    assert _get(mw, encoding=b"br")[2] == static_gzip.best_brotli(BODY)
    other = BODY + b"x"
    mw.app = _app(body=other, etag=b'"def"')
    _get(mw, encoding=b"br")
    assert _idle(mw) and mw._worker.is_alive()
    assert _get(mw, encoding=b"br")[2] == static_gzip.best_brotli(other)
    assert writes == [BODY]


def test_a_bundle_asked_twice_before_its_recompression_is_recompressed_once(tmp_path, monkeypatch):
    """Two tabs of a fresh server ask for the same bundle together: one quality-11 job, and both
    addresses serving it get the best form."""
    release, calls = threading.Event(), []
    real = static_gzip.best_brotli

    def slow(body):
        calls.append(body)
        release.wait(10)
        return real(body)

    monkeypatch.setattr(static_gzip, "best_brotli", slow)
    mw = StaticGzipMiddleware(_app(), store_dir=tmp_path)
    for path in ("/static/js/index.abc.js", "/static/js/index.abc.js", "/app/static/js/index.abc.js"):
        mw.brotli_compressed(path, b'"abc"', BODY)
    release.set()
    mw._jobs.join()
    assert calls == [BODY]
    best = real(BODY)
    assert mw._cache[("/static/js/index.abc.js", b'"abc"', "br")] == best
    assert mw._cache[("/app/static/js/index.abc.js", b'"abc"', "br")] == best
    assert mw._pending == {}


def test_the_brotli_store_is_documented_as_it_is_filled():
    """Nothing at setup runs scripts/build_static_brotli.py: the README must not say it does, and
    the command it and the script give must run in a fresh checkout (the venv's python, which has
    Streamlit and brotli; a bare ``python`` often does not exist)."""
    root = Path(__file__).resolve().parents[1]
    command = ".venv/bin/python scripts/build_static_brotli.py"
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    script = " ".join((root / "scripts" / "build_static_brotli.py").read_text(encoding="utf-8").split())
    assert "filled at setup" not in readme and command in readme
    assert command in script and "``python scripts/" not in script


def test_app_static_files_leave_in_brotli_though_streamlit_would_gzip_them():
    """Streamlit gzips /app/static/ itself when asked: under the prefix, the app below is not
    asked (no Accept-Encoding), so the file reaches the middleware whole and leaves in brotli;
    outside the prefixes the request is passed on untouched."""
    seen = []

    async def streamlit_like(scope, receive, send):
        asks = any(k == b"accept-encoding" and b"gzip" in v for k, v in scope["headers"])
        seen.append(asks)
        body = gzip.compress(BODY) if asks else BODY
        headers = [(b"content-type", b"application/json"), (b"etag", b'"geo"'),
                   (b"content-length", str(len(body)).encode())]
        if asks:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    mw = StaticGzipMiddleware(streamlit_like, prefix=("/static/", "/app/static/"))
    status, headers, body = _get(mw, path="/app/static/carte/regions.json", encoding=b"gzip, br")
    assert seen == [False]
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == BODY
    status, headers, body = _get(StaticGzipMiddleware(streamlit_like), path="/app/static/carte/regions.json",
                                 encoding=b"gzip, br")  # one prefix, /static/: left to Streamlit
    assert seen == [False, True] and headers["content-encoding"] == "gzip"


def _app_with(extra_headers, body=BODY):
    async def app(scope, receive, send):
        headers = [(b"content-type", b"application/javascript"), (b"content-length", str(len(body)).encode()),
                   *extra_headers]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
    return app


def test_a_compressed_answer_offers_no_ranges_and_only_the_validators_a_browser_uses():
    stamped = [(b"accept-ranges", b"bytes"), (b"last-modified", b"Fri, 04 Dec 2026 02:40:17 GMT")]
    _, headers, body = _get(StaticGzipMiddleware(_app_with([*stamped, (b"etag", b'"abc"')])))
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == BODY
    assert "accept-ranges" not in headers
    # no Cache-Control (Streamlit's /app/static/, never answered 304): Last-Modified is what lets
    # the browser keep the file, so both validators stay
    assert headers["last-modified"].startswith("Fri") and headers["etag"] == '"abc"'
    _, headers, _ = _get(StaticGzipMiddleware(_app_with(stamped)))
    assert "accept-ranges" not in headers and headers["last-modified"].startswith("Fri")
    # a hashed bundle cached as immutable is never revalidated: neither validator is sent
    immutable = (b"cache-control", b"public, immutable, max-age=31536000")
    _, headers, body = _get(StaticGzipMiddleware(_app_with([*stamped, (b"etag", b'"abc"'), immutable])),
                            encoding=b"br")
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == BODY
    assert headers["cache-control"] == "public, immutable, max-age=31536000" and headers["vary"] == "Accept-Encoding"
    assert not {"etag", "last-modified", "accept-ranges"} & set(headers)
    # an answer sent as is (too small to gain) keeps all its headers: its ranges are true
    _, headers, body = _get(StaticGzipMiddleware(_app_with([*stamped, (b"etag", b'"abc"'), immutable],
                                                           body=b"x" * 10)))
    assert "content-encoding" not in headers and body == b"x" * 10
    assert headers["accept-ranges"] == "bytes" and "last-modified" in headers and "etag" in headers
