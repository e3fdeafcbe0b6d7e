"""Damaged-data matrix: each shipped data file missing, empty, cut at a line end, cut mid-line and
with bytes overwritten, × each page (AppTest, through app.py), on a copy of data/ (the real files
are never touched; ``PACTE_HLM_DATA`` points the app at the copy, in a fresh process per file).

Expected: never a Python traceback; a page that needs the file stops with a French message that
names the file, says what is wrong and how to rebuild it; a page that does not need it works
(an optional part says so in a warning). Pages that do not read the file at all are run once,
with the file missing (the other damages would repeat the same run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from lib import integrity, paths
from lib.plain_text import visible
from tests.robustness.run_pages import PAGES, PARTS

DAMAGES = ("missing", "empty", "truncated", "cut", "corrupt")
SHIPPED = (*integrity.FILES, integrity.MANIFEST_NAME)


def shown(items: list[str]) -> str:
    return visible("\n".join(items)).replace("\\", "")


def run_matrix(name: str, tmp_path) -> list[dict]:
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)
    original = tmp_path / "original"
    original.write_bytes((paths.DATA / name).read_bytes())
    needing = [p for p in PAGES if name in integrity.PAGE_FILES.get(p, ())]
    partly = [p for p in PAGES if name in integrity.PAGE_OPTIONAL.get(p, {})]
    others = [p for p in PAGES if p not in needing and p not in partly]
    steps = [{"damage": d, "pages": needing + partly + (others if d == "missing" else [])} for d in DAMAGES]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"file": name, "original": str(original),
                                "steps": [s for s in steps if s["pages"]]}), encoding="utf-8")
    env = {**os.environ, "PACTE_HLM_DATA": str(copy), "PACTE_HLM_DB": str(tmp_path / "store.sqlite3")}
    out = subprocess.run([sys.executable, "-m", "tests.robustness.run_pages", "--plan", str(plan)],
                         cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=1500, check=False)
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    expected = sum(len(s["pages"]) for s in steps)
    assert len(results) == expected, out.stderr[-3000:]
    return results


@pytest.mark.parametrize("name", SHIPPED)
def test_damaged_file_gives_a_french_message_and_never_a_traceback(name, tmp_path):
    needing = {p for p in PAGES if name in integrity.PAGE_FILES.get(p, ())}
    for r in run_matrix(name, tmp_path):
        case = f"{name} {r['damage']} → page {r['page']}"
        assert not r["exception"], f"{case} : trace Python {r['exception']}"
        assert r["titles"], f"{case} : page sans titre"
        errors, warnings = shown(r["errors"]), shown(r["warnings"])
        # the frame lists the file to rebuild in the sidebar of every page (AppTest keeps the
        # sidebar of the first run only, the home page's: checked there)
        if name != integrity.MANIFEST_NAME and r["page"] == "accueil":
            fault = {"missing": "(introuvable)", "empty": "(vide)"}.get(r["damage"], "")
            assert f"data/{name} {fault}" in shown(r["sidebar"]), f"{case} : barre latérale : {r['sidebar']}"
        if r["page"] in needing:
            assert "ne peut pas s'afficher" in errors, f"{case} : {errors}"
            assert f"data/{name}" in errors, f"{case} : le fichier n'est pas nommé : {errors}"
            assert ("make data" in errors) or ("git checkout -- data/" in errors), f"{case} : pas de remède : {errors}"
            assert "Les pages qui n'en dépendent pas restent utilisables" in errors
            assert r["n_elements"] < 12, f"{case} : la page a continué ({r['n_elements']} éléments)"
        elif name in integrity.PAGE_OPTIONAL.get(r["page"], {}):
            assert f"data/{name}" in warnings and "le reste de la page fonctionne" in warnings, f"{case} : {warnings}"
            assert "ne peut pas s'afficher" not in errors, f"{case} : {errors}"
            if (r["page"], name) in PARTS:  # the part itself is withheld, its message in its place
                assert "est indisponible." in warnings, f"{case} : partie dessinée quand même : {warnings}"
        else:
            assert not r["errors"], f"{case} : erreur sur une page qui n'en dépend pas : {errors}"


def test_manifest_matches_the_shipped_files():
    """Rebuild it with « make data » (or scripts/build_manifest.py) after changing data/ on purpose."""
    recorded = json.loads((paths.DATA / integrity.MANIFEST_NAME).read_text(encoding="utf-8"))["fichiers"]
    current = integrity.build_manifest()["fichiers"]
    stale = sorted(n for n in set(recorded) | set(current) if recorded.get(n) != current.get(n))
    assert not stale, f"data/manifest.json ne correspond plus à : {stale} ; lancez scripts/build_manifest.py"
    assert set(current) == set(integrity.FILES)


def test_every_shipped_file_is_checked_and_every_page_declares_its_files():
    from lib import sources

    listed = {e["fichier"] for e in sources.load_catalogue()}
    assert listed - {integrity.MANIFEST_NAME} == set(integrity.FILES)
    assert set(integrity.PAGE_FILES) == set(PAGES)
    assert integrity.all_problems() == []
