"""Map page benchmark: what the browser receives for the map, and how long a rerun takes.

usage: .venv/bin/python bench/bench_carte.py
Prints: the map's payload (the folium script + GeoJSON handed to st_folium on each change of
indicator/year, gzip size as sent over the websocket is smaller), the static assets loaded once
(Leaflet), and AppTest timings of the map page (first run, rerun after a year change, after an
indicator change). Timings are wall-clock on this machine, best of 3.
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit_folium import _get_header, _get_html, _get_map_string  # noqa: E402

from lib import data, geo, offline_map, params, targets  # noqa: E402
from lib.paths import STATIC  # noqa: E402


def map_payload() -> tuple[int, int]:
    figures, regions, pact = data.load_figures(), geo.load_regions(), params.load_params()
    obj = targets.regional_objectives(figures, regions, pact)
    table = targets.indicator_table(figures, regions, pact, "production", "2015", objectives=obj)
    gdf = offline_map.inset_overseas(geo.load_regions_geo()).merge(table.drop(columns=["region"]), on="code")
    colours, _ = offline_map.classify(gdf["valeur"])
    gdf["couleur"] = [c or "#cccccc" for c in colours]
    gdf["nature"] = gdf["nature"].fillna("manquant")
    m = offline_map.region_choropleth(gdf, [("nom", "Région"), ("source", "Source")], ["11", "93", "91"])
    m.get_root().render()
    payload = (_get_html(m) + _get_header(m) + _get_map_string(m)).encode()
    return len(payload), len(gzip.compress(payload))


def best(fn, n=3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    raw, gz = map_payload()
    assets = sum(p.stat().st_size for p in (STATIC / "vendor" / "leaflet").rglob("*") if p.is_file())
    print(f"map payload per render : {raw / 1024:,.0f} KiB ({gz / 1024:,.0f} KiB gzip)")
    print(f"static assets (once)   : {assets / 1024:,.0f} KiB (static/vendor/leaflet)")

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
