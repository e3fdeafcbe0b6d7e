"""The server started by run.py sends its front-end bundles brotli-compressed to a browser that
accepts it (Chromium does, to localhost and https), gzipped to one that accepts only gzip, and the
page still works."""

import gzip
import re
import urllib.request

import brotli

from tests.browser.conftest import wait_for_app


def _get(url, encoding=None):
    req = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers, r.read()


def test_static_bundle_gzipped_on_request(app_server):
    _, index = _get(app_server + "/")
    bundle = re.search(rb'static/js/index\.[^"]+\.js', index).group().decode()
    plain_headers, plain = _get(f"{app_server}/{bundle}")
    assert plain_headers.get("Content-Encoding") is None
    headers, body = _get(f"{app_server}/{bundle}", "gzip, deflate")
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) / 2
    br_headers, br_body = _get(f"{app_server}/{bundle}", "gzip, deflate, br, zstd")
    assert br_headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br_headers["Vary"]
    assert brotli.decompress(br_body) == plain
    assert len(br_body) < len(body)
    page_headers, page = _get(f"{app_server}/donnees", "gzip, deflate, br, zstd")  # the HTML page too
    assert page_headers["Content-Encoding"] == "br"
    assert brotli.decompress(page) == _get(f"{app_server}/donnees")[1]
    assert b'lang="fr"' in brotli.decompress(page)


def test_page_works_with_gzipped_bundles(app_server, offline_page):
    page = offline_page.page
    encodings = {}

    def seen(r):
        if "/static/js/" in r.url:
            encodings[r.url] = (r.headers.get("content-encoding"), int(r.headers.get("content-length", 0)))

    page.on("response", seen)
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_text("Pacte Hlm 2013-2015").first.wait_for(timeout=30_000)
    assert len(encodings) > 5
    # all but the tiny ones (under lib.static_gzip.MIN_SIZE, not worth a header) are compressed,
    # with brotli: Chromium sends « br » to localhost
    plain = {url: size for url, (coding, size) in encodings.items() if coding != "br"}
    assert all(size < 1_000 for size in plain.values()), plain
    assert sum(coding == "br" for coding, _ in encodings.values()) > 5
    assert not offline_page.errors, offline_page.errors
