"""Domain logic stays importable without Streamlit: only lib/ui/ may import it."""

import ast
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib"


def test_only_lib_ui_imports_streamlit():
    offenders = []
    for path in LIB.rglob("*.py"):
        if "ui" in path.relative_to(LIB).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") or n.startswith("streamlit_folium") for n in names):
                offenders.append(str(path.relative_to(LIB)))
    assert not offenders, f"streamlit importé hors de lib/ui : {offenders}"


def test_pages_do_not_type_pact_numbers():
    pages = Path(__file__).resolve().parents[1] / "pages"
    for path in pages.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for number in ("3300", "3 300", "1300", "150000", "150 000", "120000", "100000", "280"):
            assert number not in text.replace("_", ""), f"{path.name} contient {number!r} : lire data/pacte_parametres.yaml"
