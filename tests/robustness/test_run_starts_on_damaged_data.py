"""The server starts whatever the shipped data: ``run.py`` preloads the pages' modules before it
answers, and some of them read a data file as they load. A damaged or missing file must be left to
the page that needs it (which names it in French), never stop the whole server with a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("damage", ["mutualisation_hypotheses.yaml", "pacte_parametres.yaml"])
def test_run_imports_with_a_damaged_data_file(damage, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    if damage == "pacte_parametres.yaml":
        (copy / damage).write_text("objectifs: [\n  pas du YAML", encoding="utf-8")
    else:
        (copy / damage).unlink()
    env = {**os.environ, "PACTE_HLM_DATA": str(copy), "PACTE_HLM_DB": str(tmp_path / "store.sqlite3")}
    code = "import run; names = run.preload(); print(*sorted(names)); print('modules', len(names))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "modules" in done.stdout
    # the modules that did not need the file were preloaded all the same
    assert int(done.stdout.split()[-1]) > 10
    # and so were the simulator's, which read the files on first use, not on import: its page
    # checks them first and names the damaged one (tests/robustness/test_damaged_data.py)
    assert {"lib.views.mutualisation", "lib.ui.mutualisation", "lib.ui.presentation"} <= set(done.stdout.split())
    # the simulator's warm-up failed on the file: said in the log, not swallowed
    assert "not warmed up: simulator" in done.stderr, done.stderr[-2000:]
