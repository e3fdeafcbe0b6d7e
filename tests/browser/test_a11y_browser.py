"""Accessibility checked by axe-core 4.12 (axe-playwright-python) on every page, in every tab,
with the expanders open (the maps are drawn in the page itself, so the page's check covers
them): no serious or critical violation on our
own content. What Streamlit itself causes is listed in ``STREAMLIT_KNOWN`` with its upstream
issue (and in the README), and is still counted in the report.

The report (violations by impact, per page) is written to ``$PACTE_AXE_REPORT`` (default: the
test's temporary folder) as ``axe-report.json``.
"""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path

import pytest

from tests.browser.page_walk import PAGES, each_view, open_page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("serious", "critical")

# rule id -> (a CSS fragment every offending node's target contains, upstream issue). Only
# Streamlit's own markup goes here; a violation in our content is never listed.
STREAMLIT_KNOWN: dict[str, tuple[str, str]] = {}

_REPORT: dict[str, dict] = {}


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _run(axe, frame) -> list[dict]:
    frame.evaluate(axe.axe_script)
    result = frame.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": TAGS}, "iframes": False, "resultTypes": ["violations"]},
    )
    return result["violations"]


def _streamlit_known(v: dict) -> str | None:
    known = STREAMLIT_KNOWN.get(v["id"])
    if known and all(known[0] in " ".join(map(str, n["target"])) for n in v["nodes"]):
        return known[1]
    return None


def _describe(v: dict) -> str:
    nodes = "; ".join(" ".join(map(str, n["target"])) + " " + n["html"][:120] for n in v["nodes"][:3])
    return f"{v['impact']} {v['id']} ({v['help']}): {nodes}"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    folder = Path(os.environ.get("PACTE_AXE_REPORT", tmp_path_factory.mktemp("axe")))
    folder.mkdir(parents=True, exist_ok=True)
    yield folder / "axe-report.json"
    # with pytest -n, each worker adds its pages to what the others wrote
    file = folder / "axe-report.json"
    merged = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    file.write_text(json.dumps({**merged, **_REPORT}, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation(app_server, offline_page, report_file, path):
    page = offline_page.page
    axe = _axe()
    open_page(page, app_server, path)
    by_rule: dict[str, dict] = {}
    views = 0
    for view in each_view(page):
        views += 1
        for v in _run(axe, page.main_frame):
            by_rule.setdefault(f"{v['id']}@{view or 'page'}", v)
    counts = collections.Counter(v["impact"] for v in by_rule.values())
    blocking = [v for v in by_rule.values() if v["impact"] in BLOCKING and not _streamlit_known(v)]
    _REPORT[path] = {
        "vues": views,
        "par_impact": dict(counts),
        "regles": sorted(by_rule),
        "streamlit": {k: _streamlit_known(v) for k, v in by_rule.items() if _streamlit_known(v)},
    }
    assert views >= 1
    assert blocking == [], "\n".join(_describe(v) for v in blocking)
