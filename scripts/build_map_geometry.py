"""Write the map's geometry, prepared once, to ``static/carte/regions.json`` (committed).

Why: the region maps (``lib/offline_map.py``) are drawn by Vega-Lite in the page; the browser
loads this file from the app (``app/static/carte/regions.json``) and caches it, so no rerun sends
shapes again. It holds the 27 regions of before 2016 projected once (Lambert-93 in kilometres,
overseas regions in their inset boxes), their hatching for missing data, the inset frames and
labels. ``tests/test_offline_map.py`` fails when it no longer matches ``data/geo/``.

Usage: ``python scripts/build_map_geometry.py`` (after ``scripts/build_geo.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import geo, offline_map  # noqa: E402


def main() -> None:
    text = offline_map.geometry_json(geo.load_regions_geo())
    offline_map.GEOMETRY_FILE.parent.mkdir(parents=True, exist_ok=True)
    offline_map.GEOMETRY_FILE.write_text(text, encoding="utf-8")
    print(f"{offline_map.GEOMETRY_FILE.relative_to(offline_map.GEOMETRY_FILE.parents[2])}: {len(text) / 1000:.0f} KB")


if __name__ == "__main__":
    main()
