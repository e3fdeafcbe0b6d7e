"""Import a user's extract (CSV or XLSX): read it robustly, propose a column mapping, validate it
and turn it into one of the three shapes the dashboard uses.

Why this is careful: ministry staff and regional committees hold the real figures (SISAL, SPLS,
RPLS extracts, per-body mutualisation data) in files as people really have them: ``;`` or ``,``
separators, decimal commas, spaces or dots between thousands, Windows-1252 accents, title rows
above the header in Excel. A rejected file must change nothing, so this module only *builds* an
``ImportedDataset``; the UI decides when to put it in use (``lib/ui/importer.py``).

Guarantees:
- every problem is a ``DataError`` with a French message naming the file, the line (as the user
  sees it in a text editor or in Excel), the column, and how to fix it. No other exception leaves
  ``read_table`` / ``propose_mapping`` / ``detect_level`` / ``build_dataset`` / ``import_file``
  (tests/test_importer_fuzz.py);
- size is capped (``MAX_BYTES``, ``MAX_ROWS``, ``MAX_COLUMNS``, unpacked XLSX size);
- no formula is evaluated: XLSX cells are read as the values Excel stored (``data_only``); a
  text starting with "=" stays text, and exports neutralise CSV/Excel injection;
- pandera does the schema checks; its failures are translated into French here.

Three kinds of file (``KINDS``):
- ``figures``: production / renovation / stock per region (before or after 2016), département or
  commune, one or several years, one column per indicator. Départements are summed into the
  regions of before 2016 when a region's départements are all present; communes are summed into
  départements. Regions created in 2016 by merging cannot be split into the old ones: use the
  département route.
- ``objectifs``: regional objectives per year.
- ``organismes``: one row per HLM body for the mutualisation simulator.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lib import xlsx_reader
from lib.data import PROVENANCE_COLUMNS
from lib.errors import DataError
from lib.exports import neutralise_cell, neutralise_frame, to_csv_bytes, to_xlsx_bytes  # noqa: F401 (re-exported)
from lib.natures import IMPORTE

# ---------------------------------------------------------------------------------------------
# Limits (stated on the page, enforced here)

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


# ---------------------------------------------------------------------------------------------
# Fields of each kind and the labels they are recognised by


@dataclass(frozen=True)
class Field:
    """One column the dashboard needs, with the labels people give it."""

    key: str
    label: str
    type: str  # code | text | year | count | amount | bool
    required: bool
    synonyms: tuple[str, ...] = ()
    help: str = ""


_CODE_SYNONYMS = (
    "code", "code territoire", "code region", "code reg", "reg", "region code", "code insee",
    "code departement", "code dep", "dep", "dept", "departement code", "num departement",
    "numero departement", "n departement", "no departement", "code commune", "insee", "codgeo",
    "code geo", "com", "code officiel geographique", "code de la region", "code du departement",
    "code region 2015", "code region 2016", "code nouvelle region", "code ancienne region",
)
_NAME_SYNONYMS = (
    "nom", "region", "departement", "commune", "libelle", "libelle region", "libelle departement",
    "libelle commune", "nom region", "nom departement", "nom commune", "territoire", "libgeo",
    "nom du territoire", "nouvelle region", "ancienne region", "nom de la region",
)
_YEAR_SYNONYMS = (
    "annee", "an", "exercice", "millesime", "annee de financement", "annee financement",
    "annee de programmation", "gestion", "year", "annee d agrement", "annee de l objectif",
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "figures": (
        Field("territoire_code", "Code du territoire", "code", True, _CODE_SYNONYMS,
              "Code INSEE de la région, du département ou de la commune."),
        Field("territoire_nom", "Nom du territoire", "text", False, _NAME_SYNONYMS,
              "Facultatif : sert à vérifier que les codes sont lus au bon niveau."),
        Field("annee", "Année", "year", True, _YEAR_SYNONYMS, "Année de financement (4 chiffres)."),
        Field("lls_finances", "Logements locatifs sociaux financés (total)", "count", False,
              ("logements finances", "nombre de logements finances", "nb logements finances",
               "lls finances", "logements locatifs sociaux finances", "total finance", "total",
               "total lls", "total plai plus pls", "logements sociaux finances", "nombre de lls finances",
               "nombre total de logements finances", "logements agrees", "nombre de logements agrees",
               "total logements", "production", "lls")),
        Field("lls_finances_plai", "dont PLAI", "count", False,
              ("plai", "dont plai", "nombre de plai", "plai finances", "logements plai", "nb plai")),
        Field("lls_finances_plus", "dont PLUS", "count", False,
              ("plus", "dont plus", "nombre de plus", "plus finances", "logements plus", "nb plus")),
        Field("lls_finances_pls", "dont PLS", "count", False,
              ("pls", "dont pls", "nombre de pls", "pls finances", "logements pls", "nb pls")),
        Field("rehab_eco_pls", "Réhabilitations financées par éco-prêt", "count", False,
              ("rehabilitations", "rehabilitations eco pret", "logements rehabilites", "eco pls",
               "eco prets", "rehabilitations financees", "nombre de rehabilitations", "eco pret logement social",
               "rehabilitations eco pls", "renovations", "logements renoves")),
        Field("parc_locatif_social", "Parc locatif social (logements)", "count", False,
              ("parc", "parc locatif social", "parc social", "nombre de logements sociaux", "parc rpls",
               "rpls", "logements sociaux", "parc au 1er janvier", "patrimoine")),
        Field("mises_en_service", "Logements mis en service", "count", False,
              ("mises en service", "logements mis en service", "nombre de mises en service")),
    ),
    "objectifs": (
        Field("territoire_code", "Code de la région (ou du département)", "code", True, _CODE_SYNONYMS,
              "Code INSEE de la région d'avant 2016, ou du département (les départements sont additionnés)."),
        Field("territoire_nom", "Nom de la région", "text", False, _NAME_SYNONYMS,
              "Facultatif : sert à vérifier les codes."),
        Field("annee", "Année", "year", True, _YEAR_SYNONYMS, "Année de l'objectif (4 chiffres)."),
        Field("objectif_lls", "Objectif de logements locatifs sociaux", "count", True,
              ("objectif", "objectif lls", "objectifs", "objectif de logements sociaux", "objectif regional",
               "objectif total", "objectif logements locatifs sociaux", "objectif de production",
               "objectif notifie", "objectif lls total")),
        Field("objectif_rehab", "Objectif de réhabilitations", "count", False,
              ("objectif rehabilitation", "objectif rehabilitations", "objectif rehab", "objectif eco pret",
               "objectif eco prets", "objectif renovation")),
    ),
    "organismes": (
        Field("organisme_id", "Identifiant de l'organisme", "text", True,
              ("identifiant", "id", "siren", "code organisme", "numero organisme", "n organisme", "no organisme",
               "code bailleur", "identifiant organisme", "id organisme", "siret", "numero", "code")),
        Field("organisme_nom", "Nom de l'organisme", "text", True,
              ("nom", "organisme", "raison sociale", "bailleur", "nom organisme", "nom de l organisme",
               "denomination", "nom du bailleur", "libelle")),
        Field("reg_code", "Code région", "code", False,
              ("code region", "region", "code reg", "reg", "region code", "code region 2015", "code de la region"),
              "Code de la région d'avant 2016 (ou donnez le département)."),
        Field("dep_code", "Code département", "code", False,
              ("code departement", "departement", "code dep", "dep", "dept", "numero departement", "n departement"),
              "Code du département du siège (la région en est déduite)."),
        Field("loyers_eur", "Loyers (€)", "amount", True,
              ("loyers", "montant des loyers", "loyers quittances", "produit des loyers", "loyers et redevances",
               "loyers eur", "masse des loyers", "loyers annuels")),
        Field("patrimoine_logements", "Patrimoine (logements et équivalents-logements)", "count", True,
              ("patrimoine", "nombre de logements", "parc", "logements", "patrimoine logements",
               "logements et foyers", "nombre de logements et equivalents", "logements geres")),
        Field("cotisation_cglls_eur", "Cotisation CGLLS (€)", "amount", True,
              ("cotisation cglls", "cglls", "cotisation", "cotisation principale cglls", "montant cotisation cglls")),
        Field("exonere", "Exonéré (plan CGLLS)", "bool", False,
              ("exonere", "exoneration", "exonere de contribution", "plan cglls", "sous plan cglls",
               "exonere de cotisation", "exoneree"),
              "oui / non (ou 1 / 0, x) ; vide = non."),
        Field("lls_zone_1_1bis", "Logements neufs PLUS/PLAI en zone 1 et 1 bis", "count", False,
              ("lls zone 1 1bis", "zone 1 1bis", "zone 1 et 1bis", "zone 1 et 1 bis", "logements zone 1",
               "nouveaux logements zone 1 1bis", "logements neufs zone 1 1bis", "zones 1 et 1 bis", "zone 1")),
        Field("lls_zone_2_3", "Logements neufs PLUS/PLAI en zone 2 et 3", "count", False,
              ("lls zone 2 3", "zone 2 3", "zone 2 et 3", "zones 2 et 3", "logements zone 2 3",
               "nouveaux logements zone 2 3", "logements neufs zone 2 3", "zone 2")),
        Field("prets_rehab_eur", "Prêts de réhabilitation signés (€)", "amount", False,
              ("prets rehab", "prets rehabilitation", "prets de rehabilitation", "eco prets", "eco prets et pam",
               "montant des prets de rehabilitation", "prets rehab eur", "prets pam")),
        Field("logements_restructures", "Logements démolis ou restructurés", "count", False,
              ("logements restructures", "restructurations", "logements demolis ou restructures", "demolitions",
               "logements demolis")),
    ),
}

#: figures: field key -> (indicator of lib/data.py INDICATORS, unit)
FIGURE_INDICATORS = {
    "lls_finances": ("lls_finances", "logements"),
    "lls_finances_plai": ("lls_finances_plai", "logements"),
    "lls_finances_plus": ("lls_finances_plus", "logements"),
    "lls_finances_pls": ("lls_finances_pls", "logements"),
    "rehab_eco_pls": ("rehab_eco_pls", "logements"),
    "parc_locatif_social": ("parc_locatif_social", "logements"),
    "mises_en_service": ("mises_en_service", "logements"),
}

ORGANISMES_COLUMNS = (
    "organisme_id", "organisme_nom", "reg2015_code", "dep_code", "loyers_eur", "patrimoine_logements",
    "cotisation_cglls_eur", "exonere", "lls_zone_1_1bis", "lls_zone_2_3", "prets_rehab_eur",
    "logements_restructures",
)
OBJECTIFS_COLUMNS = ("reg2015_code", "annee", "objectif_lls", "objectif_rehab")
FIGURES_COLUMNS = (
    "niveau", "territoire_code", "territoire_nom", "periode", "annee", "indicateur", "valeur", "unite",
    "perimetre", "nature", "source", "note", "fichier_origine", *PROVENANCE_COLUMNS,
)


def fields_of(kind: str) -> tuple[Field, ...]:
    if kind not in FIELDS:
        raise DataError(f"Type de fichier inconnu : « {kind} ». Choisissez parmi : {', '.join(KINDS)}.")
    return FIELDS[kind]


# ---------------------------------------------------------------------------------------------
# The dataset the session keeps


@dataclass(frozen=True, eq=False)
class ImportedDataset:
    """A validated import, ready to be put in use (``lib/ui`` keeps it in session state).

    ``frame`` has the kind's columns: ``FIGURES_COLUMNS`` (same as data/figures.csv, nature
    "importé"), ``OBJECTIFS_COLUMNS`` or ``ORGANISMES_COLUMNS``.
    """

    kind: str
    name: str
    loaded_at: datetime
    frame: pd.DataFrame
    source_file: str = ""
    level: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.frame)

    def as_figures(self) -> pd.DataFrame:
        """Rows in the shape of data/figures.csv: the figures themselves, or the objectives as
        ``objectif_lls`` figures at region level; empty for organismes."""
        if self.kind == "figures":
            return self.frame.copy()
        if self.kind == "objectifs":
            return objectives_to_figures(self.frame, self.name, self.source_file)
        return _empty_figures()


# ---------------------------------------------------------------------------------------------
# Problems and the error that carries them


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, as the user will read it."""

    message: str
    code: str
    line: int | None = None
    column: str | None = None


