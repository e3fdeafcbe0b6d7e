"""Problems found in a file and the French error that carries them."""


from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lib.errors import DataError


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
