"""The pact's parameter file: every leaf documented and cited, values as the pact's text says."""

import pytest
import yaml

from lib.params import LEAF_KEYS, METADATA_KEYS, REFERENCE_KEYS, ParamsError, load_params, parse_params, value
from lib.paths import PARAMS_FILE


def _leaves(node, path=""):
    for k, v in node.items():
        p = f"{path}.{k}" if path else k
        if "valeurs" in v:
            yield p, v
        else:
            yield from _leaves(v, p)


def test_every_leaf_has_description_unit_article_dated_reference_values():
    """As OpenFisca's parameter files: each leaf says what it is, in which unit, from which article
    of the pact, and which dated text (title, date, address) it was read in."""
    tree = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
    found = list(_leaves(tree))
    assert len(found) == len(load_params())
    for path, leaf in found:
        assert set(leaf) == set(LEAF_KEYS), path
        assert leaf["description"].strip() and leaf["unite"].strip(), path
        meta = leaf["metadata"]
        assert set(METADATA_KEYS) <= set(meta), path
        assert meta["article"].startswith("Pacte, "), f"{path}: l'article doit citer le pacte"
        assert meta["reference"], path
        for ref in meta["reference"]:
            assert set(REFERENCE_KEYS) <= set(ref), path
            assert str(ref["href"]).startswith("http"), f"{path}: adresse de la référence"
            assert len(str(ref["date"])) == 10, f"{path}: date AAAA-MM-JJ"


def test_loaded_parameters_keep_article_and_dated_references():
    p = load_params()["mutualisation.aides.aide_zone_1_1bis_eur"]
    assert p.reference == p.article and "annexe 1" in p.article
    assert p.references[0].date == "2013-07-08"
    assert p.references[0].title.startswith("Pacte d'objectifs et de moyens")
    assert p.references[0].document.endswith(".txt")


def test_extra_metadata_keys_are_kept_for_later_use():
    text = ("a:\n  description: x\n  unite: y\n  valeurs: {2013: 1}\n  metadata:\n    article: Pacte, annexe 1\n"
            "    bornes: [0, 10]\n    reference:\n      - {title: T, date: 2013-07-08, href: 'https://x.fr'}\n")
    p = parse_params(text)["a"]
    assert p.metadata["bornes"] == (0, 10) and p.references[0].date == "2013-07-08"


@pytest.mark.parametrize("path, expected", [
    ("objectifs.production_tous_bailleurs", 150_000),
    ("objectifs.rehabilitation_tous_bailleurs", 120_000),
    ("objectifs.production_hlm", 120_000),
    ("objectifs.rehabilitation_hlm", 100_000),
    ("mutualisation.aides.aide_zone_1_1bis_eur", 3_300),
    ("mutualisation.aides.aide_zone_2_3_eur", 1_300),
    ("mutualisation.aides.taux_rehabilitation", 0.05),
    ("mutualisation.aides.aide_restructuration_eur", 600),
    ("mutualisation.aides.plafond_restructuration_logements", 5_000),
    ("mutualisation.aides.enveloppe_indicative", 280_000_000),
    ("mutualisation.cotisation.part_loyers", 0.50),
    ("mutualisation.cotisation.part_patrimoine", 0.25),
    ("mutualisation.cotisation.part_cotisation_cglls", 0.25),
    ("mutualisation.exoneration.exoneres_cotisent", False),
    ("mutualisation.exoneration.exoneres_recoivent_aides", True),
])
def test_pact_values(path, expected):
    for year in (2013, 2014, 2015):
        assert value(path, year) == expected


def test_split_sums_to_one():
    parts = [value(f"mutualisation.cotisation.{k}") for k in ("part_loyers", "part_patrimoine", "part_cotisation_cglls")]
    assert sum(parts) == pytest.approx(1.0)


def test_priority_regions_are_the_three_named_by_the_pact():
    assert sorted(value("objectifs.regions_prioritaires")) == ["11", "91", "93"]


def test_restructuring_cap_is_3_million():
    cap = value("mutualisation.aides.plafond_restructuration_logements") * value(
        "mutualisation.aides.aide_restructuration_eur")
    assert cap == 3_000_000


def test_value_before_first_year_is_a_french_error():
    with pytest.raises(ParamsError, match="pas de valeur pour 2010"):
        load_params()["mutualisation.aides.aide_zone_1_1bis_eur"].value(2010)


_META = "metadata: {article: 'Pacte, annexe 1', reference: [{title: T, date: '2013-07-08', href: 'https://x.fr'}]}"


