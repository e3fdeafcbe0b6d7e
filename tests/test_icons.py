"""Icons are Material icons (shipped with Streamlit), never emoji: a ministry PC without an emoji
font shows an empty box for 🗺️ 📍 🖨️."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")


def test_no_emoji_in_pages_or_ui_code():
    offenders = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lib").rglob("*.py")]:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if EMOJI.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert offenders == []


def test_icons_are_material():
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lib" / "ui").glob("*.py")]:
        for value in re.findall(r'icon="([^"]*)"', path.read_text(encoding="utf-8")):
            assert value.startswith(":material/"), f"{path.name}: {value}"
