"""AppTest of the committee sections: pace, renovation, peers, packs and links on the region
page and on Accueil."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.plain_text import md_escape

TIMEOUT = 120
APP = Path(__file__).resolve().parents[1] / "app.py"


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(page)
    return at.run()


def shared_addresses(at) -> list[str]:
    """The addresses shown in the page's « copy the address » fields (lib.ui.links)."""
    return [json.loads(c.proto.json)["address"] for c in at.get("bidi_component")
            if c.proto.component_name == "pacte_copy_address"]


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    return "\n".join(parts).replace("\\", "")


def test_region_page_pace_peers_renovation_pack():
    at = open_page("pages/region.py", region="91")
    assert not at.exception
    t = texts(at)
    assert "Le rythme qu'il fallait tenir pour atteindre l'objectif 2015" in t
    assert "il fallait financer environ 7\u202f347 logements" in t  # 2015, on an estimated objective
    assert "Comparaison avec d'autres régions" in t and "médiane nationale" in t
    assert "Face à l'objectif du pacte" in t
    peers = at.multiselect(key="region_pairs_91")
    assert peers.value[:2] == ["11", "93"] and "91" not in peers.value
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Dossier du comité (PDF, une page)" in labels and "Dossier du comité (HTML imprimable)" in labels
    codes = shared_addresses(at)
    assert any(c.endswith("/region?region=91") for c in codes), codes


def test_peers_follow_the_users_choice():
    at = open_page("pages/region.py", region="91")
    at.multiselect(key="region_pairs_91").set_value(["82"]).run()
    assert not at.exception
    # the ranking is a static table at open (lib.ui.tables.static_table): cells escaped for markdown
    frames = [t.value for t in at.get("table")]
    ranking = next(f for f in frames if "Rang" in f.columns and "Région" in f.columns and "Nature" in f.columns
                   and any("Médiane" in r for r in f["Région"]))
    regions = list(ranking["Région"])
    assert len(regions) == 3 and any(md_escape("Rhône-Alpes") in r for r in regions)
    assert any(md_escape("Languedoc-Roussillon (région du comité)") == r for r in regions)
    at.selectbox(key="region_pairs_indicateur").set_value("rehab_parc").run()
    assert not at.exception
    assert "réhabilitations par éco-prêt 2012-2013 pour 1 000 logements sociaux" in texts(at)


def test_accueil_pace_renovation_and_national_pack():
    at = open_page("pages/accueil.py")
    assert not at.exception
    t = texts(at)
    assert "il fallait financer 226\u202f521 logements" in t
    assert "Réhabilitation thermique face à l'objectif du pacte" in t and "45\u202f662" in t
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Dossier national (PDF)" in labels and "Dossier national (HTML imprimable)" in labels
    frames = [t.value for t in at.table]  # static tables at open, the grids one click away
    pace = next(f for f in frames if "Rythme nécessaire" in f.columns)
    assert list(pace["Rythme nécessaire"]) == ["150\u202f000", "166\u202f468", "226\u202f521"]


def test_accueil_hlm_reading_changes_the_pace():
    at = open_page("pages/accueil.py")
    at.button_group(key="accueil_lecture_rythme").set_value("hlm").run()
    assert not at.exception
    pace = next(t.value for t in at.table if "Rythme nécessaire" in t.value.columns)
    assert pace["Rythme nécessaire"].iloc[0] == "120\u202f000"