class ImportRejected(DataError):
    """The file cannot be used; ``problems`` lists each reason (French), ``str()`` summarises."""

    def __init__(self, filename: str, problems: Sequence[Problem], warnings: Sequence[str] = ()):
        self.filename = filename
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        n = len(self.problems)
        head = (f"Fichier « {filename} » refusé : {n} problème{'s' if n > 1 else ''} à corriger. "
                "Les données utilisées jusqu'ici restent en place.")
        super().__init__(head + "\n" + "\n".join(f"- {p.message}" for p in self.problems))


def _where(filename: str, line: int | None = None, column: str | None = None) -> str:
    parts = [f"Fichier « {filename} »"]
    if line is not None:
        parts.append(f"ligne {line}")
    if column is not None:
        parts.append(f"colonne « {column} »")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Text helpers


def normalize_label(value: Any) -> str:
    """Lower case, no accents, words separated by one space: 'Nombre de logements financés (PLAI)'
    -> 'nombre de logements finances plai'."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("n°", "n ").replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return False


def _is_number_value(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _display(value: Any, limit: int = 60) -> str:
    """A cell value as quoted in a message (shortened; the UI escapes it)."""
    if _blank(value):
        return "(vide)"
    if _is_number_value(value):
        v = float(value)
        text = str(int(v)) if v.is_integer() and abs(v) < 1e15 else str(v)
    else:
        text = str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Reading: bytes -> grid of cells -> raw table


@dataclass(frozen=True, eq=False)
class RawTable:
    """A file as read, before any interpretation: the header row found and the cells below it.

    ``frame`` holds the cells as found (str from CSV; str, int, float, bool or datetime from
    XLSX; None when empty), columns named by the header (made unique), index = the line number
    the user sees (text line for CSV, row number in Excel).
    """

    filename: str
    frame: pd.DataFrame
    header_line: int
    file_format: str  # "CSV" | "XLSX"
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    default_decimal: str = ","
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    candidate_header_lines: tuple[int, ...] = ()


_SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "utf-16": "UTF-16",
                   "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


def read_table(content: bytes, filename: str, kind: str = "figures", header_line: int | None = None,
               sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file into a ``RawTable``; raise ``DataError`` (French) if it cannot be read.

    ``header_line`` (1-based, as shown to the user) forces the header row; otherwise the row that
    best looks like a header for ``kind`` among the first ``HEADER_SCAN_ROWS`` is taken.
    """
    filename = _clean_filename(filename)
    if not isinstance(content, (bytes, bytearray)):
        raise DataError(f"{_where(filename)} : contenu illisible (octets attendus).")
    content = bytes(content)
    if len(content) == 0:
        raise DataError(f"{_where(filename)} : le fichier est vide. Enregistrez-le à nouveau depuis "
                        "votre tableur, ou partez du modèle téléchargeable.")
    if len(content) > MAX_BYTES:
        size = f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")
        raise DataError(
            f"{_where(filename)} : {size} Mo, au-delà de la limite de {MAX_BYTES // (1024 * 1024)} Mo. "
            "Retirez les colonnes ou les années inutiles, ou découpez le fichier.")
    fmt = _sniff_format(content, filename)
    if fmt == "XLSX":
        grid, sheet_name, sheets = _read_xlsx_grid(content, filename, sheet)
        encoding = separator = None
        default_decimal = ","
        notes = [f"Classeur Excel, feuille « {sheet_name} »"
                 + (f" (autres feuilles : {', '.join(s for s in sheets if s != sheet_name)})"
                    if len(sheets) > 1 else "")]
    else:
        text, encoding = _decode(content, filename)
        _no_table(text, filename)
        separator = _sniff_separator(text)
        grid = _read_csv_grid(text, separator, filename)
        sheet_name, sheets = None, ()
        default_decimal = "." if separator == "," else ","
        notes = [f"Texte CSV, encodage {_ENCODING_NAMES.get(encoding, encoding)}, séparateur "
                 f"{_SEPARATOR_NAMES.get(separator, repr(separator))}"]
    return _grid_to_raw(grid, filename, kind, header_line, fmt, encoding, separator, sheet_name,
                        tuple(sheets), default_decimal, notes)


def _clean_filename(filename: Any) -> str:
    name = PurePath(str(filename or "fichier")).name.replace("\x00", "")
    name = "".join(c for c in name if c.isprintable())
    return name[:120] or "fichier"


def _sniff_format(content: bytes, filename: str) -> str:
    ext = PurePath(filename).suffix.lower()
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        if b"mimetype" in content[:100] and b"opendocument" in content[:200]:
            raise DataError(f"{_where(filename)} : format OpenDocument (.ods) non pris en charge. "
                            "Enregistrez le classeur au format Excel (.xlsx) ou CSV.")
        return "XLSX"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(f"{_where(filename)} : ancien format Excel (.xls) non pris en charge. "
                        "Ouvrez-le dans votre tableur et enregistrez-le au format .xlsx ou CSV.")
    if content.startswith(b"%PDF"):
        raise DataError(f"{_where(filename)} : c'est un PDF, pas un tableau. Exportez les données au "
                        "format CSV ou .xlsx depuis l'outil d'origine.")
    if ext in (".xlsx", ".xlsm"):
        raise DataError(f"{_where(filename)} : porte l'extension {ext} mais n'est pas un classeur Excel "
                        "valide (fichier abîmé ou renommé). Enregistrez-le à nouveau depuis Excel.")
    if ext in (".xls", ".ods", ".numbers", ".pdf", ".doc", ".docx", ".zip"):
        raise DataError(f"{_where(filename)} : format {ext} non pris en charge. Enregistrez les données "
                        "au format CSV ou Excel (.xlsx).")
    if ext and ext not in TEXT_EXTENSIONS:
        raise DataError(f"{_where(filename)} : les fichiers {ext} ne sont pas acceptés. Importez un fichier CSV "
                        f"({', '.join(TEXT_EXTENSIONS)}) ou un classeur Excel .xlsx.")
    return "CSV"


#: extensions read as delimited text (a file without extension is read as text too)
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv", ".tab")


def _no_table(text: str, filename: str) -> None:
    """A text with no separator anywhere in its first lines cannot hold the two columns or more
    that every kind of file needs: say so rather than list missing columns."""
    head = text[:16384]
    if not any(sep in head for sep in (";", ",", "\t", "|")):
        raise DataError(f"{_where(filename)} : ce fichier texte ne contient pas de tableau (aucune colonne séparée "
                        "par « ; », « , » ou une tabulation). Exportez vos données en CSV depuis votre tableur, "
                        "ou partez du modèle téléchargeable.")


def _decode(content: bytes, filename: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's « texte Unicode »), else
    Windows-1252, else Latin-1.

    Why not a guesser such as charset-normalizer: on short French files it proposes code pages
    (cp1250, mac_roman…) that turn « é » into another letter without error. The files we meet
    are UTF-8 or Windows-1252 (a superset of Latin-1's printable characters), which can be told
    apart exactly: Windows-1252 bytes of accented letters are never valid UTF-8.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", content[3:], "utf-8")]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", content, "utf-16")]
    else:
        candidates = [("utf-8", content, "utf-8"), ("cp1252", content, "cp1252"), ("latin-1", content, "latin-1")]
    for label, data, codec in candidates:  # noqa: B007 - label is used after the loop
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise DataError(f"{_where(filename)} : encodage des caractères illisible. Enregistrez le fichier "
                        "en « CSV UTF-8 » depuis votre tableur.")
    if "\x00" in text or _binary_share(text) > 0.05:
        raise DataError(f"{_where(filename)} : ce fichier ne semble pas être un tableau (CSV ou .xlsx) : "
                        "il contient des caractères binaires. Exportez les données en CSV ou .xlsx.")
    return text, label


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t") or 0x80 <= ord(c) < 0xA0)
    return bad / len(sample)


