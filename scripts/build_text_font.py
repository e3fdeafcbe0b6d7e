"""Write the Source Sans subsets served in place of Streamlit's interface fonts (committed).

Why and how: ``lib/text_font.py``. Run it again after adding text with a new character or
upgrading Streamlit (``tests/test_text_font.py`` says when): ``python scripts/build_text_font.py``.
Needs fontTools (pinned in scripts/requirements-build.txt; weasyprint already installs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import text_font  # noqa: E402


def main() -> None:
    wanted = text_font.base_codepoints() | {ord(c) for c in text_font.needed_characters()}
    for old in text_font.SUBSET_DIR.glob(text_font.FONT_PREFIX + "*.woff2"):
        old.unlink()
    for source in text_font.streamlit_fonts():
        dest = text_font.SUBSET_DIR / source.name
        size = text_font.build_subset(source, wanted, dest)
        held = len(text_font.font_characters(dest))
        print(f"{dest.relative_to(text_font.ROOT)}: {held} characters, {size / 1000:.0f} KB "
              f"(Streamlit's: {source.stat().st_size / 1000:.0f} KB)")


if __name__ == "__main__":
    main()
