"""Fetch the browser assets the app needs and copy them into ``static/vendor/`` (run once; the
result is committed, so the app never needs a CDN).

Why: ministry networks filter public CDNs (jsdelivr, cdnjs, ...) and this machine has no
internet, so fonts fetched from one would never arrive. Streamlit serves ``./static`` at
``/app/static`` (``server.enableStaticServing``); the maps need no vendored script (they are
Vega-Lite charts drawn by Streamlit itself, lib/offline_map.py).

What is fetched, each from the npm registry (``npm pack``) and checked against the registry's
published sha512 integrity:
- The State design system ``@gouvfr/dsfr`` 1.15.3: its licence and terms, the Marianne font (woff2
  for the browser, and the woff files converted to TrueType with fontTools so that the chart
  exports of ``vl-convert`` can use it), and ``tokens.json``: the light theme's colour tokens, the
  focus ring and the type scale read from ``dist/core/core.css``. Marianne is reserved to State
  services (see README, "Accessibilité et charte de l'État"): the app ships it switched off.
- Source Sans 3 (``source-sans`` 3.52.0, SIL Open Font License): the free default font. The browser
  already has it (Streamlit bundles it as "Source Sans"); the TrueType files are for the chart
  exports, so that a PNG looks like the chart on screen on any machine.

Usage: ``python scripts/fetch_static_assets.py`` (needs ``npm``, access to the npm registry and
``fontTools``: ``pip install -r scripts/requirements-build.txt``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"

MARIANNE = ["Marianne-Regular", "Marianne-Regular_Italic", "Marianne-Medium", "Marianne-Bold"]


def _dsfr_extra(package: Path, target: Path) -> None:
    """DSFR: the Marianne fonts (woff2 + TrueType) and the design tokens."""
    fonts = target / "fonts"
    fonts.mkdir()
    from fontTools.ttLib import TTFont  # build-only dependency

    for name in MARIANNE:
        shutil.copy2(package / "dist" / "fonts" / f"{name}.woff2", fonts / f"{name}.woff2")
        font = TTFont(package / "dist" / "fonts" / f"{name}.woff")
        font.flavor = None  # woff -> plain TrueType, which vl-convert's font database reads
        font.save(fonts / f"{name}.ttf")
    tokens = extract_tokens((package / "dist" / "core" / "core.css").read_text(encoding="utf-8"))
    (target / "tokens.json").write_text(json.dumps(tokens, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                        encoding="utf-8")


PACKAGES: dict[str, tuple[str, list[tuple[str, str]], str, Callable[[Path, Path], None] | None]] = {
    # name: (version, [(file in the package, name kept)], sha512 integrity published by the registry, extra step)
    "@gouvfr/dsfr": (
        "1.15.3",
        [("LICENSE.md", "LICENSE.md"), ("doc/legal/cgu.md", "CONDITIONS-UTILISATION.md")],
        "sha512-R9AALZc1LfZjtytWZMOaUIOHWTkllBZ/sZlsL8TpKZVgF3qUKXt/uNYh+L1D1Fh4p92ZqWxbtNcebsigBZe5pQ==",
        _dsfr_extra,
    ),
    "source-sans": (
        "3.52.0",
        [("LICENSE.md", "LICENSE.md"), ("TTF/SourceSans3-Regular.ttf", "SourceSans3-Regular.ttf"),
         ("TTF/SourceSans3-Bold.ttf", "SourceSans3-Bold.ttf")],
        "sha512-xsm7qlMI/JwxwNdp6pvpR6l+aZjn90fzOzoeUz/qoohIYbKbDwQNRIz5/ItYs7/hvqLirQNUoDFGXSVA3TU9tw==",
        None,
    ),
}

_DECL = re.compile(r"(--[a-z0-9-]+):\s*([^;]+);")
_HEX = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")
_VAR = re.compile(r"^var\((--[a-z0-9-]+)\)$")


def _block(css: str, start: int) -> str:
    """The text between the brace at or after ``start`` and its matching closing brace."""
    i = css.index("{", start)
    depth = 0
    for j in range(i, len(css)):
        depth += {"{": 1, "}": -1}.get(css[j], 0)
        if depth == 0:
            return css[i + 1 : j]
    raise ValueError("unbalanced CSS")


def _hex6(value: str) -> str:
    v = value.lower()
    return "#" + "".join(c * 2 for c in v[1:]) if len(v) == 4 else v


def extract_tokens(css: str) -> dict:
    """Light-theme colour tokens (options such as ``blue-france-sun-113-625`` and decisions such as
    ``text-default-grey``, resolved to hex), the focus ring and the desktop type scale of DSFR's
    ``core.css``."""
    root = _block(css, css.index(":root {"))
    raw = dict(_DECL.findall(root))
    colours: dict[str, str] = {}
    for name, value in raw.items():
        value = value.strip()
        for _ in range(5):  # decisions point at options, sometimes through one more variable
            m = _VAR.match(value)
            if not m or m.group(1) not in raw:
                break
            value = raw[m.group(1)].strip()
        if _HEX.match(value):
            colours[name[2:]] = _hex6(value)
    focus_rule = _block(css, css.index("details > summary:first-of-type:focus {") - 1)
    focus = dict(re.findall(r"(outline-[a-z]+):\s*([^;]+);", focus_rule))
    base_scale = {h: dict(re.findall(r"(font-size|line-height):\s*([^;]+);", _block(css, css.index(f"\n{h} {{"))))
                  for h in ("h1", "h2", "h3", "h4", "h5", "h6", "p")}
    desktop = _block(css, css.index("@media (min-width: 48em) {"))
    for h in ("h1", "h2", "h3", "h4", "h5", "h6"):
        m = re.search(rf"\n\s*{h} {{([^}}]*)}}", desktop)
        if m:
            base_scale[h].update(re.findall(r"(font-size|line-height):\s*([^;]+);", m.group(1)))
    return {
        "colours": colours,
        "focus": {"color": _hex6(focus["outline-color"]), "width": focus["outline-width"],
                  "offset": focus["outline-offset"], "style": focus["outline-style"]},
        "type_scale": base_scale,
    }


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(name: str, version: str, keep: list[tuple[str, str]], integrity: str,
          extra: Callable[[Path, Path], None] | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--json"], cwd=tmp, check=True, capture_output=True, text=True
        ).stdout
        tgz = Path(tmp) / json.loads(out)[0]["filename"]
        got = _integrity(tgz)
        if got != integrity:
            sys.exit(f"{name}@{version}: integrity mismatch ({got} != {integrity})")
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        target = VENDOR / name.split("/")[-1]
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for rel, kept in keep:
            src = package / rel
            dst = target / kept
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
        if extra is not None:
            extra(package, target)
        (target / "VERSION").write_text(f"{name}@{version}\n{integrity}\n", encoding="utf-8")
    print(f"{name}@{version} -> {target.relative_to(ROOT)}")


def main() -> None:
    for name, (version, keep, integrity, extra) in PACKAGES.items():
        fetch(name, version, keep, integrity, extra)


if __name__ == "__main__":
    main()
