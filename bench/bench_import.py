"""Time and memory of the importer on hostile and oversized files (prints figures; no thresholds).

usage: .venv/bin/python bench/bench_import.py [--case NAME ...] [--timeout S] [--root DIR]

Each case runs in a fresh Python process (so that peaks do not add up) that imports the file the
way the page does (``read_table``, proposed mapping, ``build_dataset``) and reports: wall and CPU
time, peak resident memory, resident memory before and after (once the result or the refusal is
dropped and the garbage collected), and the start of the message. Cases:

- ``bzip2_bomb``: 1,1 Go of XML packed with bzip2 into a workbook of a few Ko that declares 4 Ko;
- ``deflate_bomb``: 400 Mo packed with deflate, declaring 4 Ko;
- ``big_sheet``: 199 990 rows × 40 numeric cells, 0,6 Mo (inside every stated limit);
- ``big_sheet_10``: 199 990 rows × 10 columns (a large but legitimate extract);
- ``big_csv``: 199 990 rows × 12 as a CSV (6 Mo).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = ("bzip2_bomb", "deflate_bomb", "big_sheet", "big_sheet_10", "big_csv")

CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path

def status_mb(key):
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across execve, so it would report the parent's peak
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")

def rss_mb():
    return status_mb("VmRSS")

from lib import importer as im
from lib.errors import DataError
content = Path(sys.argv[2]).read_bytes()
name = sys.argv[3]
im.load_reference()
gc.collect()
before = rss_mb()
t0, c0 = time.perf_counter(), time.process_time()
try:
    raw = im.read_table(content, name, "figures")
    ds = im.build_dataset(raw, "figures", im.propose_mapping(raw, "figures"))
    message = f"accepté : {ds.rows} lignes"
except DataError as err:
    message = str(err).split(chr(10))[0]
    raw = ds = None
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = status_mb("VmHWM")
del raw, ds
getattr(im, "release_memory", gc.collect)()
after = rss_mb()
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "rss_before_mb": before, "peak_mb": peak,
                  "rss_after_mb": after, "message": message}))
"""


def build(case: str) -> tuple[bytes, str]:
    sys.path.insert(0, str(ROOT / "tests" / "robustness"))
    import corpus

    if case == "bzip2_bomb":
        return corpus.bzip2_bomb_xlsx(), "bombe.xlsx"
    if case == "deflate_bomb":
        return corpus.deflate_bomb_xlsx(), "bombe_deflate.xlsx"
    if case == "big_sheet":
        return corpus.big_sheet_xlsx(), "grand.xlsx"
    if case == "big_sheet_10":
        return corpus.big_sheet_xlsx(columns=10), "grand_10_colonnes.xlsx"
    if case == "big_csv":
        header = ";".join(["Code région", "Année", "Nombre de logements financés",
                           *(f"Colonne {i + 1}" for i in range(3, 12))])
        row = ";".join(["11", "2014", *(str(i + 1) for i in range(2, 12))])
        return (header + "\n" + (row + "\n") * 199_990).encode(), "grand.csv"
    raise SystemExit(f"unknown case {case}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", choices=CASES)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="checkout whose lib.importer is measured (e.g. an export of an older commit)")
    args = ap.parse_args()
    tmp = Path("/tmp") / "bench_import"
    tmp.mkdir(exist_ok=True)
    print(f"{'cas':<14} {'fichier':>9} {'temps':>8} {'CPU':>8} {'RSS avant':>10} {'pic':>8} {'RSS après':>10}  message")
    for case in args.case or CASES:
        content, name = build(case)
        path = tmp / name
        path.write_bytes(content)
        t0 = time.perf_counter()
        try:
            out = subprocess.run([sys.executable, "-c", CHILD, str(args.root), str(path), name], capture_output=True,
                                 text=True, timeout=args.timeout, check=False)
        except subprocess.TimeoutExpired:
            print(f"{case:<14} {len(content) / 1e6:>7.2f}Mo  > {args.timeout:.0f} s (arrêté)")
            continue
        if out.returncode != 0:
            print(f"{case:<14} échec ({time.perf_counter() - t0:.0f} s) : {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{case:<14} {len(content) / 1e6:>7.2f}Mo {r['wall_s']:>7.1f}s {r['cpu_s']:>7.1f}s "
              f"{r['rss_before_mb']:>8.0f}Mo {r['peak_mb']:>6.0f}Mo {r['rss_after_mb']:>8.0f}Mo  {r['message'][:90]}")


if __name__ == "__main__":
    main()
