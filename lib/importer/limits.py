"""Limits of an import, stated on the page and enforced by the readers."""


from __future__ import annotations

from lib import xlsx_reader

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100
#: an XLSX is a zip: cap what it really unpacks to, counted while inflating (zip bombs)
MAX_XLSX_UNPACKED_BYTES = xlsx_reader.MAX_UNPACKED_BYTES
#: filled cells in one sheet or CSV: bounds the time and memory of a file inside the other limits
MAX_CELLS = xlsx_reader.MAX_CELLS
HEADER_SCAN_ROWS = 30
#: same range as the shipped figures (lib/data.py FIGURES_SCHEMA)
YEAR_MIN, YEAR_MAX = 1990, 2030
#: at most this many messages for one kind of problem in one column, then a count
MAX_MESSAGES_PER_PROBLEM = 5
MAX_MESSAGES = 40

_MAX_ROWS_TEXT = f"{MAX_ROWS:_}".replace("_", "\u202f")
LIMITS_TEXT = (
    f"Fichiers CSV (séparateur « ; », « , » ou tabulation) ou Excel .xlsx, au plus "
    f"{MAX_BYTES // (1024 * 1024)} Mo, {_MAX_ROWS_TEXT} lignes, {MAX_COLUMNS} colonnes et "
    f"{MAX_CELLS // 1_000_000} millions de cellules remplies (par exemple {_MAX_ROWS_TEXT} lignes de "
    f"{MAX_CELLS // MAX_ROWS} colonnes). "
    "Les formules Excel ne sont pas recalculées : la valeur enregistrée par Excel est lue."
)

KINDS = ("figures", "objectifs", "organismes")
KIND_LABELS = {
    "figures": "Chiffres de production, de réhabilitation ou de parc (par région, département ou commune)",
    "objectifs": "Objectifs régionaux de logements sociaux",
    "organismes": "Données par organisme Hlm (pour le simulateur de mutualisation)",
}

LEVELS = ("region2015", "region2016", "departement", "commune")
LEVEL_LABELS = {
    "region2015": "Région (découpage d'avant 2016 : 22 régions métropolitaines et 5 d'outre-mer)",
    "region2016": "Région (découpage de 2016 : régions fusionnées)",
    "departement": "Département",
    "commune": "Commune (code INSEE)",
}
#: levels each kind accepts
KIND_LEVELS = {
    "figures": ("region2015", "region2016", "departement", "commune"),
    "objectifs": ("region2015", "region2016", "departement"),
    "organismes": ("region2015", "region2016"),
}