def _sniff_separator(text: str) -> str:
    """The field separator among ; , tab |, detected on the first lines by clevercsv (which
    scores the regularity of rows and the types of the cells, so decimal commas in a
    semicolon file do not fool it), with a plain count as fallback."""
    sample = text[:16384]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    lines = [ln for ln in sample.splitlines() if ln.strip()][:100]
    if not lines:
        return ";"
    counts = {sep: sum(ln.count(sep) for ln in lines) for sep in (";", ",", "\t", "|")}
    present = [s for s, c in counts.items() if c]
    if len(present) == 0:
        return ";"
    if len(present) == 1:
        return present[0]
    try:
        import clevercsv

        dialect = clevercsv.Detector().detect("\n".join(lines), delimiters=[";", ",", "\t", "|"])
        if dialect is not None and dialect.delimiter in (";", ",", "\t", "|"):
            return dialect.delimiter
    except Exception:  # noqa: BLE001 - a third-party heuristic failing is not the user's problem
        pass
    return _regular_separator(lines)


def _regular_separator(lines: list[str]) -> str:
    best, best_score = ";", (-1.0, 0)
    for sep in (";", "\t", ",", "|"):
        widths = [len(row) for row in csv.reader(lines, delimiter=sep)]
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = (round(widths.count(mode) / len(lines), 1), mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv_grid(text: str, separator: str, filename: str) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    filled = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=False)
    line = 1
    try:
        for row in reader:
            if reader.line_num > line and any("\n" in c and (separator in c or '"' in c) for c in row):
                raise DataError(f"{_where(filename, line)} : un guillemet (\") ouvert sur cette ligne n'est jamais "
                                "refermé, si bien que les lignes suivantes sont lues comme une seule cellule. "
                                "Refermez le guillemet ou retirez-le.")
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise DataError(_too_many_rows(filename))
            if len(row) > MAX_COLUMNS * 3:
                raise DataError(_too_many_columns(filename, len(row)))
            cells = [c.strip() or None for c in row]
            filled += len(cells) - cells.count(None)
            if filled > MAX_CELLS:
                raise DataError(_too_many_cells(filename, filled))
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"{_where(filename, line)} : ligne illisible ({_csv_error(exc)}). Vérifiez les "
                        "guillemets de cette ligne (un guillemet ouvert doit être refermé).") from exc
    return rows


def _csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return "cellule beaucoup trop longue, sans doute un guillemet jamais refermé"
    return "structure CSV incorrecte"


def _too_many_rows(filename: str) -> str:
    return (f"{_where(filename)} : plus de {MAX_ROWS:,} lignes, au-delà de la limite. Gardez les années et "
            "les territoires utiles, ou découpez le fichier.").replace(",", "\u202f", 1)


def _too_many_cells(filename: str, n: int) -> str:
    return (f"{_where(filename)} : plus de {_thousands(MAX_CELLS)} cellules remplies, au-delà de la limite. "
            "Supprimez les colonnes inutiles (gardez le code, l'année et les chiffres à importer) ou découpez "
            "le fichier.")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _too_many_columns(filename: str, n: int) -> str:
    return (f"{_where(filename)} : {n} colonnes, au-delà de la limite de {MAX_COLUMNS}. Retirez les colonnes "
            "inutiles avant d'importer.")


def _read_xlsx_grid(content: bytes, filename: str, sheet: str | None) -> tuple[list, str, list[str]]:
    """Cells of one sheet, read by ``lib.xlsx_reader`` (bounded by what the archive really
    inflates to, sheets refused by their filled-cell count before any cell is read)."""
    where = _where(filename)
    report = xlsx_reader.inspect(content, where, MAX_XLSX_UNPACKED_BYTES)
    if "xl/workbook.xml" not in report.members:
        if "mimetype" in report.members and b"opendocument" in _zip_member(content, "mimetype"):
            raise DataError(f"{where} : format OpenDocument (.ods) non pris en charge. "
                            "Enregistrez le classeur au format Excel (.xlsx) ou CSV.")
        raise DataError(f"{where} : archive zip qui n'est pas un classeur Excel .xlsx. "
                        "Enregistrez les données au format .xlsx ou CSV.")
    book = xlsx_reader.XlsxBook(content, where, report)
    sheets = list(book.sheets)
    if not sheets:
        raise DataError(f"{where} : le classeur ne contient aucune feuille.")
    if sheet is not None and sheet not in sheets:
        raise DataError(f"{where} : pas de feuille « {sheet} » (feuilles : {', '.join(sheets)}).")
    order = [sheet] if sheet is not None else sheets
    try:
        for name in order:
            book.check_size(name, MAX_ROWS + HEADER_SCAN_ROWS, MAX_COLUMNS * 3, MAX_CELLS)
            grid = _xlsx_sheet_rows(book, name, filename)
            if grid:
                return grid, name, sheets
        return [], order[0], sheets
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML and the like
        raise DataError(f"{where} : feuille Excel illisible. Enregistrez le classeur à nouveau "
                        "depuis Excel, ou exportez la feuille en CSV.") from exc


def _zip_member(content: bytes, name: str, limit: int = 200) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf, zf.open(name) as fh:
            return fh.read(limit)
    except Exception:  # noqa: BLE001 - only used to word a message
        return b""


def _xlsx_sheet_rows(book: xlsx_reader.XlsxBook, sheet: str, filename: str) -> list[tuple[int, list[Any]]]:
    rows = []
    try:
        for line, values in book.rows(sheet, max_rows=MAX_ROWS + HEADER_SCAN_ROWS, max_width=MAX_COLUMNS * 3,
                                      normalise=True):
            while values and values[-1] is None:
                values.pop()
            if values:
                rows.append((line, values))
    except xlsx_reader.TooLarge as exc:
        if exc.what == "rows":
            raise DataError(_too_many_rows(filename)) from None
        raise DataError(_too_many_columns(filename, exc.n)) from None
    return rows


def _grid_to_raw(grid, filename, kind, header_line, fmt, encoding, separator, sheet, sheets,
                 default_decimal, notes) -> RawTable:
    """Header found, rows below it as records. Cells are already normalised by the readers
    (a blank cell is None), so rows are tested with ``list.count`` rather than cell by cell."""
    if all(row.count(None) == len(row) for _, row in grid):
        raise DataError(f"{_where(filename)} : le fichier ne contient aucune donnée (seulement des lignes "
                        "vides). Vérifiez que vous avez choisi le bon fichier, ou la bonne feuille.")
    if header_line is not None:
        idx = next((i for i, (ln, _) in enumerate(grid) if ln == header_line), None)
        if idx is None or all(_blank(c) for c in grid[idx][1]):
            raise DataError(f"{_where(filename, header_line)} : cette ligne est vide ou n'existe pas ; "
                            "choisissez la ligne qui porte les noms des colonnes.")
        candidates = (header_line,)
    else:
        idx, candidates = _find_header(grid, kind)
    hline, header_cells = grid[idx]
    width = max(i + 1 for i, c in enumerate(header_cells) if not _blank(c))
    if width > MAX_COLUMNS:
        raise DataError(_too_many_columns(filename, width))
    columns = _unique_labels(header_cells[:width])
    problems: list[Problem] = []
    lines, records = [], []
    for ln, row in grid[idx + 1:]:
        n = len(row)
        if row.count(None) == n:
            continue
        if n > width:
            tail = row[width:]
            extra = len(tail) - tail.count(None)
            if extra:
                sep_hint = ""
                if separator == ",":
                    sep_hint = (" Un nombre écrit avec une virgule décimale dans un fichier séparé par des virgules "
                                "se coupe en deux : mettez-le entre guillemets ou enregistrez avec « ; ».")
                if len(problems) < MAX_MESSAGES:
                    problems.append(Problem(
                        f"{_where(filename, ln)} : {width + extra} valeurs ou plus pour {width} colonnes "
                        f"d'en-tête.{sep_hint} Corrigez la ligne pour qu'elle ait autant de valeurs que l'en-tête.",
                        "colonnes_en_trop", ln))
            row = row[:width]
            if row.count(None) == width:
                continue
        elif n < width:
            row = row + [None] * (width - n)
        records.append(row)
        lines.append(ln)
    if not records:
        raise DataError(f"{_where(filename)} : aucune ligne de données sous l'en-tête (ligne {hline}). "
                        "Ajoutez les données sous la ligne des noms de colonnes.")
    if len(records) > MAX_ROWS:
        raise DataError(_too_many_rows(filename))
    frame = _compact_frame(pd.DataFrame(records, columns=columns, index=pd.Index(lines, name="ligne"),
                                        dtype=object))
    del records
    if idx > 0:
        notes = [*notes, f"En-têtes lus ligne {hline} (lignes de titre au-dessus ignorées)"]
    return RawTable(filename, frame, hline, fmt, encoding, separator, sheet, sheets, default_decimal,
                    tuple(problems[:MAX_MESSAGES]), tuple(notes), tuple(candidates))


def _compact_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns held compactly: numbers only -> float64 (NaN = blank), text only -> Arrow strings
    (NaN = blank), anything mixed stays Python objects. A 200 000-row file then weighs tens of Mo
    in the session instead of hundreds."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        kind = pd.api.types.infer_dtype(s, skipna=True)
        if kind in ("integer", "floating", "mixed-integer-float"):
            out[c] = s.astype(float)
        elif kind == "string":
            out[c] = s.astype("str")
        else:
            out[c] = s
    return pd.DataFrame(out, index=frame.index)


