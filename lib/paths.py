"""Paths of the shipped data, built from this file so that the working directory never matters."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the shipped data; PACTE_HLM_DATA points at another copy (the robustness tests damage a copy)
DATA = Path(os.environ.get("PACTE_HLM_DATA") or ROOT / "data").resolve()
GEO = DATA / "geo"
ZONAGE = DATA / "zonage"
PARAMS_FILE = DATA / "pacte_parametres.yaml"
FIGURES_FILE = DATA / "figures.csv"
STATIC = ROOT / "static"
