"""The pact's parameter file: every leaf documented and cited, values as the pact's text says."""

import pytest
import yaml

from lib.params import LEAF_KEYS, ParamsError, load_params, parse_params, value
from lib.paths import PARAMS_FILE


def test_every_leaf_has_description_unit_reference_values():
    tree = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))

    def leaves(node, path=""):
        for k, v in node.items():
            p = f"{path}.{k}" if path else k
            if "valeurs" in v:
                yield p, v
            else:
                yield from leaves(v, p)

    found = list(leaves(tree))
    assert len(found) == len(load_params())
    for path, leaf in found:
        assert set(leaf) == set(LEAF_KEYS), path
        assert "Pacte" in leaf["reference"], f"{path}: la référence doit citer le pacte"
        assert leaf["description"].strip() and leaf["unite"].strip(), path


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


@pytest.mark.parametrize("text, message", [
    ("", "vide"),
    ("a: {description: x, unite: y, valeurs: {2013: 1}}", "il manque reference"),
    ("a: [1, 2", "illisible"),
    ("a: {description: x, unite: y, reference: z, valeurs: 3}", "doit associer"),
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
