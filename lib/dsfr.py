"""The State design system (DSFR) as the app uses it: colour tokens, focus ring, type scale, fonts.

The tokens come from the npm package ``@gouvfr/dsfr`` (``static/vendor/dsfr/tokens.json``, written
by ``scripts/fetch_static_assets.py``), so no colour of the State palette is typed by hand here.

Fonts: the Marianne font is reserved to State services by the DSFR's terms, so it is switched off
by default and the app uses Source Sans 3 (SIL Open Font License), which Streamlit already bundles
for the browser; ``static/vendor/source-sans/`` holds its TrueType files for the chart exports.
A ministry deployment turns Marianne on with the environment variable ``PACTE_HLM_MARIANNE=1``
(read by ``run.py`` for Streamlit's ``theme.font``, and here for charts, exports and reports).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from lib.paths import STATIC

VENDOR = STATIC / "vendor"
TOKENS_FILE = VENDOR / "dsfr" / "tokens.json"
MARIANNE_DIR = VENDOR / "dsfr" / "fonts"
FREE_FONT_DIR = VENDOR / "source-sans"
MARIANNE_ENV = "PACTE_HLM_MARIANNE"

# CSS font stacks. "Source Sans" is the family name under which Streamlit's bundle loads Source
# Sans 3 in the browser; "Source Sans 3" the name in the TrueType files (quoted: it ends in a digit).
FREE_FONT_STACK = "'Source Sans 3', 'Source Sans', sans-serif"
MARIANNE_FONT_STACK = "Marianne, arial, sans-serif"
# Served at /app/static/... (server.enableStaticServing); Streamlit's theme.fontFaces entries.
MARIANNE_FACES = (
    ("Marianne-Regular.woff2", "400", "normal"),
    ("Marianne-Regular_Italic.woff2", "400", "italic"),
    ("Marianne-Medium.woff2", "500", "normal"),
    ("Marianne-Bold.woff2", "700", "normal"),
)


@lru_cache(maxsize=1)
def tokens() -> Mapping:
    """The DSFR tokens (light theme): ``colours`` by token name, ``focus``, ``type_scale``."""
    data = json.loads(TOKENS_FILE.read_text(encoding="utf-8"))
    return MappingProxyType({k: MappingProxyType(v) for k, v in data.items()})


def colour(name: str) -> str:
    """A DSFR colour token as hex, e.g. ``colour("blue-france-sun-113-625")`` -> ``#000091``."""
    try:
        return tokens()["colours"][name]
    except KeyError as err:
        raise KeyError(f"jeton DSFR inconnu : {name}") from err


# The few tokens the app names (decision tokens where the DSFR has one).
BLEU_FRANCE = "blue-france-sun-113-625"
ROUGE_MARIANNE = "red-marianne-main-472"
TEXT_TITLE = "text-title-grey"
TEXT_DEFAULT = "text-default-grey"
TEXT_MENTION = "text-mention-grey"
BACKGROUND = "background-default-grey"
BACKGROUND_ALT = "background-alt-grey"
BORDER = "border-default-grey"


def marianne_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """True when the deployment has turned the Marianne font on (``PACTE_HLM_MARIANNE=1``)."""
    env = os.environ if environ is None else environ
    return env.get(MARIANNE_ENV, "").strip().lower() in ("1", "true", "oui", "yes")


def font_stack(marianne: bool | None = None) -> str:
    """The CSS font stack of text, charts and reports. Marianne is named only when it is on, so
    a copy installed on a user's machine is not picked up by a deployment that may not use it."""
    on = marianne_enabled() if marianne is None else marianne
    return f"{MARIANNE_FONT_STACK.split(',')[0]}, {FREE_FONT_STACK}" if on else FREE_FONT_STACK


def export_font_dirs(marianne: bool | None = None) -> list[Path]:
    """Font directories the chart exporter registers (TrueType files, read by vl-convert)."""
    on = marianne_enabled() if marianne is None else marianne
    return [FREE_FONT_DIR, *([MARIANNE_DIR] if on else [])]
