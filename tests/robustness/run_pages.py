"""Run pages of the app with AppTest and print what each showed, as one JSON line per page.

usage: python -m tests.robustness.run_pages [PAGE ...]   (PAGE: accueil, carte, region, ...)
       python -m tests.robustness.run_pages --plan PLAN.json

Run in a fresh process by tests/robustness/test_damaged_data.py with ``PACTE_HLM_DATA`` pointing
at a copy of data/: the module-level paths then see the copy only. With a plan, the named file
of the copy is damaged in each way in turn (restored from ``original`` first), every cache is
emptied, and the listed pages are run; each JSON line then also carries the damage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.paths import ROOT

PAGES = {
    "accueil": ("pages/accueil.py", {}),
    "carte": ("pages/carte.py", {}),
    "region": ("pages/region.py", {"region": "53"}),
    "mutualisation": ("pages/mutualisation.py", {}),
    "donnees": ("pages/donnees.py", {}),
    "presentation": ("pages/presentation.py", {"presentation": "true", "sequence": "4"}),
}

#: parts of a page that read one file and are withheld, with its message in their place, when the
#: file is wrong: the address that shows the part (the page's own query is used otherwise)
PARTS = {
    ("mutualisation", "mutualisation_campagnes.yaml"): {"verif": "Rejouer une campagne", "campagne": "2015"},
    ("mutualisation", "sources_adresses.csv"): {"verif": "Rejouer une campagne", "campagne": "2015"},
    ("donnees", "sources_adresses.csv"): {},
    ("donnees", "figures_non_datees.csv"): {},
}


def run(page: str, query: dict | None = None) -> dict:
    path, default_query = PAGES[page]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for k, v in {**default_query, **(query or {})}.items():
        at.query_params[k] = v
    at.run()
    if page != "accueil":
        at.switch_page(path).run()
    out = {
        "page": page,
        "exception": [str(e.value)[:500] for e in at.exception],
        "errors": [str(e.value) for e in at.error],
        "warnings": [str(w.value) for w in at.warning],
        "sidebar": [str(w.value) for w in at.sidebar.warning],
        "titles": [str(t.value) for t in at.title],
        "n_elements": sum(1 for _ in at.main),
    }
    if page == "donnees":  # the import tab reads the reference territories
        tabs = [str(t.label) for t in at.tabs]
        out["tabs"] = tabs
    see_hidden_parts(at, page, out)
    return out


def see_hidden_parts(at: AppTest, page: str, out: dict) -> None:
    """Add what the page shows once its lazy parts are opened (« Données »: each tab in turn;
    every page: its folded expanders), built only then (``lib.ui.lazy``), as a reader would."""
    from lib.ui import donnees
    from tests.lazy_open import open_expanders, show_tab

    for label in out.get("tabs", [None]):
        if label is not None:
            show_tab(at, donnees.TAB_KEY, label)
        open_expanders(at)
        out["exception"] += [str(e.value)[:500] for e in at.exception]
        out["errors"] += [str(e.value) for e in at.error if str(e.value) not in out["errors"]]
        out["warnings"] += [str(w.value) for w in at.warning if str(w.value) not in out["warnings"]]


def damage(path: Path, original: bytes, how: str) -> None:
    """Damage ``path`` (whose good content is ``original``) as a failed copy or a bad disk would."""
    if how == "missing":
        path.unlink(missing_ok=True)
        return
    if how == "empty":
        data = b""
    elif how == "truncated":  # cut at a line end: still parses, half the rows gone
        lines = original.splitlines(keepends=True)
        data = b"".join(lines[: max(1, len(lines) // 2)]) if len(lines) > 1 else original[: len(original) // 2]
    elif how == "cut":  # cut in the middle of a line
        data = original[: len(original) // 2 + 7]
    elif how == "corrupt":  # bytes of a middle line overwritten, line count kept
        lines = original.splitlines(keepends=True)
        i = len(lines) // 2
        body = lines[i].rstrip(b"\r\n")
        garbage = (b"\xff\xfe\x00\x9c" * (len(body) // 4 + 1))[: max(len(body), 4)]
        lines[i] = garbage + lines[i][len(body):]
        data = b"".join(lines)
    else:
        raise ValueError(how)
    path.write_bytes(data)


def clear_caches() -> None:
    """Empty Streamlit's caches and every lru_cache of the project's modules."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    for name, module in list(sys.modules.items()):
        if name == "lib" or name.startswith("lib."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def run_plan(plan: dict) -> None:
    from lib import paths

    path = paths.DATA / plan["file"]
    original = Path(plan["original"]).read_bytes()
    for step in plan["steps"]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(original)
        damage(path, original, step["damage"])
        for page in step["pages"]:
            clear_caches()
            try:
                out = run(page, PARTS.get((page, plan["file"])))
            except Exception as exc:  # noqa: BLE001 - reported, the caller asserts
                out = {"page": page, "exception": [f"runner: {type(exc).__name__}: {exc}"[:500]],
                       "errors": [], "warnings": [], "sidebar": [], "titles": [], "n_elements": 0}
            print(json.dumps({**out, "damage": step["damage"]}, ensure_ascii=False), flush=True)
    path.write_bytes(original)


def main() -> None:
    if sys.argv[1:2] == ["--plan"]:
        run_plan(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
        return
    for page in sys.argv[1:] or list(PAGES):
        try:
            print(json.dumps(run(page), ensure_ascii=False), flush=True)
        except Exception as exc:  # noqa: BLE001 - reported, the caller asserts
            print(json.dumps({"page": page, "exception": [f"runner: {type(exc).__name__}: {exc}"[:500]],
                              "errors": [], "warnings": [], "sidebar": [], "titles": [], "n_elements": 0}), flush=True)


if __name__ == "__main__":
    main()
