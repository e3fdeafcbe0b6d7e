"""One error hierarchy: every error class of ``lib`` is a ``DataError``, so pages show any of them
in French through one ``except DataError``."""

import importlib
import inspect
import pkgutil

import pytest

import lib
from lib.errors import DataError
from lib.params import ParamsError, parse_params
from lib.xlsx_reader import TooLarge


def _lib_modules():
    for info in pkgutil.walk_packages(lib.__path__, "lib."):
        if not info.name.startswith("lib.ui"):
            yield importlib.import_module(info.name)


def test_every_error_class_of_lib_is_a_data_error():
    found = {}
    for module in _lib_modules():
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    assert "lib.params.ParamsError" in found and "lib.errors.DataError" in found
    outside = sorted(name for name, cls in found.items() if not issubclass(cls, DataError))
    assert outside == []


def test_a_bad_parameter_file_is_caught_as_a_data_error_with_its_french_message():
    with pytest.raises(DataError, match="Fichier des paramètres vide ou mal formé") as exc:
        parse_params("")
    assert isinstance(exc.value, ParamsError)


def test_a_sheet_past_its_limit_says_so_in_french():
    err = TooLarge("rows", 1_000_001)
    assert isinstance(err, DataError)
    assert (err.what, err.n) == ("rows", 1_000_001)
    assert "trop grande" in str(err) and "lignes" in str(err)
