"""The Source Sans subsets served in place of Streamlit's interface fonts hold every character
of the app's French text, data names and formats, keep every weight, and only the requests for
those fonts are answered with them."""

from __future__ import annotations

import re

import pytest
from fontTools.ttLib import TTFont

from lib import text_font
from lib.icon_font import FontSubsetMiddleware
from tests.test_icon_font import _serve  # the same fake Streamlit answer

FULL = text_font.streamlit_fonts()
HINT = "run: python scripts/build_text_font.py"
FRENCH = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»’–—…€\u202f\u00a0²°×−≤≥→←‰0123456789%,.;:!?()'\"/-+="


def _subset(full):
    return text_font.SUBSET_DIR / full.name


def test_a_subset_is_built_for_each_installed_streamlit_source_sans():
    assert {f.name.split(".")[0] for f in FULL} == {"SourceSansVF-Upright", "SourceSansVF-Italic"}
    for full in FULL:
        assert _subset(full).exists(), HINT
        assert _subset(full).stat().st_size < full.stat().st_size / 2


@pytest.mark.parametrize("full", FULL, ids=lambda f: f.name.split(".")[0])
def test_subset_holds_every_character_of_the_app_text_the_font_has(full):
    needed = text_font.needed_characters()
    assert {"é", "’", "\u202f", "€", "«"} <= needed, "the scan reads the code's strings and the data"
    has = text_font.font_characters(full)
    held = text_font.font_characters(_subset(full))
    missing = (needed | set(FRENCH)) & has - held
    assert not missing, f"{sorted(missing)}: {HINT}"


@pytest.mark.parametrize("full", FULL, ids=lambda f: f.name.split(".")[0])
def test_subset_keeps_the_weights_and_the_features(full):
    orig, sub = TTFont(full), TTFont(_subset(full))
    assert [a.axisTag for a in sub["fvar"].axes] == ["wght"]
    assert [(a.minValue, a.maxValue) for a in sub["fvar"].axes] == [(a.minValue, a.maxValue) for a in orig["fvar"].axes]
    features = ({r.FeatureTag for r in sub["GSUB"].table.FeatureList.FeatureRecord}
                | {r.FeatureTag for r in sub["GPOS"].table.FeatureList.FeatureRecord})
    had = ({r.FeatureTag for r in orig["GSUB"].table.FeatureList.FeatureRecord}
           | {r.FeatureTag for r in orig["GPOS"].table.FeatureList.FeatureRecord})
    # what a browser applies by itself is kept wherever the font has it; small capitals,
    # superiors, old-style figures and stylistic sets, which nothing asks for, are not
    assert {"liga", "kern", "ccmp", "locl"} & had <= features
    assert features <= set(text_font.layout_features())  # (a feature whose glyphs all went goes too)
    assert not {"smcp", "sups", "onum", "ss01"} & features
    assert "Source" not in sub["name"].getDebugName(1), "a modified version is renamed (SIL OFL)"


def test_middleware_serves_the_subset_for_source_sans_only():
    full = next(f for f in FULL if "Upright" in f.name)
    subset = _subset(full).read_bytes()

    def serve(path, **kw):  # built the way run.py builds it
        return _serve(text_font.SUBSET_DIR, path, **kw,
                      middleware=lambda app, d: FontSubsetMiddleware(app, d, text_font.FONT_PREFIX))

    status, headers, body = serve(f"/static/media/{full.name}")
    assert status == 200 and body == subset
    assert headers[b"content-length"] == str(len(subset)).encode() and headers[b"etag"] != b'"x"'
    assert headers[b"cache-control"].startswith(b"public")  # Streamlit's caching kept
    assert serve(f"/static/media/{full.name}", method="HEAD")[2] == b""
    assert serve("/static/media/SourceSansVF-Upright.ttf.other.woff2")[2] == b"full"
    assert serve(f"/static/media/{full.name}", status=304)[2] == b"full"
    assert serve("/static/media/MaterialSymbols-Rounded.nEdyypZU.woff2")[2] == b"full"


def test_no_style_sheet_of_the_app_asks_for_a_feature_the_subsets_dropped():
    """A ``font-feature-settings`` or ``font-variant-*`` in our CSS would silently fall back to
    the plain glyphs: each one must name kept features (or the subset must keep more)."""
    asked = {"small-caps": "smcp", "all-small-caps": "c2sc", "oldstyle-nums": "onum", "tabular-nums": "tnum",
             "lining-nums": "lnum", "proportional-nums": "pnum", "diagonal-fractions": "frac", "ordinal": "ordn",
             "slashed-zero": "zero", "super": "sups", "sub": "subs", "titling-caps": "titl",
             "petite-caps": "pcap", "unicase": "unic", "discretionary-ligatures": "dlig",
             "common-ligatures": "liga", "contextual": "calt", "stacked-fractions": "afrc"}
    kept = set(text_font.layout_features())
    sources = [text_font.ROOT / "app.py", *(text_font.ROOT / "pages").glob("*.py"),
               *(text_font.ROOT / "lib").rglob("*.py"), *(text_font.ROOT / "static").rglob("*.css")]
    wanted: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for prop, value in re.findall(r"font-(feature-settings|variant[a-z-]*)\s*:\s*([^;}]+)", text):
            if prop == "feature-settings":
                wanted |= set(re.findall(r"""["']([a-z0-9]{4})\\?["']""", value))  # "smcp", 'smcp', \"smcp\"
                continue
            words = set(re.findall(r"[a-z-]+", value)) - {"normal", "none", "inherit", "initial", "unset"}
            assert words <= set(asked), f"{path.name}: font-{prop}: {sorted(words - set(asked))} not in the table"
            wanted |= {asked[w] for w in words}
    assert wanted <= kept, sorted(wanted - kept)
