"""Fetch the browser assets the map needs and copy them into ``static/vendor/`` (run once; the
result is committed, so the app never needs a CDN).

Why: folium and streamlit-folium point the map's iframe at public CDNs (jsdelivr, cdnjs, ...).
Ministry networks filter those and this machine has no internet, so the map would be blank.
``lib/offline_map.py`` points every element at ``/app/static/vendor/...`` instead; Streamlit
serves ``./static`` there (``server.enableStaticServing``).

What is fetched: Leaflet 1.9.4 from the npm registry (``npm pack``), checked against the
registry's published sha512 integrity. Only ``dist/leaflet.js``, ``dist/leaflet.css`` and
``dist/images/`` are kept (plus the licence). jQuery, Bootstrap and awesome-markers are not
fetched: a map of GeoJSON shapes with tooltips does not use them (checked in Chromium with every
outside request blocked, tests/browser/test_carte_browser.py), and ``lib/offline_map.py`` drops
them from the elements it builds.

Usage: ``python scripts/fetch_static_assets.py`` (needs ``npm`` and access to the npm registry).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"

PACKAGES = {
    # name: (version, files kept from the package, sha512 integrity published by the registry)
    "leaflet": (
        "1.9.4",
        ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"],
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
    ),
}


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(name: str, version: str, keep: list[str], integrity: str) -> None:
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
        target = VENDOR / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for rel in keep:
            src = Path(tmp) / "package" / rel
            dst = target / Path(rel).name
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
        (target / "VERSION").write_text(f"{name}@{version}\n{integrity}\n", encoding="utf-8")
    print(f"{name}@{version} -> {target.relative_to(ROOT)}")


def main() -> None:
    for name, (version, keep, integrity) in PACKAGES.items():
        fetch(name, version, keep, integrity)


if __name__ == "__main__":
    main()