def release_memory() -> None:
    """Give the memory of a large refused or dropped file back to the system: collect cycles,
    then ask glibc to return its free pages (no-op elsewhere)."""
    import gc

    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _unique_labels(cells: list[Any]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, c in enumerate(cells):
        label = _display(c, 80) if not _blank(c) else f"Colonne {i + 1}"
        if isinstance(c, (datetime, date)):
            label = str(c.year) if hasattr(c, "year") else label
        base = label
        if base in seen:
            seen[base] += 1
            label = f"{base} ({seen[base]})"
        else:
            seen[base] = 1
        out.append(label)
    return out


_NUMBERISH = re.compile(r"^[\s\u00a0\u202f+\-−]*[\d\s\u00a0\u202f.,]+[%€]?$")


def _find_header(grid, kind: str) -> tuple[int, tuple[int, ...]]:
    """Index of the row that looks most like a header: known labels first, then text cells."""
    syn = _synonym_index(kind)
    scored = []
    for i, (ln, row) in enumerate(grid[:HEADER_SCAN_ROWS]):
        cells = [c for c in row if not _blank(c)]
        if not cells:
            continue
        texts = [c for c in cells if isinstance(c, str) and not _NUMBERISH.match(c)]
        known = sum(1 for c in texts if normalize_label(c) in syn)
        if len(cells) < 2 and known == 0:
            score = 0.0
        elif len(texts) < 0.6 * len(cells):
            score = 0.0
        else:
            score = known * 10 + len(texts)
        scored.append((score, -i, i, ln))
    if not scored:
        first = next(i for i, (_, row) in enumerate(grid) if any(not _blank(c) for c in row))
        return first, (grid[first][0],)
    scored.sort(reverse=True)
    if scored[0][0] == 0:
        first = next(i for i, (_, row) in enumerate(grid) if any(not _blank(c) for c in row))
        return first, (grid[first][0],)
    return scored[0][2], tuple(s[3] for s in scored[:5] if s[0] > 0)


@functools.lru_cache(maxsize=8)
def _synonym_index(kind: str) -> frozenset[str]:
    out = set()
    for f in FIELDS.get(kind, ()):
        out.add(normalize_label(f.label))
        out.update(normalize_label(s) for s in f.synonyms)
    return frozenset(out)


# ---------------------------------------------------------------------------------------------
# Column mapping


def propose_mapping(raw: RawTable, kind: str) -> dict[str, str | None]:
    """For each field of ``kind``, the file column that seems to hold it (or None).

    Exact label or known synonym first (case, accents and punctuation ignored), then labels
    containing a synonym's words, then close spellings; each column is used once.
    """
    fields = fields_of(kind)
    columns = [str(c) for c in raw.frame.columns]
    norm = {c: normalize_label(c) for c in columns}
    candidates = []
    for f in fields:
        syns = [normalize_label(f.key.replace("_", " ")), normalize_label(f.label),
                *(normalize_label(s) for s in f.synonyms)]
        for c in columns:
            score = max((_label_score(norm[c], s) for s in syns if s), default=0.0)
            if score >= 0.6:
                candidates.append((score, -fields.index(f), f.key, c))
    candidates.sort(reverse=True)
    mapping: dict[str, str | None] = {f.key: None for f in fields}
    used: set[str] = set()
    for _score, _, key, col in candidates:
        if mapping[key] is None and col not in used:
            mapping[key] = col
            used.add(col)
    return mapping


def _label_score(label: str, synonym: str) -> float:
    if not label:
        return 0.0
    if label == synonym:
        return 1.0
    lt, st_ = label.split(), synonym.split()
    if len(synonym) >= 3 and _contains_words(lt, st_):
        return 0.7 + 0.2 * len(synonym) / len(label)
    if len(label) >= 4 and len(synonym) >= 4:
        ratio = difflib.SequenceMatcher(None, label, synonym).ratio()
        if ratio >= 0.85:
            return 0.6 + 0.3 * (ratio - 0.85) / 0.15
    return 0.0


def _contains_words(words: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return any(words[i:i + n] == sub for i in range(len(words) - n + 1))


# ---------------------------------------------------------------------------------------------
# Reference territories


@dataclass(frozen=True)
class Reference:
    """Départements and regions (before and after 2016), from data/territoires.csv."""

    dep_nom: Mapping[str, str]
    dep_reg2015: Mapping[str, str]
    reg2015_nom: Mapping[str, str]
    reg2016_nom: Mapping[str, str]
    reg2016_to_2015: Mapping[str, tuple[str, ...]]
    deps_of_reg2015: Mapping[str, frozenset[str]]
    commune_dep: Mapping[str, str] = field(default_factory=dict)

    @property
    def merged_reg2016(self) -> dict[str, str]:
        """Regions created in 2016 by merging several old ones: code -> name."""
        return {c: n for c, n in self.reg2016_nom.items() if len(self.reg2016_to_2015[c]) > 1}


@functools.lru_cache(maxsize=1)
def load_reference() -> Reference:
    """The territories, read once (lib/geo.py validates the shipped files)."""
    from lib import geo

    terr = geo.load_territoires()
    try:
        communes = geo.load_zonage_communes()
        commune_dep = dict(zip(communes["commune_code"].astype(str), communes["dep_code"].astype(str), strict=True))
    except DataError:
        commune_dep = {}
    return _reference_from(terr, commune_dep)


def _reference_from(terr: pd.DataFrame, commune_dep: Mapping[str, str]) -> Reference:
    t = terr.astype({"dep_code": str, "reg2015_code": str, "reg2016_code": str})
    to2015: dict[str, set[str]] = {}
    deps: dict[str, set[str]] = {}
    for d, r15, r16 in zip(t["dep_code"], t["reg2015_code"], t["reg2016_code"], strict=True):
        to2015.setdefault(r16, set()).add(r15)
        deps.setdefault(r15, set()).add(d)
    return Reference(
        dep_nom=dict(zip(t["dep_code"], t["dep_nom"], strict=True)),
        dep_reg2015=dict(zip(t["dep_code"], t["reg2015_code"], strict=True)),
        reg2015_nom=dict(zip(t["reg2015_code"], t["reg2015_nom"], strict=False)),
        reg2016_nom=dict(zip(t["reg2016_code"], t["reg2016_nom"], strict=False)),
        reg2016_to_2015={k: tuple(sorted(v)) for k, v in to2015.items()},
        deps_of_reg2015={k: frozenset(v) for k, v in deps.items()},
        commune_dep=dict(commune_dep),
    )


def normalize_code(value: Any, level: str) -> str | None:
    """A territory code as INSEE writes it for ``level`` ('1' -> '01', 2.0 -> '02', '2a' -> '2A',
    '1004' -> '01004'), or None when it cannot be one."""
    if _blank(value):
        return None
    if _is_number_value(value):
        v = float(value)
        if not np.isfinite(v) or not v.is_integer() or v < 0:
            return None
        text = str(int(v))
    else:
        text = str(value).strip().upper().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"\d+\.0+", text):
            text = text.split(".")[0]
    if level in ("region2015", "region2016"):
        return text.zfill(2) if re.fullmatch(r"\d{1,2}", text) else None
    if level == "departement":
        if re.fullmatch(r"\d{1,2}", text):
            return text.zfill(2)
        if re.fullmatch(r"97\d|2[AB]", text):
            return text
        return None
    if level == "commune":
        if re.fullmatch(r"\d{4}", text):
            return text.zfill(5)
        if re.fullmatch(r"\d{5}|2[AB]\d{3}", text):
            return text
        return None
    return None


def commune_departement(code: str) -> str:
    """Département of an INSEE commune code ('97411' -> '974', '2A004' -> '2A', '75056' -> '75')."""
    return code[:3] if code.startswith("97") else code[:2]


def detect_level(raw: RawTable, kind: str, mapping: Mapping[str, str | None]) -> str:
    """Which kind of territory the code column holds, from its label, then its names, then its codes.

    Codes 11, 24, 52, 53, 93, 94 and the overseas ones mean the same region before and after
    2016, so they need no telling apart; a region code column is read as after-2016 when its
    label says so ("2016", "nouvelle") or when it holds a merged region's code (84, 27…) and
    no code that only existed before. Region codes are also département codes (11 is
    Île-de-France and Aude): names in the file, when given, settle it. The user can override.
    """
    allowed = KIND_LEVELS.get(kind, LEVELS)
    code_field = "territoire_code" if kind != "organismes" else "reg_code"
    col = mapping.get(code_field)
    if col is None or col not in raw.frame.columns:
        return allowed[0]
    label = normalize_label(col)
    words = set(label.split())
    values = [v for v in _objects(raw.frame[col].iloc[:20000]) if not _blank(v)][:5000]
    ref = _safe_reference()
    if words & {"commune", "insee", "codgeo", "com"} and "commune" in allowed:
        return "commune"
    if words & {"departement", "dep", "dept", "departements"} and "departement" in allowed:
        return "departement"
    by_names = _level_from_names(raw, mapping, values, ref, allowed)
    if by_names:
        return by_names
    texts = [str(normalize_code(v, "departement") or normalize_code(v, "commune") or v) for v in values]
    if words & {"region", "reg", "regions"} or kind == "organismes":
        if words & {"2016", "nouvelle", "nouvelles"}:
            return "region2016"
        return _region_coding(values, ref)
    if "commune" in allowed and texts and sum(len(t) == 5 for t in texts) > 0.5 * len(texts):
        return "commune"
    codes = {normalize_code(v, "region2015") for v in values} - {None}
    if ref and codes and codes <= set(ref.reg2015_nom) | set(ref.reg2016_nom) and len(codes) <= 27 and len(values) > 0:
        if not any(t in ("2A", "2B") or (len(t) == 3 and t.startswith("97")) for t in texts):
            region = _region_coding(values, ref)
            if region in allowed:
                return region
    return "departement" if "departement" in allowed else allowed[0]


def _safe_reference() -> Reference | None:
    try:
        return load_reference()
    except DataError:
        return None


def _region_coding(values: list[Any], ref: Reference | None) -> str:
    if ref is None:
        return "region2015"
    codes = {normalize_code(v, "region2015") for v in values} - {None}
    only_2016 = codes & (set(ref.reg2016_nom) - set(ref.reg2015_nom))
    only_2015 = codes & (set(ref.reg2015_nom) - set(ref.reg2016_nom))
    return "region2016" if only_2016 and not only_2015 else "region2015"


def _level_from_names(raw, mapping, values, ref, allowed) -> str | None:
    name_col = mapping.get("territoire_nom")
    if ref is None or name_col is None or name_col not in raw.frame.columns:
        return None
    head = raw.frame.iloc[:20000]
    pairs = [(c, n) for c, n in zip(_objects(head[mapping.get("territoire_code") or name_col]),
                                    _objects(head[name_col]), strict=True)
             if not _blank(c) and not _blank(n)][:2000]
    if not pairs:
        return None
    tables = {"region2015": ref.reg2015_nom, "region2016": ref.reg2016_nom, "departement": ref.dep_nom}
    best, best_rate = None, 0.0
    for level, names in tables.items():
        if level not in allowed:
            continue
        hits = sum(1 for c, n in pairs if _same_name(names.get(normalize_code(c, level) or "", ""), n))
        rate = hits / len(pairs)
        if rate > best_rate:
            best, best_rate = level, rate
    return best if best_rate >= 0.5 else None


def _same_name(reference: str, given: Any) -> bool:
    a, b = normalize_label(reference), normalize_label(given)
    if not a or not b:
        return False
    return a == b or a.replace(" ", "") == b.replace(" ", "") or (len(b) >= 4 and (a.startswith(b) or b.startswith(a)))


# ---------------------------------------------------------------------------------------------
# Cell parsers (vectorised over a column; None = blank, NaN = unreadable)

#: spaces between thousands: plain, NBSP U+00A0, narrow NBSP U+202F, thin and figure spaces, apostrophe
#: (real characters, not \u escapes, so that Arrow's regex engine runs it)
_NUM_SPACES = re.compile("[\\s\u00a0\u202f\u2009\u2007\u2008\u200a']")
_NUM_UNITS = re.compile(r"(€|eur|euros?|logements?|lgts?)$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_COMMA_DECIMAL = re.compile(r"[+-]?\d*,\d+")
_DOT_DECIMAL = re.compile(r"[+-]?\d*\.\d+")


def _clean_number_text(value: str) -> str:
    text = _NUM_SPACES.sub("", value).replace("\u2212", "-").replace("\u2013", "-")
    return _NUM_UNITS.sub("", text)


def decimal_separator(texts: Sequence[str], default: str = ",") -> str:
    """The decimal mark used in a column: ',' if some value can only be read with a decimal
    comma (1,5 or 1.234,5), '.' if some value can only be read with a decimal point, else the
    file's default (',' for a ';'-separated file or a workbook, '.' for a ','-separated file)."""
    t = pd.Series(list(texts), dtype="str")
    if t.empty:
        return default
    has_c, has_d = t.str.contains(",", regex=False), t.str.contains(".", regex=False)
    both = has_c & has_d
    comma_last = t.str.rfind(",") > t.str.rfind(".")
    comma = (both & comma_last) | (~both & _fullmatch(t, _COMMA_DECIMAL) & ~_fullmatch(t, _THOUSANDS_COMMA))
    dot = (both & ~comma_last) | (~both & _fullmatch(t, _DOT_DECIMAL) & ~_fullmatch(t, _THOUSANDS_DOT))
    if comma.any() and not dot.any():
        return ","
    if dot.any() and not comma.any():
        return "."
    return default


def _fullmatch(t: pd.Series, pattern: re.Pattern) -> pd.Series:
    return t.str.fullmatch(pattern.pattern).fillna(False).astype(bool)


def _numbers_from_texts(texts: pd.Series, decimal: str) -> pd.Series:
    """Vectorised ``_number_from_text`` over cleaned texts."""
    t = texts
    if decimal == ",":
        bad = t.str.contains(".", regex=False) & ~_fullmatch(t, _THOUSANDS_DOT)
        t = t.str.replace(".", "", regex=False)
        bad |= t.str.count(",") > 1
        t = t.str.replace(",", ".", regex=False)
    else:
        bad = t.str.contains(",", regex=False) & ~_fullmatch(t, _THOUSANDS_COMMA)
        t = t.str.replace(",", "", regex=False)
    ok = ~bad & _fullmatch(t, _PLAIN_NUMBER)
    values = pd.to_numeric(t.where(ok), errors="coerce").astype(float)
    return values.where(np.isfinite(values))


def _number_from_text(text: str, decimal: str) -> float:
    return float(_numbers_from_texts(pd.Series([_clean_number_text(text)], dtype="str"), decimal).iloc[0])


def _objects(values: pd.Series) -> list:
    """A column's cells as Python objects, None where blank (fast for Arrow and float columns)."""
    if values.dtype == object:
        return values.tolist()
    return values.to_numpy(dtype=object, na_value=None).tolist()


def parse_numbers(values: pd.Series, default_decimal: str = ",") -> pd.Series:
    """Numbers as floats: NaN where blank or unreadable (tell them apart with ``_blank``)."""
    if pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
        out_f = values.astype(float)
        return out_f.where(np.isfinite(out_f))
    vals = _objects(values)
    out = np.full(len(vals), np.nan)
    pos: list[int] = []
    texts: list[str] = []
    for i, v in enumerate(vals):
        if isinstance(v, str):
            if v.strip():
                pos.append(i)
                texts.append(v)
        elif _is_number_value(v):
            f = float(v)
            out[i] = f if np.isfinite(f) else np.nan
    if texts:
        t = pd.Series(texts, dtype="str")  # Arrow-backed strings: the regexes below run in C++
        t = t.str.replace(_NUM_SPACES.pattern, "", regex=True).str.replace("\u2212", "-", regex=False)
        t = t.str.replace("\u2013", "-", regex=False).str.replace("(?i)" + _NUM_UNITS.pattern, "", regex=True)
        decimal = decimal_separator(t.drop_duplicates().tolist(), default_decimal)
        out[pos] = _numbers_from_texts(t, decimal).to_numpy()
    return pd.Series(out, index=values.index, dtype=float)


def _memo_map(values: pd.Series, fn) -> list:
    """``fn`` applied once per distinct cell (files repeat codes, years and flags a lot)."""
    cache: dict = {}
    out = []
    for v in _objects(values):
        if _blank(v):
            out.append(fn(None))
            continue
        key = (type(v), v)
        if key not in cache:
            cache[key] = fn(v)
        out.append(cache[key])
    return out


def parse_years(values: pd.Series) -> pd.Series:
    """Years as floats (NaN where blank or unreadable): 2014, 2014.0, '2014', a date's year."""
    def one(v: Any) -> float:
        if _blank(v):
            return np.nan
        if isinstance(v, (datetime, date)):
            return float(v.year)
        if _is_number_value(v):
            f = float(v)
            return f if np.isfinite(f) and f.is_integer() else np.nan
        if isinstance(v, str):
            t = v.strip()
            if re.fullmatch(r"\d{4}(\.0+)?", t):
                return float(t.split(".")[0])
        return np.nan
    return pd.Series(_memo_map(values, one), index=values.index, dtype=float)


_TRUE = {"oui", "o", "1", "vrai", "true", "x", "yes", "y", "exonere", "exoneree"}
_FALSE = {"non", "n", "0", "faux", "false", "no", ""}


def parse_bools(values: pd.Series) -> pd.Series:
    """oui/non, vrai/faux, 1/0, x/blank -> True/False; anything else -> None."""
    def one(v: Any) -> Any:
        if _blank(v):
            return False
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if _is_number_value(v):
            return {1.0: True, 0.0: False}.get(float(v))
        t = normalize_label(v)
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        return None
    return pd.Series(_memo_map(values, one), index=values.index, dtype=object)


# ---------------------------------------------------------------------------------------------
# Validation (pandera) and building the dataset

_TOTAL_WORDS = ("total", "ensemble", "france", "sous total", "tous", "somme")


def build_dataset(raw: RawTable, kind: str, mapping: Mapping[str, str | None], level: str | None = None,
                  name: str | None = None, fixed_year: int | None = None,
                  now: datetime | None = None) -> ImportedDataset:
    """Validate the mapped columns of ``raw`` and build the dataset; raise ``ImportRejected``
    (a ``DataError``) listing every problem otherwise."""
    fields = fields_of(kind)
    filename = raw.filename
    name = _clean_name(name or PurePath(filename).stem)
    level = level or detect_level(raw, kind, mapping)
    if level not in KIND_LEVELS[kind]:
        raise ImportRejected(filename, [Problem(
            f"{_where(filename)} : le niveau « {LEVEL_LABELS.get(level, level)} » n'est pas accepté pour ce type "
            f"de fichier (niveaux possibles : {', '.join(LEVEL_LABELS[lv] for lv in KIND_LEVELS[kind])}).",
            "niveau")])
    problems: list[Problem] = list(raw.problems)
    warnings: list[str] = []
    mapping = {k: v for k, v in mapping.items() if v is not None}
    for key, col in mapping.items():
        if col not in raw.frame.columns:
            problems.append(Problem(f"{_where(filename)} : la colonne « {col} » choisie pour « {key} » n'existe pas "
                                    "dans le fichier. Choisissez une autre colonne.", "colonne_inconnue", column=col))
    mapping = {k: v for k, v in mapping.items() if v in raw.frame.columns and k in {f.key for f in fields}}
    cols = list(mapping.values())
    dupes = {c for c in cols if cols.count(c) > 1}
    for c in sorted(dupes):
        problems.append(Problem(f"{_where(filename, column=c)} : la même colonne est choisie pour plusieurs "
                                "champs. Choisissez une colonne différente pour chacun.", "colonne_double", column=c))
    problems += _missing_fields(filename, kind, fields, mapping, fixed_year)
    if problems:
        raise ImportRejected(filename, problems)

    df = raw.frame[list(mapping.values())].copy()
    df.columns = list(mapping.keys())
    df, skipped = _drop_total_rows(df, mapping, raw.frame)
    if skipped:
        warnings.append(f"Lignes de total ignorées : {', '.join(str(x) for x in skipped[:10])}"
                        + (" …" if len(skipped) > 10 else "") + ".")
    if df.empty:
        raise ImportRejected(filename, [Problem(f"{_where(filename)} : aucune ligne de données (seulement des "
                                                "totaux ou des lignes vides).", "vide")])
    if fixed_year is not None and "annee" not in df.columns:
        df["annee"] = fixed_year
        mapping = {**mapping, "annee": "(année choisie)"}
    ftypes = {f.key: f for f in fields}
    ref = _safe_reference()
    if ref is None:
        raise DataError("Les territoires de référence (data/territoires.csv) sont illisibles : l'import est "
                        "impossible tant qu'ils ne sont pas reconstruits (« make data »).")
    code_level = {k: _field_level(k, level) for k in mapping if ftypes.get(k) and ftypes[k].type == "code"}

    # stage 1: every cell readable (pandera on the raw cells)
    parsed = _parse_columns(df, ftypes, raw.default_decimal, code_level)
    schema_cells = pa.DataFrameSchema(
        {k: pa.Column(None, _cell_checks(ftypes[k], parsed[k], df[k]),
                      nullable=not _cell_required(kind, ftypes[k]), required=True)
         for k in df.columns if k in ftypes},
        name="cellules",
    )
    problems += _pandera_problems(schema_cells, df, filename, mapping, ftypes, level, ref)

    # stage 2: values make sense (pandera on the typed frame)
    typed = pd.DataFrame(parsed, index=df.index)
    schema_values = _value_schema(kind, ftypes, typed, level, ref, code_level)
    problems += _duplicates(kind, typed, filename, mapping)
    problems += _pandera_problems(schema_values, typed, filename, mapping, ftypes, level, ref, raw_cells=df)
    if kind == "organismes":
        problems += _organisme_location_problems(typed, filename, mapping, ref)
    if level == "commune":
        more_problems, more_warnings = _commune_problems(typed, filename, mapping, ref)
        problems += more_problems
        warnings += more_warnings
    if problems:
        raise ImportRejected(filename, _cap(problems), warnings)

    if "territoire_nom" in typed.columns:
        warnings += _name_warnings(typed, filename, mapping, level, ref)
    loaded_at = now or datetime.now()
    if kind == "figures":
        frame, more = _figures_frame(typed, level, ref, name, filename)
    elif kind == "objectifs":
        frame, more = _objectives_frame(typed, level, ref, filename)
    else:
        frame, more = _organismes_frame(typed, mapping, ref)
    warnings += more
    if kind == "figures":
        frame = _check_output(frame, filename)
    if frame.empty:
        raise ImportRejected(filename, [Problem(
            f"{_where(filename)} : aucune valeur à importer (toutes les cellules des indicateurs sont vides).",
            "vide")], warnings)
    return ImportedDataset(kind, name, loaded_at, frame.reset_index(drop=True), filename, level,
                           tuple(warnings[:MAX_MESSAGES]))


def import_file(content: bytes, filename: str, kind: str, name: str | None = None,
                mapping: Mapping[str, str | None] | None = None, level: str | None = None,
                header_line: int | None = None, sheet: str | None = None, fixed_year: int | None = None,
                now: datetime | None = None) -> ImportedDataset:
    """Read, map (proposed mapping unless given), validate and build in one call."""
    fields_of(kind)
    raw = read_table(content, filename, kind, header_line=header_line, sheet=sheet)
    mapping = dict(mapping) if mapping is not None else propose_mapping(raw, kind)
    return build_dataset(raw, kind, mapping, level=level, name=name, fixed_year=fixed_year, now=now)


def _clean_name(name: str) -> str:
    text = "".join(c for c in str(name) if c.isprintable()).strip()
    return (text or "import")[:80]


def _field_level(key: str, level: str) -> str:
    if key == "dep_code":
        return "departement"
    if key == "reg_code":
        return level if level in ("region2015", "region2016") else "region2015"
    return level


def _missing_fields(filename, kind, fields, mapping, fixed_year) -> list[Problem]:
    out = []
    for f in fields:
        if f.required and f.key not in mapping and not (f.key == "annee" and fixed_year is not None):
            examples = ", ".join(f"« {s} »" for s in (f.label, *f.synonyms[:3]))
            extra = (" ou indiquez l'année de tout le fichier dans l'étape de correspondance"
                     if f.key == "annee" else "")
            out.append(Problem(f"{_where(filename)} : colonne obligatoire manquante : « {f.label} ». Ajoutez une "
                               f"colonne nommée par exemple {examples}, ou choisissez-la dans l'étape de "
                               f"correspondance{extra}. Le modèle téléchargeable montre la forme attendue.",
                               "colonne_manquante", column=f.label))
    if kind == "figures" and not any(k in mapping for k in FIGURE_INDICATORS):
        labels = ", ".join(f"« {f.label} »" for f in fields if f.key in FIGURE_INDICATORS)
        out.append(Problem(f"{_where(filename)} : aucune colonne de chiffres reconnue. Il faut au moins une de : "
                           f"{labels} (choisissez-la dans l'étape de correspondance).", "colonne_manquante"))
    if kind == "organismes" and "reg_code" not in mapping and "dep_code" not in mapping:
        out.append(Problem(f"{_where(filename)} : il faut une colonne « Code région » ou « Code département » "
                           "pour situer chaque organisme.", "colonne_manquante", column="Code région"))
    return out


def _drop_total_rows(df: pd.DataFrame, mapping, full: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Rows such as « Total région » or « France entière » under the data: skipped, and said so."""
    code = next((k for k in ("territoire_code", "organisme_id") if k in df.columns), None)
    if code is None:
        return df, []
    skipped = []
    cells = _objects(df[code])
    for idx, cell in zip(df.index, cells, strict=True):
        if not (_blank(cell) or (isinstance(cell, str) and cell.lstrip()[:1].lower() in "tefs"
                                 and normalize_label(cell).startswith(_TOTAL_WORDS))):
            continue
        texts = [normalize_label(v) for v in full.loc[idx].tolist() if isinstance(v, str)]
        if any(t.startswith(_TOTAL_WORDS) for t in texts if t):
            skipped.append(idx)
    return df.drop(index=skipped), skipped


def _cell_required(kind: str, f: Field) -> bool:
    if f.required:
        return True
    if kind == "organismes" and f.type in ("count", "amount"):
        return True
    return False


def _parse_columns(df, ftypes, default_decimal, code_level) -> dict[str, pd.Series]:
    out = {}
    for k in df.columns:
        f = ftypes[k]
        s = df[k]
        if f.type in ("count", "amount"):
            out[k] = parse_numbers(s, default_decimal)
        elif f.type == "year":
            out[k] = parse_years(s).astype("Float64")
        elif f.type == "bool":
            out[k] = parse_bools(s)
        elif f.type == "code":
            lv = code_level[k]
            out[k] = pd.Series(_memo_map(s, lambda v, lv=lv: normalize_code(v, lv)), index=s.index, dtype=object)
        else:
            out[k] = pd.Series(_memo_map(s, lambda v: None if _blank(v) else _display(v, 200)), index=s.index,
                               dtype=object)
    return out


def _cell_checks(f: Field, parsed: pd.Series, raw: pd.Series) -> list[pa.Check]:
    """Checks on raw cells; pandera drops blank (null) cells before calling them."""
    if f.type in ("count", "amount"):
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="nombre")]
    if f.type == "year":
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="annee_format")]
    if f.type == "bool":
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="booleen")]
    if f.type == "code":
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="code_format")]
    return []


def _value_schema(kind, ftypes, typed, level, ref: Reference, code_level) -> pa.DataFrameSchema:
    cols = {}
    for k in typed.columns:
        f = ftypes[k]
        checks = []
        if f.type in ("count", "amount"):
            checks.append(pa.Check(lambda s: s >= 0, name="positif"))
            if f.type == "count":
                checks.append(pa.Check(lambda s: (s < 0) | (s == np.floor(s)), name="entier"))
        elif f.type == "year":
            checks.append(pa.Check(lambda s: (s >= YEAR_MIN) & (s <= YEAR_MAX), name="annee_plage"))
        elif f.type == "code" and code_level[k] != "commune":  # communes: see _commune_problems
            known = _known_codes(code_level[k], ref)
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name="code_connu"))
            if code_level[k] == "region2016":
                mergeable = set(ref.reg2016_nom) - set(ref.merged_reg2016)
                checks.append(pa.Check(lambda s, m=mergeable, known=known: ~s.isin(known) | s.isin(m),
                                       name="region_fusionnee"))
        cols[k] = pa.Column(None, checks, nullable=True, required=True)
    return pa.DataFrameSchema(cols, name="valeurs")


def _duplicates(kind: str, typed: pd.DataFrame, filename: str, mapping) -> list[Problem]:
    """Rows that repeat the same key (territory and year, or body): one message per key,
    computed on the whole frame at once (200 000 duplicated rows take no longer than 2)."""
    keys = _unique_keys(kind, typed)
    if not keys:
        return []
    dup = typed[keys].notna().all(axis=1) & typed.duplicated(keys, keep=False)
    if not dup.any():
        return []
    return _duplicate_problems(typed, typed.index[dup.to_numpy()], filename, mapping)


def _unique_keys(kind: str, typed: pd.DataFrame) -> list[str]:
    if kind == "organismes":
        return ["organisme_id"]
    return [k for k in ("territoire_code", "annee") if k in typed.columns]


def _known_codes(level: str, ref: Reference) -> set[str]:
    if level == "region2015":
        return set(ref.reg2015_nom)
    if level == "region2016":
        return set(ref.reg2016_nom)
    if level == "departement":
        return set(ref.dep_nom)
    return set()


def _pandera_problems(schema, frame, filename, mapping, ftypes, level, ref, raw_cells=None) -> list[Problem]:
    extra: list[Problem] = []
    try:
        schema.validate(frame, lazy=True)
        return extra
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True collects instead
        cases = exc.failure_cases if exc.failure_cases is not None else pd.DataFrame()
    problems = list(extra)
    if cases is None or len(cases) == 0:
        return problems
    cases = cases.copy()
    cases["_line"] = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.sort_values(["check", "column", "_line"], na_position="first", kind="stable")
    for (check, column), group in cases.groupby(["check", "column"], sort=False, dropna=False):
        check = str(check)
        f = ftypes.get(str(column))
        col_label = mapping.get(str(column), str(column))
        lines = [int(x) for x in group["_line"].dropna().tolist()]
        shown = lines[:MAX_MESSAGES_PER_PROBLEM]
        for ln in shown:
            raw_value = raw_cells.at[ln, column] if raw_cells is not None and ln in raw_cells.index else \
                (frame.at[ln, column] if ln in frame.index else None)
            problems.append(Problem(_message(check, f, raw_value, filename, ln, col_label, level, ref),
                                    check, ln, col_label))
        if len(lines) > len(shown):
            rest = lines[len(shown):]
            problems.append(Problem(
                f"{_where(filename, column=col_label)} : le même problème se répète sur {len(rest)} autre"
                f"{'s' if len(rest) > 1 else ''} ligne{'s' if len(rest) > 1 else ''} "
                f"({', '.join(str(x) for x in rest[:10])}{' …' if len(rest) > 10 else ''}).", check, None, col_label))
    return problems


def _commune_problems(frame, filename, mapping, ref: Reference) -> tuple[list[Problem], list[str]]:
    """A commune whose département is unknown is an error; one unknown to the 2011 zoning
    file may be a newer commune (communes nouvelles): its département decides, with a warning."""
    col_label = mapping.get("territoire_code", "territoire_code")
    problems, unknown = [], []
    for ln, code in frame["territoire_code"].items():
        if code is None:
            continue
        dep = commune_departement(code)
        if dep not in ref.dep_nom:
            problems.append(Problem(
                f"{_where(filename, ln, col_label)} : code commune « {code} » inconnu : son département ({dep}) "
                "n'existe pas. Vérifiez le code INSEE de la commune (5 caractères, par exemple 75056 ou 2A004).",
                "code_connu", ln, col_label))
        elif ref.commune_dep and code not in ref.commune_dep:
            unknown.append(f"{code} (ligne {ln})")
    warnings = []
    if unknown:
        warnings.append(f"Communes absentes du zonage de référence, comptées dans leur département : "
                        f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}.")
    return problems[:MAX_MESSAGES_PER_PROBLEM], warnings


def _duplicate_problems(frame, lines, filename, mapping) -> list[Problem]:
    keys = [k for k in ("organisme_id", "territoire_code", "annee") if k in frame.columns]
    if "organisme_id" in keys:
        keys = ["organisme_id"]
    sub = frame.loc[lines, keys]
    out = []
    labels = " et ".join(f"« {mapping.get(k, k)} »" for k in keys)
    for key_values, group in sub.groupby(keys, sort=False, dropna=True):
        key_values = key_values if isinstance(key_values, tuple) else (key_values,)
        shown = ", ".join(_display(v) for v in key_values)
        where = sorted(int(x) for x in group.index)
        out.append(Problem(
            f"{_where(filename)}, lignes {', '.join(str(x) for x in where[:10])} : doublon, la même valeur de "
            f"{labels} ({shown}) apparaît {len(where)} fois. Gardez une seule ligne (ou additionnez-les).",
            "doublon", where[0], mapping.get(keys[0], keys[0])))
        if len(out) >= MAX_MESSAGES_PER_PROBLEM * 2:
            break
    return out


def _message(check, f: Field | None, value, filename, line, column, level, ref: Reference) -> str:
    where = _where(filename, line, column)
    shown = _display(value)
    label = f.label if f else column
    if check == "not_nullable":
        if f is not None and f.type in ("count", "amount"):
            return f"{where} : cellule vide. « {label} » est obligatoire : écrivez 0 si la valeur est nulle."
        return f"{where} : cellule vide. « {label} » est obligatoire : remplissez-la."
    if check == "nombre":
        text = str(value).strip() if isinstance(value, str) else ""
        if text.startswith("="):
            return (f"{where} : « {shown} » est une formule, qui n'est pas calculée à l'import. Remplacez-la par "
                    "sa valeur (copier, puis collage spécial « valeurs »).")
        if text.startswith("#"):
            return (f"{where} : « {shown} » est une erreur de formule Excel. Corrigez la formule dans le classeur "
                    "ou remplacez la cellule par un nombre.")
        return (f"{where} : « {shown} » n'est pas un nombre. Écrivez seulement des chiffres ; les espaces entre "
                "milliers et la virgule décimale sont acceptés (1 234,5), pas le texte.")
    if check == "annee_format":
        return f"{where} : « {shown} » n'est pas une année. Écrivez l'année sur 4 chiffres, par exemple 2014."
    if check == "annee_plage":
        return (f"{where} : année {shown} hors de la période acceptée ({YEAR_MIN}–{YEAR_MAX}). Vérifiez la "
                "colonne choisie pour l'année et la valeur de la cellule.")
    if check == "positif":
        return (f"{where} : valeur négative ({shown}). Un nombre de logements ou un montant ne peut pas être "
                "négatif : corrigez le signe ou laissez la cellule vide si la valeur est inconnue.")
    if check == "entier":
        return (f"{where} : {shown} n'est pas un nombre entier de logements. Vérifiez la virgule décimale "
                "(« 1,234 » se lit un virgule deux cent trente-quatre) ou arrondissez.")
    if check == "booleen":
        return f"{where} : « {shown} » n'est pas compris. Écrivez oui ou non (ou 1 / 0, x pour oui, vide pour non)."
    if check == "code_format":
        return (f"{where} : « {shown} » n'est pas un code de {_level_noun(level, f)}. "
                f"{_code_hint(level, f)}")
    if check == "code_connu":
        return f"{where} : code « {shown} » inconnu pour le niveau {_level_noun(level, f)}. {_code_hint(level, f)}"
    if check == "region_fusionnee":
        code = normalize_code(value, "region2016") or shown
        nom = ref.reg2016_nom.get(code, "")
        olds = ", ".join(f"{c} {ref.reg2015_nom.get(c, '')}" for c in ref.reg2016_to_2015.get(code, ()))
        return (f"{where} : le code {code} désigne la région {nom} créée en 2016 par fusion ({olds}). Ses chiffres ne "
                "peuvent pas être répartis entre les anciennes régions du pacte : importez plutôt un fichier par "
                "département (colonne « Code département »), que le tableau de bord additionne par région d'avant 2016.")
    return f"{where} : valeur « {shown} » refusée ({check})."


def _level_noun(level: str, f: Field | None) -> str:
    if f is not None and f.key == "dep_code":
        level = "departement"
    return {"region2015": "région (avant 2016)", "region2016": "région (2016)", "departement": "département",
            "commune": "commune"}.get(level, level)


def _code_hint(level: str, f: Field | None) -> str:
    if f is not None and f.key == "dep_code":
        level = "departement"
    return {
        "region2015": "Codes attendus : 11 (Île-de-France), 21 à 94, 01 à 04 et 06 pour l'outre-mer. Si le fichier "
                      "donne des départements ou les régions de 2016, changez le niveau dans l'étape de correspondance.",
        "region2016": "Codes attendus : régions de 2016 (11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94, 01 à 06).",
        "departement": "Codes attendus : 01 à 95, 2A, 2B, 971 à 976. Si le fichier donne des régions ou des communes, "
                       "changez le niveau dans l'étape de correspondance.",
        "commune": "Code INSEE de commune attendu (5 caractères, par exemple 75056 ou 2A004).",
    }.get(level, "")


def _organisme_location_problems(typed, filename, mapping, ref: Reference) -> list[Problem]:
    if "reg_code" not in typed.columns or "dep_code" not in typed.columns:
        return []
    out = []
    for ln, (r, d) in typed[["reg_code", "dep_code"]].iterrows():
        if r is None or d is None or d not in ref.dep_reg2015:
            continue
        if ref.dep_reg2015[d] != r and r in ref.reg2015_nom:
            out.append(Problem(
                f"{_where(filename, ln, mapping['reg_code'])} : le département {d} ({ref.dep_nom[d]}) n'est pas dans "
                f"la région {r} ({ref.reg2015_nom.get(r, '?')}) mais dans la région {ref.dep_reg2015[d]}. Corrigez "
                "l'un des deux codes (ou ne donnez que le département).", "incoherence", ln, mapping["reg_code"]))
    return out[:MAX_MESSAGES_PER_PROBLEM]


def _name_warnings(typed, filename, mapping, level, ref: Reference) -> list[str]:
    tables = {"region2015": ref.reg2015_nom, "region2016": ref.reg2016_nom, "departement": ref.dep_nom}
    names = tables.get(level)
    if names is None:
        return []
    out = []
    for ln, (code, nom) in typed[["territoire_code", "territoire_nom"]].iterrows():
        if code is None or nom is None or code not in names:
            continue
        if not _same_name(names[code], nom):
            out.append(f"{_where(filename, ln, mapping.get('territoire_nom'))} : le code {code} est « {names[code]} », "
                       f"le fichier dit « {_display(nom)} ». Le code fait foi ; vérifiez le niveau choisi.")
    return out[:MAX_MESSAGES_PER_PROBLEM]


def _cap(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_MESSAGES:
        return problems
    rest = len(problems) - MAX_MESSAGES
    return [*problems[:MAX_MESSAGES], Problem(f"… et {rest} autres problèmes.", "autres")]


# ---------------------------------------------------------------------------------------------
# Output frames


def _empty_figures() -> pd.DataFrame:
    return _typed_figures(pd.DataFrame({c: [] for c in FIGURES_COLUMNS}))


def _typed_figures(df: pd.DataFrame) -> pd.DataFrame:
    # an imported figure's provenance is the file itself: no publisher, no publication date
    out = df.reindex(columns=list(FIGURES_COLUMNS)).copy()
    for c in PROVENANCE_COLUMNS:
        out[c] = out[c].astype(object).fillna("")
    for c in ("niveau", "territoire_code", "territoire_nom", "periode", "indicateur", "unite", "perimetre",
              "nature", "source", "note", "fichier_origine", *PROVENANCE_COLUMNS):
        out[c] = out[c].astype(object).where(out[c].notna(), None).astype(str)
    out["annee"] = pd.array(out["annee"].tolist(), dtype="Int64")
    out["valeur"] = out["valeur"].astype(float)
    return out


def source_label(name: str) -> str:
    return f"Fichier importé : {name}"


def _figures_frame(typed, level, ref: Reference, name, filename) -> tuple[pd.DataFrame, list[str]]:
    warnings = []
    ind_keys = [k for k in FIGURE_INDICATORS if k in typed.columns]
    base = typed[["territoire_code", "annee", *ind_keys]].copy()
    base["annee"] = base["annee"].astype(int)
    long = base.melt(id_vars=["territoire_code", "annee"], value_vars=ind_keys, var_name="champ", value_name="valeur")
    long = long.dropna(subset=["valeur"])
    if level == "region2016":
        long["territoire_code"] = long["territoire_code"].map(lambda c: ref.reg2016_to_2015[c][0])
        level = "region2015"
    if level == "commune":
        long["territoire_code"] = long["territoire_code"].map(commune_departement)
        n_communes = len(typed)
        long = long.groupby(["territoire_code", "annee", "champ"], as_index=False)["valeur"].sum()
        warnings.append(f"{n_communes} lignes de communes additionnées par département puis par région d'avant 2016 "
                        "(une commune absente du fichier compte pour 0).")
        level = "departement_complet"
    rows = []
    note_dep = "somme des communes du fichier" if level == "departement_complet" else ""
    for rec in long.itertuples(index=False):
        if level in ("departement", "departement_complet"):
            rows.append(("departement", rec.territoire_code, ref.dep_nom.get(rec.territoire_code, ""), rec.annee,
                         rec.champ, rec.valeur, note_dep))
        else:
            rows.append(("region2015", rec.territoire_code, ref.reg2015_nom.get(rec.territoire_code, ""), rec.annee,
                         rec.champ, rec.valeur, ""))
    if level in ("departement", "departement_complet"):
        dep = long.assign(reg=long["territoire_code"].map(ref.dep_reg2015))
        incomplete = []
        for (reg, year, champ), g in dep.groupby(["reg", "annee", "champ"]):
            expected = ref.deps_of_reg2015.get(reg, frozenset())
            present = set(g["territoire_code"])
            if level == "departement_complet" or present >= expected:
                note = (f"somme des {len(present)} départements du fichier" if level == "departement"
                        else "somme des communes du fichier")
                rows.append(("region2015", reg, ref.reg2015_nom.get(reg, ""), year, champ, float(g["valeur"].sum()),
                             note))
            else:
                incomplete.append(f"{reg} {ref.reg2015_nom.get(reg, '')} {year} ({len(present)} départements sur "
                                  f"{len(expected)})")
        if incomplete:
            shown = sorted(set(incomplete))
            warnings.append("Pas de total régional là où des départements manquent (les chiffres départementaux sont "
                            "gardés) : " + "; ".join(shown[:8]) + (" …" if len(shown) > 8 else "") + ".")
    df = pd.DataFrame(rows, columns=["niveau", "territoire_code", "territoire_nom", "annee", "champ", "valeur", "note"])
    df["indicateur"] = df["champ"].map(lambda k: FIGURE_INDICATORS[k][0])
    df["unite"] = df["champ"].map(lambda k: FIGURE_INDICATORS[k][1])
    df["periode"] = df["annee"].astype(str)
    df["perimetre"] = "fichier importé"
    df["nature"] = IMPORTE
    df["source"] = source_label(name)
    df["fichier_origine"] = filename
    return _typed_figures(df), warnings


def _objectives_frame(typed, level, ref: Reference, filename) -> tuple[pd.DataFrame, list[str]]:
    df = typed[["territoire_code", "annee", "objectif_lls"]].copy()
    df["objectif_rehab"] = typed["objectif_rehab"] if "objectif_rehab" in typed.columns else np.nan
    df["annee"] = df["annee"].astype(int)
    warnings = []
    if level == "region2016":
        df["territoire_code"] = df["territoire_code"].map(lambda c: ref.reg2016_to_2015[c][0])
    elif level == "departement":
        df["reg"] = df["territoire_code"].map(ref.dep_reg2015)
        parts = []
        for (reg, year), g in df.groupby(["reg", "annee"]):
            expected = ref.deps_of_reg2015.get(reg, frozenset())
            if set(g["territoire_code"]) >= expected:
                parts.append({"territoire_code": reg, "annee": year, "objectif_lls": g["objectif_lls"].sum(),
                              "objectif_rehab": g["objectif_rehab"].sum(min_count=len(g))})
            else:
                warnings.append(f"Région {reg} ({ref.reg2015_nom.get(reg, '')}) {year} : "
                                f"{len(set(g['territoire_code']))} départements sur {len(expected)}, pas d'objectif "
                                "régional calculé.")
        df = pd.DataFrame(parts, columns=["territoire_code", "annee", "objectif_lls", "objectif_rehab"])
    out = pd.DataFrame({
        "reg2015_code": df["territoire_code"].astype(str),
        "annee": pd.array(df["annee"].tolist(), dtype="Int64"),
        "objectif_lls": df["objectif_lls"].astype(float),
        "objectif_rehab": df["objectif_rehab"].astype(float),
    })
    return out.sort_values(["reg2015_code", "annee"]).reset_index(drop=True), warnings[:MAX_MESSAGES_PER_PROBLEM]


def _check_output(frame: pd.DataFrame, filename: str) -> pd.DataFrame:
    """The figures built must pass the shipped figures' own schema (same columns, same rules)."""
    from lib.data import FIGURES_SCHEMA

    try:
        return FIGURES_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:  # pragma: no cover - would be a bug here, said in French
        raise DataError(f"{_where(filename)} : les chiffres construits ne respectent pas le format du tableau de "
                        f"bord ({exc.failure_cases.head(3).to_dict('records')}).") from exc


_OBJECTIFS_SCHEMA = pa.DataFrameSchema(
    {
        "reg2015_code": pa.Column(str, pa.Check.str_length(2, 2)),
        "annee": pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX)),
        "objectif_lls": pa.Column(float, pa.Check.ge(0)),
        "objectif_rehab": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    strict=True, coerce=True, unique=["reg2015_code", "annee"],
)
_ORGANISMES_SCHEMA = pa.DataFrameSchema(
    {
        "organisme_id": pa.Column(str, unique=True),
        "organisme_nom": pa.Column(str),
        "reg2015_code": pa.Column(str, pa.Check.str_length(2, 2)),
        "dep_code": pa.Column(str, nullable=True),
        **{c: pa.Column(float, pa.Check.ge(0)) for c in (
            "loyers_eur", "patrimoine_logements", "cotisation_cglls_eur", "lls_zone_1_1bis", "lls_zone_2_3",
            "prets_rehab_eur", "logements_restructures")},
        "exonere": pa.Column(bool),
    },
    strict=True, coerce=True,
)


def validate_frame(kind: str, frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Check a frame already built by this module (e.g. reloaded from the database) against its
    kind's schema; return it typed, or raise ``DataError`` naming ``label``."""
    fields_of(kind)
    columns = {"figures": FIGURES_COLUMNS, "objectifs": OBJECTIFS_COLUMNS, "organismes": ORGANISMES_COLUMNS}[kind]
    if list(frame.columns) != list(columns):
        raise DataError(f"Données « {label} » : colonnes inattendues ({', '.join(map(str, frame.columns))}). "
                        "Importez à nouveau le fichier d'origine.")
    try:
        if kind == "figures":
            from lib.data import FIGURES_SCHEMA

            out = FIGURES_SCHEMA.validate(_typed_figures(frame), lazy=True)
            if set(out["nature"]) - {IMPORTE}:
                raise DataError(f"Données « {label} » : seule la nature « importé » est admise.")
            return out
        if kind == "objectifs":
            df = frame.astype({"reg2015_code": str})
            return _OBJECTIFS_SCHEMA.validate(df.assign(annee=pd.array(df["annee"].tolist(), dtype="Int64")),
                                              lazy=True)
        df = frame.copy()
        df["dep_code"] = df["dep_code"].map(lambda v: None if _blank(v) else str(v)).astype(object)
        df["reg2015_code"] = df["reg2015_code"].astype(str)
        return _ORGANISMES_SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(3)
        detail = "; ".join(f"« {c} » : {_display(v)}" for c, v in zip(cases["column"], cases["failure_case"],
                                                                          strict=False))
        raise DataError(f"Données « {label} » non conformes ({detail}). Importez à nouveau le fichier.") from exc
    except (ValueError, TypeError) as exc:
        raise DataError(f"Données « {label} » illisibles. Importez à nouveau le fichier.") from exc


def objectives_for_targets(ds: ImportedDataset) -> pd.DataFrame:
    """Imported objectives in the columns lib/targets.py ``apply_imported`` reads
    (annee, code, objectif, source)."""
    f = ds.frame
    return pd.DataFrame({"annee": f["annee"].astype(int), "code": f["reg2015_code"].astype(str),
                         "objectif": f["objectif_lls"].astype(float), "source": source_label(ds.name)})


def objectives_to_figures(frame: pd.DataFrame, name: str, filename: str = "") -> pd.DataFrame:
    """Imported objectives as ``objectif_lls`` rows of the figures table (region level)."""
    if frame.empty:
        return _empty_figures()
    ref = _safe_reference()
    names = ref.reg2015_nom if ref else {}
    df = pd.DataFrame({
        "niveau": "region2015",
        "territoire_code": frame["reg2015_code"].astype(str),
        "territoire_nom": frame["reg2015_code"].astype(str).map(lambda c: names.get(c, "")),
        "periode": frame["annee"].astype(str),
        "annee": frame["annee"],
        "indicateur": "objectif_lls",
        "valeur": frame["objectif_lls"].astype(float),
        "unite": "logements",
        "perimetre": "fichier importé",
        "nature": IMPORTE,
        "source": source_label(name),
        "note": "",
        "fichier_origine": filename,
    })
    return _typed_figures(df)


def _organismes_frame(typed, mapping, ref: Reference) -> tuple[pd.DataFrame, list[str]]:
    warnings = []
    n = len(typed)
    dep = typed["dep_code"] if "dep_code" in typed.columns else pd.Series([None] * n, index=typed.index, dtype=object)
    if "reg_code" in typed.columns:
        reg = typed["reg_code"].copy()
        reg = reg.map(lambda c: ref.reg2016_to_2015[c][0] if c in ref.reg2016_to_2015 and c not in ref.reg2015_nom
                      else c)
    else:
        reg = pd.Series([None] * n, index=typed.index, dtype=object)
    reg = reg.where(reg.notna(), dep.map(lambda d: ref.dep_reg2015.get(d) if d else None))
    out = pd.DataFrame({
        "organisme_id": typed["organisme_id"].astype(str),
        "organisme_nom": typed["organisme_nom"].astype(str),
        "reg2015_code": reg.astype(object),
        "dep_code": dep.astype(object),
    }, index=typed.index)
    missing_loc = out["reg2015_code"].isna()
    if missing_loc.any():
        lines = ", ".join(str(x) for x in out.index[missing_loc][:10])
        raise ImportRejected(mapping.get("organisme_id", ""), [Problem(
            f"Lignes {lines} : ni région ni département pour l'organisme. Remplissez le code région ou le code "
            "département.", "not_nullable")])
    for key in ("loyers_eur", "patrimoine_logements", "cotisation_cglls_eur", "lls_zone_1_1bis", "lls_zone_2_3",
                "prets_rehab_eur", "logements_restructures"):
        if key in typed.columns:
            out[key] = typed[key].astype(float)
        else:
            out[key] = 0.0
            label = next(f.label for f in FIELDS["organismes"] if f.key == key)
            warnings.append(f"Colonne « {label} » absente : 0 pour tous les organismes.")
    if "exonere" in typed.columns:
        out["exonere"] = typed["exonere"].astype(bool)
    else:
        out["exonere"] = False
        warnings.append("Colonne « Exonéré » absente : aucun organisme n'est marqué exonéré.")
    return out[list(ORGANISMES_COLUMNS)], warnings


# ---------------------------------------------------------------------------------------------
# Export: templates and files written back (no CSV / Excel injection)

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
