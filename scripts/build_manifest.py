"""Write data/manifest.json: SHA-256, size and line count of every shipped data file.

Run by ``make data`` after the build scripts (and by hand after editing a file of data/ on
purpose): lib/integrity.py compares each file with it to refuse a file cut short, empty or broken.
A test (tests/robustness/test_damaged_data.py) fails while the manifest does not match data/.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib import integrity  # noqa: E402


def main() -> None:
    directory = integrity.data_dir()
    manifest = integrity.build_manifest(directory)
    missing = sorted(set(integrity.FILES) - set(manifest["fichiers"]))
    if missing:
        raise SystemExit(f"fichiers absents de {directory} : {', '.join(missing)}")
    out = directory / integrity.MANIFEST_NAME
    out.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{out} : {len(manifest['fichiers'])} fichiers")


if __name__ == "__main__":
    main()
