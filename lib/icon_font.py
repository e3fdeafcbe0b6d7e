"""The Material Symbols icon font cut down to the icons the dashboard and Streamlit's interface use.

Streamlit ships all 4 000 Material Symbols in one 375 KB woff2 that every page downloads with a
cold cache, for a few dozen icons on screen. An icon is a ligature: the text ``location_on``
drawn with this font becomes the pin. ``scripts/build_icon_font.py`` keeps the ligatures of the
icons named in our code (``:material/<name>:``) and of every ``material/<name>`` Streamlit's front
end and Python package write (its chevrons, copy, status icons: 132 icons, 16 KB), plus the
letters they are spelled with, and writes
``static/icons/<Streamlit's file name>`` (committed, Apache 2.0 like the original).
``IconFontMiddleware`` then answers the browser's request for Streamlit's file with that subset;
when Streamlit is upgraded the file name changes, no subset matches and the full font is served.
``tests/test_icon_font.py`` fails when the code names an icon the subset lacks.

Pure ASGI and fontTools, no Streamlit import: run.py plugs the middleware in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lib.static_gzip import ASGIApp, Message, Receive, Scope, Send

ROOT = Path(__file__).resolve().parents[1]
SUBSET_DIR = ROOT / "static" / "icons"
FONT_PREFIX = "MaterialSymbols-Rounded."
CODE_ICON = re.compile(r":material/([a-z0-9_]+):")
MATERIAL_NAME = re.compile(r"material/([a-z0-9_]+)")


def streamlit_static() -> Path:
    """Streamlit's front-end build directory (``static/static``)."""
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    assert spec and spec.origin
    return Path(spec.origin).parent / "static" / "static"


def streamlit_font() -> Path:
    """Streamlit's full Material Symbols font file."""
    return next((streamlit_static() / "media").glob(FONT_PREFIX + "*.woff2"))


def code_icons(roots: Iterable[Path] = (ROOT / "app.py", ROOT / "pages", ROOT / "lib")) -> set[str]:
    """Every ``:material/<name>:`` written in the app's Python code."""
    names: set[str] = set()
    for root in roots:
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            names |= set(CODE_ICON.findall(path.read_text(encoding="utf-8")))
    return names


def ligatures(font) -> dict[str, str]:
    """Icon name -> glyph, read from the font's ligature substitutions."""
    char = {glyph: chr(cp) for cp, glyph in font.getBestCmap().items() if cp < 0x80}
    out: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            for first, ligs in getattr(sub, "ligatures", {}).items():
                for lig in ligs:
                    if first in char and all(c in char for c in lig.Component):
                        out[char[first] + "".join(char[c] for c in lig.Component)] = lig.LigGlyph
    return out


def frontend_icons(known: set[str], bundle_dir: Path | None = None, package_dir: Path | None = None) -> set[str]:
    """The icon names Streamlit can draw with this font: every ``material/<name>`` of its front-end
    bundles (the front end draws an icon only from ``:material/<name>:``, its ``iconValue``) and of
    its Python package (icons the server sends: st.status, st.navigation, examples), that is an
    icon name. A quoted word of the bundles (« close », « table ») is not an icon by itself: the
    grid and the widgets draw theirs as SVG."""
    static = streamlit_static()
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted((bundle_dir or static / "js").glob("*.js"))]
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in sorted((package_dir or static.parents[1]).rglob("*.py"))]
    return set(MATERIAL_NAME.findall("\n".join(texts))) & known


def build_subset(source: Path, names: set[str], dest: Path) -> tuple[int, set[str]]:
    """Write the woff2 subset of ``source`` with the icons ``names`` (those the font has).
    Returns its size and the names it holds."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    ligs = ligatures(font)
    kept = {n for n in names if n in ligs}
    letters = {g for cp, g in font.getBestCmap().items() if cp < 0x80}
    options = subset.Options()
    options.layout_closure = False  # keep only the ligatures whose icon is kept, not all 4 000
    options.layout_features = ["rlig", "liga"]
    options.flavor = "woff2"
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True
    sub = subset.Subsetter(options)
    sub.populate(glyphs=sorted(letters | {ligs[n] for n in kept}))
    sub.subset(font)
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)
    return dest.stat().st_size, kept


def subset_icons(path: Path) -> set[str]:
    """The icon names a subset file holds."""
    from fontTools.ttLib import TTFont

    return set(ligatures(TTFont(path)))


class FontSubsetMiddleware:
    """Answer a request for one of Streamlit's font files (``/static/media/<prefix>….woff2``)
    with the subset of the same name in ``subset_dir``, if there is one."""

    def __init__(self, app: ASGIApp, subset_dir: Path, prefix: str) -> None:
        self.app = app
        self.subsets = {p.name: p.read_bytes() for p in subset_dir.glob(prefix + "*.woff2")}
        self.tag = prefix.strip(".-").lower().encode()

    def _subset(self, scope: Scope) -> bytes | None:
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD") or not self.subsets:
            return None
        path = scope.get("path", "")
        if "/static/media/" not in path or any(k.lower() == b"range" for k, _ in scope.get("headers", ())):
            return None
        return self.subsets.get(path.rsplit("/", 1)[-1])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self._subset(scope)
        if body is None:
            await self.app(scope, receive, send)
            return
        swap = False

        async def wrapped(message: Message) -> None:
            nonlocal swap
            if message["type"] == "http.response.start":
                swap = message.get("status") == 200
                if swap:  # Streamlit's headers (type, caching), with the subset's length and tag
                    headers = [(k, v) for k, v in message.get("headers", ())
                               if k.lower() not in (b"content-length", b"etag", b"last-modified")]
                    message = {**message, "headers": [*headers, (b"content-length", str(len(body)).encode()),
                                                      (b"etag", b'"%s-subset-%d"' % (self.tag, len(body)))]}
                await send(message)
                return
            if swap and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body,
                            "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, wrapped)


class IconFontMiddleware(FontSubsetMiddleware):
    """Answer a request for Streamlit's Material Symbols file with the subset built for it."""

    def __init__(self, app: ASGIApp, subset_dir: Path = SUBSET_DIR) -> None:
        super().__init__(app, subset_dir, FONT_PREFIX)
