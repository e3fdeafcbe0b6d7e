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
    p = load_params()["mutualisation.aides.production_zone_1_1bis"]
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
    ("mutualisation.aides.production_zone_1_1bis", 3_300),
    ("mutualisation.aides.production_zone_2_3", 1_300),
    ("mutualisation.aides.taux_rehabilitation", 0.05),
    ("mutualisation.aides.restructuration_unitaire", 600),
    ("mutualisation.aides.restructuration_plafond_logements", 5_000),
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
    cap = value("mutualisation.aides.restructuration_plafond_logements") * value(
        "mutualisation.aides.restructuration_unitaire")
    assert cap == 3_000_000


def test_value_before_first_year_is_a_french_error():
    with pytest.raises(ParamsError, match="pas de valeur pour 2010"):
        load_params()["mutualisation.aides.production_zone_1_1bis"].value(2010)


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
