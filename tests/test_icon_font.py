"""The icon font served in place of Streamlit's holds every icon the app and Streamlit's own
interface name, and only the request for that font is answered with it."""

import asyncio
import threading

from fontTools.ttLib import TTFont

from lib import icon_font
from lib.icon_font import IconFontMiddleware

FULL = icon_font.streamlit_font()
SUBSET = icon_font.SUBSET_DIR / FULL.name
HINT = "run: python scripts/build_icon_font.py"


def test_a_subset_is_built_for_the_installed_streamlit_font():
    assert SUBSET.exists(), HINT
    assert SUBSET.stat().st_size < FULL.stat().st_size / 4


def test_subset_holds_every_icon_the_code_names():
    held = icon_font.subset_icons(SUBSET)
    assert icon_font.code_icons(), "the scan finds the app's icons"
    missing = icon_font.code_icons() - held
    assert not missing, f"{sorted(missing)}: {HINT}"


def test_subset_holds_every_icon_streamlit_front_end_names():
    known = set(icon_font.ligatures(TTFont(FULL)))
    front = icon_font.frontend_icons(known)
    assert {"expand_more", "keyboard_double_arrow_left", "content_copy"} <= front  # the scan sees them
    missing = front - icon_font.subset_icons(SUBSET)
    assert not missing, f"{sorted(missing)}: {HINT}"


def _serve(mw, path, method="GET", status=200, middleware=IconFontMiddleware):
    sent = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"font/woff2"), (b"content-length", b"5"), (b"etag", b'"x"'),
                                (b"cache-control", b"public, max-age=31536000, immutable")]})
        await send({"type": "http.response.body", "body": b"fu", "more_body": True})
        await send({"type": "http.response.body", "body": b"ll", "more_body": False})

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    def target():  # its own loop: Playwright may hold one in the main thread (serial runs)
        asyncio.run(middleware(app, mw)({"type": "http", "method": method, "path": path, "headers": []},
                                                receive, send))

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    headers = dict(sent[0]["headers"])
    return sent[0]["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_middleware_serves_the_subset_for_streamlit_font_only():
    subset = SUBSET.read_bytes()
    status, headers, body = _serve(icon_font.SUBSET_DIR, f"/static/media/{FULL.name}")
    assert status == 200 and body == subset
    assert headers[b"content-length"] == str(len(subset)).encode() and headers[b"etag"] != b'"x"'
    assert headers[b"cache-control"].startswith(b"public")  # Streamlit's caching kept
    assert _serve(icon_font.SUBSET_DIR, f"/static/media/{FULL.name}", method="HEAD")[2] == b""
    assert _serve(icon_font.SUBSET_DIR, "/static/media/SourceSansVF-Upright.ttf.x.woff2")[2] == b"full"
    assert _serve(icon_font.SUBSET_DIR, "/static/media/MaterialSymbols-Rounded.other.woff2")[2] == b"full"
    assert _serve(icon_font.SUBSET_DIR, f"/static/media/{FULL.name}", status=304)[2] == b"full"


def test_frontend_scan_takes_material_names_not_every_quoted_word(tmp_path):
    """A quoted word of the bundles that is also an icon name (« close ») is not kept: only what
    Streamlit writes as ``material/<name>``, in its bundles or its Python package."""
    bundles, package = tmp_path / "js", tmp_path / "py"
    bundles.mkdir()
    package.mkdir()
    (bundles / "a.js").write_text("x(`close`,'table');y({iconValue:`:material/expand_more:`})", encoding="utf-8")
    (package / "b.py").write_text('icon = ":material/check_circle:"  # "search"\n', encoding="utf-8")
    known = {"close", "table", "search", "expand_more", "check_circle"}
    assert icon_font.frontend_icons(known, bundles, package) == {"expand_more", "check_circle"}


def test_subset_is_small():
    """About 130 icons: a fifth of the 610 the former quoted-word scan kept (55 KB)."""
    assert SUBSET.stat().st_size < 25_000
