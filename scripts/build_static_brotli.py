"""Fill the store of best-quality brotli bundles that ``lib.static_gzip`` serves (var/, not committed).

Why: ``lib/static_gzip.py``. A server compresses a bundle at brotli's best quality (about 3 s of
CPU a megabyte) on a background thread the first time it serves it; run this once after setup or
after upgrading Streamlit and no server ever has to:
``.venv/bin/python scripts/build_static_brotli.py``
(about a minute and a half on one core for all of Streamlit's bundles; files already stored are
skipped; the app's own ``static/`` files, the map geometry among them, too). ``--jobs N`` uses N processes.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import static_gzip  # noqa: E402
from lib.icon_font import ROOT, streamlit_static  # noqa: E402

SUFFIXES = (".js", ".css", ".json", ".svg", ".ttf", ".wasm", ".txt", ".html")


def bundles(root: Path) -> list[Path]:
    """Streamlit's front-end files a browser may be sent compressed."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in SUFFIXES
                  and p.stat().st_size >= static_gzip.MIN_SIZE)


def _store(path: Path) -> tuple[int, int]:
    body = path.read_bytes()
    return len(body), len(static_gzip.write_store(static_gzip.STORE_DIR, body))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    # Streamlit's bundles, and the app's own static files (the map geometry: /app/static/)
    todo = [p for p in bundles(streamlit_static()) + bundles(ROOT / "static")
            if not static_gzip.store_path(static_gzip.STORE_DIR, p.read_bytes()).exists()]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        sizes = list(pool.map(_store, todo))
    plain, packed = sum(s for s, _ in sizes), sum(c for _, c in sizes)
    print(f"{static_gzip.STORE_DIR}: {len(todo)} bundles stored ({plain / 1e6:.1f} MB -> {packed / 1e6:.1f} MB) "
          f"in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
