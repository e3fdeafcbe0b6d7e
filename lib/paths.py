"""Paths of the shipped data, built from this file so that the working directory never matters."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = DATA / "geo"
ZONAGE = DATA / "zonage"
PARAMS_FILE = DATA / "pacte_parametres.yaml"
FIGURES_FILE = DATA / "figures.csv"
STATIC = ROOT / "static"
