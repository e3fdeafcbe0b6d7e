"""The imported dataset a session keeps once a file is accepted."""


from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from lib.importer.frames import _empty_figures, objectives_to_figures


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
