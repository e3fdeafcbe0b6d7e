"""Write the Material Symbols subset served in place of Streamlit's full icon font (committed).

Why and how: ``lib/icon_font.py``. Run it again after adding an icon to the code or upgrading
Streamlit (``tests/test_icon_font.py`` says when): ``python scripts/build_icon_font.py``.
Needs fontTools (pinned in scripts/requirements-build.txt; weasyprint already installs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fontTools.ttLib import TTFont  # noqa: E402

from lib import icon_font  # noqa: E402


def main() -> None:
    source = icon_font.streamlit_font()
    known = set(icon_font.ligatures(TTFont(source)))
    wanted = icon_font.code_icons() | icon_font.frontend_icons(known)
    missing = sorted(icon_font.code_icons() - known)
    if missing:
        sys.exit(f"icons named in the code but not in Material Symbols: {missing}")
    for old in icon_font.SUBSET_DIR.glob(icon_font.FONT_PREFIX + "*.woff2"):
        old.unlink()
    dest = icon_font.SUBSET_DIR / source.name
    size, kept = icon_font.build_subset(source, wanted, dest)
    print(f"{dest.relative_to(icon_font.ROOT)}: {len(kept)} icons, {size / 1000:.0f} KB "
          f"(Streamlit's full font: {source.stat().st_size / 1000:.0f} KB)")


if __name__ == "__main__":
    main()
