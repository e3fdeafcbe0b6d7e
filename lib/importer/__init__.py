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

from pathlib import PurePath

from lib.exports import neutralise_cell, neutralise_frame, to_csv_bytes, to_xlsx_bytes
from lib.importer import limits
from lib.importer.cells import decimal_separator, parse_bools, parse_numbers, parse_years
from lib.importer.dataset import ImportedDataset
from lib.importer.export import TEMPLATE_EXAMPLE, TEMPLATES, template_csv, template_frame, template_xlsx
from lib.importer.fields import (
    FIELDS,
    FIGURE_INDICATORS,
    FIGURES_COLUMNS,
    OBJECTIFS_COLUMNS,
    ORGANISMES_COLUMNS,
    Field,
    fields_of,
)
from lib.importer.frames import objectives_for_targets, objectives_to_figures, source_label, validate_frame
from lib.importer.limits import (
    HEADER_SCAN_ROWS,
    KIND_LABELS,
    KIND_LEVELS,
    KINDS,
    LEVEL_LABELS,
    LEVELS,
    LIMITS_TEXT,
    MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MESSAGES,
    MAX_MESSAGES_PER_PROBLEM,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    YEAR_MAX,
    YEAR_MIN,
)
from lib.importer.mapping import propose_mapping
from lib.importer.problems import ImportRejected, Problem
from lib.importer.reading import TEXT_EXTENSIONS, RawTable, read_table, release_memory
from lib.importer.territories import Reference, commune_departement, detect_level, load_reference, normalize_code
from lib.importer.text import normalize_label
from lib.importer.validation import build_dataset, import_file

__all__ = [
    "PurePath",
    "neutralise_cell",
    "neutralise_frame",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "limits",
    "HEADER_SCAN_ROWS",
    "KINDS",
    "KIND_LABELS",
    "KIND_LEVELS",
    "LEVELS",
    "LEVEL_LABELS",
    "LIMITS_TEXT",
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_MESSAGES",
    "MAX_MESSAGES_PER_PROBLEM",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "YEAR_MAX",
    "YEAR_MIN",
    "FIELDS",
    "FIGURES_COLUMNS",
    "FIGURE_INDICATORS",
    "Field",
    "OBJECTIFS_COLUMNS",
    "ORGANISMES_COLUMNS",
    "fields_of",
    "ImportedDataset",
    "ImportRejected",
    "Problem",
    "normalize_label",
    "RawTable",
    "TEXT_EXTENSIONS",
    "read_table",
    "release_memory",
    "propose_mapping",
    "Reference",
    "commune_departement",
    "detect_level",
    "load_reference",
    "normalize_code",
    "decimal_separator",
    "parse_bools",
    "parse_numbers",
    "parse_years",
    "build_dataset",
    "import_file",
    "objectives_for_targets",
    "objectives_to_figures",
    "source_label",
    "validate_frame",
    "TEMPLATES",
    "TEMPLATE_EXAMPLE",
    "template_csv",
    "template_frame",
    "template_xlsx",
]
