"""Domain logic stays importable without Streamlit: only lib/ui/ may import it."""

import ast
import re
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


PACT_NUMBERS = ("3300", "3 300", "1300", "1 300", "150000", "150 000", "120000", "120 000", "100000", "100 000")


def test_pages_do_not_type_pact_numbers():
    pages = Path(__file__).resolve().parents[1] / "pages"
    for path in pages.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for number in (*PACT_NUMBERS, "280"):
            assert number not in text.replace("_", ""), f"{path.name} contient {number!r} : lire data/pacte_parametres.yaml"


# a number on its own (« 120 000 »), not inside a colour (« #8d3300 ») or a longer number
_PACT_NUMBER = re.compile(r"(?<![0-9A-Za-z#])(3 ?300|1 ?300|150 ?000|120 ?000|100 ?000|280 ?M)(?![0-9])")


def _string_constants(tree: ast.AST):
    """Every string literal that is not a docstring (docstrings may explain the pact's numbers)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def test_no_text_shown_to_users_types_the_pact_numbers():
    """A sentence such as « 280 M€ pour 120 000 logements » is built from data/pacte_parametres.yaml,
    so that correcting the file corrects every screen."""
    offenders = []
    for path in LIB.rglob("*.py"):
        for node in _string_constants(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value.replace("\u202f", " ").replace("\u00a0", " ")
            if _PACT_NUMBER.search(text):
                offenders.append(f"{path.relative_to(LIB)}:{node.lineno}")
    assert not offenders, f"chiffres du pacte écrits dans le code : {offenders}"


def _page_statements(path: Path) -> list[str]:
    """What a page script does, statement by statement, docstring and imports left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return [ast.unparse(n.value.func) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) else ast.unparse(n)
            for n in body]


def test_every_page_is_its_title_and_one_render():
    """pages/<page>.py = st.title(…) + lib.ui.<page>.render(), for every page: the page's widgets,
    and the check of its data files, live in lib/ui/<page>.py."""
    pages = Path(__file__).resolve().parents[1] / "pages"
    shapes = {path.stem: _page_statements(path) for path in pages.glob("*.py")}
    assert shapes == {stem: ["st.title", f"{stem}.render"] for stem in shapes}
