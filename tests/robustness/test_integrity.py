"""lib/integrity.py on its own, without pages: every shipped file, damaged in each way of the
matrix, is reported with a French sentence naming it, its fault and its remedy. Covers the files
no page reads, which the page matrix runs only once, missing."""

from __future__ import annotations

import re
import shutil

import pytest

from lib import integrity, paths
from tests.robustness.run_pages import damage

DAMAGES = ("missing", "empty", "truncated", "cut", "corrupt")
SHORT = {"missing": "introuvable", "empty": "vide", "truncated": "tronqué", "cut": "tronqué"}


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    directory = tmp_path_factory.mktemp("data")
    shutil.copytree(paths.DATA, directory, dirs_exist_ok=True)
    return directory


@pytest.mark.parametrize("damage_kind", DAMAGES)
@pytest.mark.parametrize("name", list(integrity.FILES))
def test_each_damage_of_each_file_is_reported(name, damage_kind, copy, monkeypatch):
    monkeypatch.setattr(integrity, "data_dir", lambda: copy)
    path = copy / name
    original = (paths.DATA / name).read_bytes()
    try:
        damage(path, original, damage_kind)
        problem = integrity.check_file(name)
    finally:
        path.write_bytes(original)
    assert problem is not None, f"data/{name} {damage_kind} : accepté"
    assert problem.short == SHORT.get(damage_kind, problem.short)
    if damage_kind == "corrupt":
        assert problem.short in ("illisible ou abîmé", "tronqué"), problem.what
    if problem.short == "tronqué":  # both sizes in one unit
        assert re.search(r"lignes au lieu de \d+ \([\d\u202f]+ (octets|Ko) au lieu de [\d\u202f]+ \1\)$",
                         problem.what), problem.what
    text = problem.message()
    assert text.startswith(f"Fichier de données data/{name} ({integrity.FILES[name].title}) est ")
    assert ("« make data »" in text) or (f"« git checkout -- data/{name} »" in text), text
    assert str(copy) not in text  # never the server's path
    assert integrity.check_file(name) is None  # restored: accepted again


def test_every_file_a_part_reads_is_declared_and_known():
    for page, parts in integrity.PAGE_OPTIONAL.items():
        assert page in integrity.PAGE_FILES
        assert set(parts) <= set(integrity.FILES)
    assert set(integrity.UNREAD) <= set(integrity.FILES)
    read = {n for files in integrity.PAGE_FILES.values() for n in files}
    read |= {n for parts in integrity.PAGE_OPTIONAL.values() for n in parts}
    assert set(integrity.FILES) - read == set(integrity.UNREAD), "fichier vérifié mais lu par aucune page"


def test_a_hand_written_file_is_restored_from_the_repository_not_rebuilt():
    problem = integrity.FileProblem("mutualisation_campagnes.yaml", "est introuvable")
    assert problem.message() == (
        "Fichier de données data/mutualisation_campagnes.yaml (campagnes de mutualisation rejouées) est "
        "introuvable. Ce fichier est écrit à la main : restaurez-le depuis le dépôt (« git checkout -- "
        "data/mutualisation_campagnes.yaml »), puis rechargez la page.")
    built = integrity.FileProblem("figures_non_datees.csv", "est vide (0 octet)")
    assert built.short == "vide"
    # a committed file: restoring it works on any clone; rebuilding needs the build inputs
    assert "Restaurez-le depuis le dépôt (« git checkout -- data/figures_non_datees.csv »)" in built.message()
    assert "reconstruisez-le avec « make data » (scripts/build_figures.py ;" in built.message()
