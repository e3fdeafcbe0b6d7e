"""Map page benchmark: what the browser receives for the map, and how long a rerun takes.

usage: .venv/bin/python bench/bench_carte.py
Prints: the geometry file loaded once per browser (static/carte/regions.json, raw and gzip as
the app serves it), what a change of indicator/year sends (the fixed spec and the table of 27
values), and AppTest timings of the map page (first run, rerun after a year change, after an
indicator change). Timings are wall-clock on this machine, best of 3. The real-browser figures
and ratios are in bench/bench_browser.py.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from lib import data, geo, offline_map, params, targets  # noqa: E402
from lib.views import carte as carte_view  # noqa: E402


def map_payload() -> tuple[int, int]:
    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    table = targets.indicator_table(figures, regions, pact, "production", "2015")
    values, _ = carte_view.map_values(table, "production", "Logements sociaux financés", "2015")
    spec = offline_map.choropleth_spec(values, carte_view.MAP_TOOLTIP, priority_codes=("11", "93", "91"),
                                       select="region")
    spec.pop("datasets")
    return len(json.dumps(spec).encode()), len(values.to_csv(index=False).encode())


def best(fn, n=3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    raw = offline_map.GEOMETRY_FILE.read_bytes()
    spec, values = map_payload()
    print(f"geometry (once)        : {len(raw) / 1024:,.0f} KiB ({len(gzip.compress(raw)) / 1024:,.0f} KiB gzip)")
    print(f"per change             : spec {spec / 1024:,.1f} KiB (unchanged, not redrawn) + values {values / 1024:,.1f} KiB")

    app = str(ROOT / "app.py")

    def first():
        at = AppTest.from_file(app, default_timeout=120)
        at.switch_page("pages/carte.py")
        at.run()
        assert not at.exception
        return at

    at = first()
    print(f"first run (AppTest)    : {best(first):.2f} s")
    years = iter(["2014", "2013", "2015"] * 3)
    print(
        f"rerun, year changed    : {best(lambda: at.selectbox(key='carte_periode_production').set_value(next(years)).run()):.2f} s"
    )
    inds = iter(["taux", "production", "rehab"] * 3)
    print(
        f"rerun, indicator changed: {best(lambda: at.selectbox(key='carte_indicateur').set_value(next(inds)).run()):.2f} s"
    )


if __name__ == "__main__":
    main()
