"""Export: templates and files written back (no CSV / Excel injection)."""


from __future__ import annotations

import pandas as pd

from lib.exports import to_csv_bytes, to_xlsx_bytes
from lib.importer.fields import fields_of

#: label of the single row of each template: it must never pass for a real figure
TEMPLATE_EXAMPLE = "EXEMPLE — à remplacer"

#: Downloadable templates: the exact column headers the importer recognises and one row, named
#: « EXEMPLE — à remplacer », with codes that show the expected format and 0 for every amount
#: (never an invented figure that could pass for a real one). Replace the row by your data.
TEMPLATES: dict[str, pd.DataFrame] = {
    "figures": pd.DataFrame({
        "Code région": ["11"],
        "Région": [TEMPLATE_EXAMPLE],
        "Année": [2014],
        "Nombre de logements financés": [0],
        "PLAI": [0],
        "PLUS": [0],
        "PLS": [0],
    }),
    "objectifs": pd.DataFrame({
        "Code région": ["11"],
        "Région": [TEMPLATE_EXAMPLE],
        "Année": [2014],
        "Objectif de logements sociaux": [0],
        "Objectif de réhabilitations": [0],
    }),
    "organismes": pd.DataFrame({
        "Identifiant": ["EXEMPLE"],
        "Nom de l'organisme": [TEMPLATE_EXAMPLE],
        "Code région": ["11"],
        "Code département": ["75"],
        "Loyers (€)": [0],
        "Patrimoine (logements)": [0],
        "Cotisation CGLLS (€)": [0],
        "Exonéré": ["non"],
        "Logements zone 1 et 1 bis": [0],
        "Logements zone 2 et 3": [0],
        "Prêts de réhabilitation (€)": [0],
        "Logements restructurés": [0],
    }),
}


def template_frame(kind: str) -> pd.DataFrame:
    fields_of(kind)
    return TEMPLATES[kind].copy()


def template_csv(kind: str) -> bytes:
    return to_csv_bytes(template_frame(kind))


def template_xlsx(kind: str) -> bytes:
    return to_xlsx_bytes(template_frame(kind), sheet=kind)
