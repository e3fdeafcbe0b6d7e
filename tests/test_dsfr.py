"""DSFR tokens and fonts: read from the npm package's files, Marianne off unless a deployment says."""

import tomllib

from lib import dsfr
from lib.paths import ROOT


def test_tokens_come_from_the_dsfr_package():
    assert dsfr.colour(dsfr.BLEU_FRANCE) == "#000091"
    assert dsfr.colour(dsfr.ROUGE_MARIANNE) == "#e1000f"
    assert dsfr.tokens()["focus"]["color"] == "#0a76f6"
    assert dsfr.tokens()["type_scale"]["h1"]["font-size"] == "2.5rem"
    version = (dsfr.VENDOR / "dsfr" / "VERSION").read_text(encoding="utf-8")
    assert version.startswith("@gouvfr/dsfr@1.15.3")


def test_streamlit_theme_uses_the_dsfr_colours():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    expected = {
        "primaryColor": dsfr.BLEU_FRANCE,
        "textColor": dsfr.TEXT_DEFAULT,
        "backgroundColor": dsfr.BACKGROUND,
        "secondaryBackgroundColor": dsfr.BACKGROUND_ALT,
        "borderColor": dsfr.BORDER,
        "linkColor": dsfr.BLEU_FRANCE,
        "redColor": "error-425-625",
        "orangeColor": "warning-425-625",
        "greenColor": "success-425-625",
        "blueColor": "info-425-625",
    }
    for option, token in expected.items():
        assert theme[option].lower() == dsfr.colour(token), option


def test_marianne_is_off_by_default_and_declared_for_when_it_is_on():
    assert not dsfr.marianne_enabled({})
    assert dsfr.marianne_enabled({dsfr.MARIANNE_ENV: "1"})
    assert "Marianne" not in dsfr.font_stack(False)
    assert dsfr.font_stack(True).startswith("Marianne")
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert "Marianne" not in theme.get("font", "")
    faces = {f["url"].rsplit("/", 1)[-1] for f in theme["fontFaces"] if f["family"] == "Marianne"}
    assert faces == {name for name, _, _ in dsfr.MARIANNE_FACES}
    for name in faces:
        assert (dsfr.MARIANNE_DIR / name).is_file()


def test_export_fonts_are_truetype_files():
    for marianne in (False, True):
        dirs = dsfr.export_font_dirs(marianne)
        assert all(any(d.glob("*.ttf")) for d in dirs)
    assert dsfr.MARIANNE_DIR not in dsfr.export_font_dirs(False)
