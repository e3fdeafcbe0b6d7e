"""Timings of the mutualisation simulator (prints figures; no thresholds).

usage: .venv/bin/python bench/bench_mutualisation.py [--no-apptest]

- engine on the 22 regions of the preset, and one full « slider move » computation
  (regional inputs + engine + aggregation, what the page does on each move);
- AppTest: a slider moved on the page until the new total is rendered (server side, whole page);
- engine at 800 HLM bodies × 3 years and at 35 000 communes (synthetic inputs, seeded).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.mutualisation import MutualisationParams, aggregate_by_region, goal_seek, simulate  # noqa: E402
from lib.mutualisation_inputs import preset_assumptions, regional_inputs  # noqa: E402

REGIONS = [
    "11",
    "21",
    "22",
    "23",
    "24",
    "25",
    "26",
    "31",
    "41",
    "42",
    "43",
    "52",
    "53",
    "54",
    "72",
    "73",
    "74",
    "82",
    "83",
    "91",
    "93",
    "94",
]


def timeit(fn, repeat: int = 20) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), max(runs)


def synthetic(n_units: int, years: tuple[int, ...], seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for year in years:
        stock = rng.lognormal(8, 1.2, n_units)
        frames.append(
            pd.DataFrame(
                {
                    "code": [f"u{i:05d}" for i in range(n_units)],
                    "region_code": rng.choice(REGIONS, n_units),
                    "annee": year,
                    "logements_zone_1_1bis": rng.poisson(20, n_units) * (rng.random(n_units) < 0.2),
                    "logements_zone_2_3": rng.poisson(60, n_units),
                    "prets_rehabilitation_eur": rng.gamma(2, 1e6, n_units),
                    "logements_restructures": rng.poisson(8, n_units),
                    "loyers_eur": stock * 4500,
                    "patrimoine_logements": stock,
                    "cotisation_cglls_eur": stock * 70,
                    "part_exoneree": (rng.random(n_units) < 0.03).astype(float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def line(label: str, med: float, worst: float) -> None:
    print(f"{label:<58} médiane {med:8.1f} ms   max {worst:8.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-apptest", action="store_true")
    args = ap.parse_args()
    params = MutualisationParams.from_pact(2013)
    a = preset_assumptions()
    inputs = regional_inputs(a, 2013)
    res = simulate(inputs, params)
    print(f"Préréglage « Hypothèses du pacte » : fonds {res.totals['fonds_total_eur'] / 1e6:.2f} M€")
    line("moteur, 22 régions", *timeit(lambda: simulate(inputs, params)))
    line(
        "déplacement de curseur (entrées + moteur + agrégation)",
        *timeit(lambda: aggregate_by_region(simulate(regional_inputs(a.replace(production_hlm=125000), 2013), params))),
    )
    line(
        "recherche de valeur cible (aide zone 1, 280 M€)",
        *timeit(lambda: goal_seek(inputs, params, "aide_zone_1_1bis_eur", 280e6), repeat=5),
    )

    bodies = synthetic(800, (2013, 2014, 2015))
    line("moteur, 800 organismes × 3 ans (2 400 lignes)", *timeit(lambda: simulate(bodies, params)))
    line(
        "  + agrégation par région et année",
        *timeit(lambda: aggregate_by_region(simulate(bodies, params), by_year=True)),
    )
    communes = synthetic(35_000, (2013,), seed=1)
    line("moteur, 35 000 communes", *timeit(lambda: simulate(communes, params), repeat=10))
    line("  + agrégation par région", *timeit(lambda: aggregate_by_region(simulate(communes, params)), repeat=10))

    if not args.no_apptest:
        import os
        import tempfile

        from streamlit.testing.v1 import AppTest

        os.environ["PACTE_HLM_DB"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        at = AppTest.from_file(str(ROOT / "pages" / "mutualisation.py"), default_timeout=120)
        t = time.perf_counter()
        at.run()
        print(f"{'AppTest, premier affichage de la page':<58} {(time.perf_counter() - t) * 1000:8.1f} ms")
        runs, compute_ms = [], []
        for v in (3400.0, 3500.0, 3600.0, 3700.0, 3800.0, 3900.0):
            t = time.perf_counter()
            at.slider(key="a_z1").set_value(v).run()
            runs.append((time.perf_counter() - t) * 1000)
            compute_ms.append(at.session_state["mut_timing_ms"])
        line("AppTest, curseur → total affiché (page entière)", statistics.median(runs), max(runs))
        line("  dont calcul (mesuré dans la page)", statistics.median(compute_ms), max(compute_ms))
        print(
            "Navigateur réel : tests/browser/test_mutualisation_browser.py imprime le délai "
            "curseur → total affiché (pytest -s)."
        )


if __name__ == "__main__":
    main()
