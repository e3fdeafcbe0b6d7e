"""Source Sans, Streamlit's interface font, cut down to the characters French text and our
formats use.

Streamlit ships Source Sans 3 as two variable fonts (upright 170 KB, italic 138 KB) holding
Latin, Greek, Cyrillic and Vietnamese: every page downloads the upright one with a cold cache.
``scripts/build_text_font.py`` keeps, for both, every weight (the variation axis) and the
OpenType features of ``layout_features()`` (fontTools' default set: those a browser applies to
any text, and the fractions; and the figure styles a style sheet may ask for) of:
- ``BASE_RANGES``: Basic Latin, Latin-1 (accents, « », °, ², ×, the no-break space), Latin
  Extended-A (Œ, œ, and the names of bodies and people a user's file may carry), the general
  punctuation (’, –, —, …, the narrow no-break space of 1 234 and 12,5 %, ‰), €, −, ≤, ≥,
  ≈, ≠ and the arrows;
- every character of the app's own text that the font has (``needed_characters``: the string
  literals of app.py, pages/ and lib/, the data files, Streamlit's French interface strings).
The font's other features (small capitals, superiors and inferiors, old-style figures,
stylistic sets and alternates) are dropped with the 361 glyphs only they reach: nothing in
Streamlit's interface or ours asks for them (only ``liga``; ``tests/test_text_font.py`` checks
our CSS), and the upright font goes from 55 to 30 KB on every page's first open. The script
writes ``static/fonts/<Streamlit's file name>`` (committed, SIL Open Font License like the
original, ``static/fonts/LICENSE.md``; renamed « Pacte Sans » inside, as the license asks of a
modified version). ``lib.icon_font.FontSubsetMiddleware`` answers the browser's request for Streamlit's
file with it; when Streamlit is upgraded the file names change and the full fonts are served.
``tests/test_text_font.py`` fails when the app's text has a character the subset lacks.

A character outside the subset (in a user's imported file) is still drawn, in the browser's
fallback font. Pure (fontTools imported when building), no Streamlit import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from lib.icon_font import ROOT, streamlit_static

SUBSET_DIR = ROOT / "static" / "fonts"
FONT_PREFIX = "SourceSansVF-"
BASE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1: accents, « », °, ², ×, no-break space
    (0x0100, 0x017F),  # Latin Extended-A: Œ œ, and names
    (0x2000, 0x203A),  # spaces (narrow no-break U+202F), dashes, quotes ’, …, ‰, ‹ ›
    (0x2060, 0x2060),  # word joiner
    (0x20AC, 0x20AC),  # €
    (0x2190, 0x2193),  # arrows
    (0x2212, 0x2212),  # minus
    (0x2248, 0x2248), (0x2260, 0x2260), (0x2264, 0x2265),  # ≈ ≠ ≤ ≥
)
# the font's names (family, full, PostScript, unique, typographic, variations prefix): the SIL
# Open Font License reserves « Source » to Adobe's own versions; Streamlit's CSS names the family
# it draws with, so the page does not see this name
RENAMED_IDS = (1, 3, 4, 6, 16, 17, 21, 22, 25)
RENAMES = (("Source Sans 3", "Pacte Sans"), ("SourceSans3", "PacteSans"), ("Source Sans", "Pacte Sans"))
# OpenType features kept: fontTools' default set (kerning, standard and contextual ligatures,
# marks, local forms… everything a browser applies by itself, and fractions) and the figure
# styles a style sheet may ask for (Source Sans has proportional figures only, so only pnum is
# there to keep; tnum and lnum are named in case a later version has them)
EXTRA_FEATURES = ("tnum", "lnum", "pnum")
TEXT_SUFFIXES = (".csv", ".yaml", ".yml", ".json", ".geojson", ".md", ".txt")


def streamlit_fonts() -> list[Path]:
    """Streamlit's Source Sans files (upright and italic)."""
    return sorted((streamlit_static() / "media").glob(FONT_PREFIX + "*.woff2"))


def code_strings(roots: Iterable[Path] = (ROOT / "app.py", ROOT / "pages", ROOT / "lib")) -> set[str]:
    """Every character of the string literals of the app's Python code."""
    chars: set[str] = set()
    for root in roots:
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    chars |= set(node.value)
    return chars


def data_characters(roots: Iterable[Path] = (ROOT / "data", ROOT / "static" / "fr", ROOT / "static" / "carte")) -> set[str]:
    """Every character of the shipped data files (names of regions, bodies, sources…) and of
    Streamlit's French interface strings."""
    chars: set[str] = set()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.suffix == ".js"):
                chars |= set(path.read_text(encoding="utf-8", errors="replace"))
    return chars


def needed_characters() -> set[str]:
    """The characters the app's own text uses (code strings and data), controls excepted."""
    return {c for c in code_strings() | data_characters() if c.isprintable() or c in "\u00a0\u202f\u2060"}


def base_codepoints() -> set[int]:
    return {cp for lo, hi in BASE_RANGES for cp in range(lo, hi + 1)}


def layout_features() -> list[str]:
    """The OpenType features the subsets keep."""
    from fontTools import subset

    return [*subset.Options().layout_features, *EXTRA_FEATURES]


def build_subset(source: Path, codepoints: set[int], dest: Path) -> int:
    """Write the woff2 subset of ``source`` with ``codepoints`` (those the font has), every
    weight and the ``layout_features`` kept. Returns its size."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = layout_features()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(codepoints & set(font.getBestCmap())))
    sub.subset(font)
    for record in font["name"].names:  # a modified version does not bear the Reserved Font Name
        if record.nameID in RENAMED_IDS:
            text = record.toUnicode()
            for old, new in RENAMES:
                text = text.replace(old, new)
            record.string = text
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)
    return dest.stat().st_size


def font_characters(path: Path) -> set[str]:
    """The characters a font file maps."""
    from fontTools.ttLib import TTFont

    return {chr(cp) for cp in TTFont(path).getBestCmap()}
