"""Every shipped data file is listed in the catalogue shown on "Données et sources"."""

from lib import sources
from lib.paths import DATA


def test_catalogue_covers_every_data_file():
    listed = {e["fichier"] for e in sources.load_catalogue()}
    shipped = {str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.name != "SOURCES.md"}
    assert shipped - listed == set(), f"fichiers de data/ absents du catalogue : {sorted(shipped - listed)}"
    assert listed - shipped == set(), f"entrées du catalogue sans fichier : {sorted(listed - shipped)}"


def test_every_catalogue_entry_is_documented_in_sources_md():
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for e in sources.load_catalogue():
        assert e["fichier"].split("/")[-1] in text, e["fichier"]
