"""The README's layout names every module and package of lib/, so a newcomer finds each one."""

import re

from lib.paths import ROOT


def _layout_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def test_the_readme_layout_names_every_lib_module():
    block = _layout_block()
    named = set(re.findall(r"\b([a-z_]+)(?:\.py\b|/)", block))
    entries = {p.stem for p in (ROOT / "lib").glob("*.py") if p.stem != "__init__"}
    entries |= {p.name for p in (ROOT / "lib").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert sorted(entries - named) == []


def test_the_readme_layout_names_every_module_of_the_importer():
    block = _layout_block()
    line = block.split("importer/", 1)[1].split("(`from lib.importer", 1)[0]
    modules = {p.stem for p in (ROOT / "lib" / "importer").glob("*.py") if p.stem != "__init__"}
    assert sorted(m for m in modules if not re.search(rf"\b{m}\b", line)) == []


def test_the_readme_layout_names_every_module_of_the_ui_and_views_packages():
    block = _layout_block()
    for package in ("ui", "views"):
        line = re.split(r"\n {0,2}(?=\S)", block.split(f"\n  {package}/", 1)[1], maxsplit=1)[0]
        named = set(re.findall(r"\b([a-z_]+)\b", line))
        modules = {p.stem for p in (ROOT / "lib" / package).glob("*.py") if p.stem != "__init__"}
        assert sorted(modules - named) == [], package