@pytest.mark.parametrize("text, message", [
    ("", "vide"),
    ("a: {description: x, unite: y, valeurs: {2013: 1}}", "il manque metadata"),
    ("a: [1, 2", "illisible"),
    ("a: {description: x, unite: y, " + _META + ", valeurs: 3}", "doit associer"),
    ("a: {description: x, unite: y, metadata: {article: z}, valeurs: {2013: 1}}", "il manque reference"),
    ("a: {description: x, unite: y, metadata: {article: z, reference: [{title: T, href: h}]}, valeurs: {2013: 1}}",
     "référence sans date"),
    ("a: {description: x, unite: y, metadata: {article: z, reference: [{title: T, date: 2013, href: h}]}, "
     "valeurs: {2013: 1}}", "AAAA-MM-JJ"),
])
def test_broken_parameter_files_give_french_errors(text, message):
    with pytest.raises(ParamsError, match=message):
        parse_params(text)


def test_list_values_are_immutable():
    """Parameters are shared by every session: a page must not be able to change them."""
    regions = value("objectifs.regions_prioritaires")
    assert isinstance(regions, tuple)
    with pytest.raises(AttributeError):
        regions.append("24")


def _leaf(controle: str, valeurs: str = "{2013: 0.05}") -> str:
    meta = _META[:-1] + ", controle: " + controle + "}"
    return "a: {description: x, unite: taux, " + meta + ", valeurs: " + valeurs + "}"


_SLIDER = "{groupe: aides, cle_url: t_x, libelle: 'Taux (%)', unite: '%', bornes: [0, 20, 0.5], echelle: 100"


def test_a_movable_leaf_carries_its_control():
    p = parse_params(_leaf(_SLIDER + "}"))["a"]
    assert (p.controle.cle_url, p.controle.libelle, p.controle.unite) == ("t_x", "Taux (%)", "%")
    assert (p.controle.bornes, p.controle.echelle, p.controle.is_switch) == ((0, 20, 0.5), 100, False)
    assert "controle" not in p.metadata
    switch = parse_params(_leaf("{groupe: g, cle_url: s, libelle: 'Oui ?'}", "{2013: true}"))["a"]
    assert switch.controle.is_switch


def test_every_pact_number_the_page_moves_has_label_unit_bounds_and_url_key():
    movable = {path: p.controle for path, p in load_params().items() if p.controle is not None}
    assert len(movable) == 11
    for path, c in movable.items():
        assert c.libelle and c.cle_url and c.groupe, path
        if not c.is_switch:
            assert c.unite and len(c.bornes) == 3 and c.echelle > 0, path


@pytest.mark.parametrize("controle, valeurs, message", [
    ("[1, 2]", "{2013: 0.05}", "doit être un bloc"),
    ("{groupe: aides, libelle: x}", "{2013: 0.05}", "il manque cle_url"),
    ("{groupe: aides, cle_url: 'Clé', libelle: x}", "{2013: 0.05}", "clé d'URL « Clé » invalide"),
    ("{groupe: aides, cle_url: t_x, libelle: x}", "{2013: 0.05}", "il manque unite, bornes, echelle"),
    (_SLIDER.replace("[0, 20, 0.5]", "[0, 20]") + "}", "{2013: 0.05}", r"\[min, max, pas\]"),
    (_SLIDER.replace("[0, 20, 0.5]", "[20, 0, 0.5]") + "}", "{2013: 0.05}", r"\[20 ; 0 ; 0,5\] incohérentes"),
    (_SLIDER.replace("[0, 20, 0.5]", "[0, 20, 0]") + "}", "{2013: 0.05}", "incohérentes"),
    (_SLIDER.replace("echelle: 100", "echelle: 0") + "}", "{2013: 0.05}", "nombre positif"),
    (_SLIDER + "}", "{2013: 0.5}", r"\(50\) sort des bornes \[0 ; 20\]"),
    ("{groupe: g, cle_url: s, libelle: x, bornes: [0, 1, 1]}", "{2013: true}", "interrupteur, sans bornes"),
])
def test_broken_controls_give_french_errors(controle, valeurs, message):
    with pytest.raises(ParamsError, match=message):
        parse_params(_leaf(controle, valeurs))


def test_two_leaves_cannot_share_a_url_key():
    text = _leaf(_SLIDER + "}") + "\n" + _leaf(_SLIDER + "}").replace("a:", "b:", 1)
    with pytest.raises(ParamsError, match="Clé d'URL « t_x » donnée à deux paramètres"):
        parse_params(text)
