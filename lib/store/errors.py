"""What can go wrong with the shared store, said in French to the user, in detail to the server log.

The store is shared by every user and may be a file on a read-only volume, a file another program
holds locked, or a PostgreSQL server that is down. Users get a message that says what happened,
that nothing was changed and what to do; never a driver's English text, a path or an address
(those go to the server log, where the administrator needs them).
"""

from __future__ import annotations

import errno
import logging
import sqlite3

from lib.errors import DataError

log = logging.getLogger("lib.store")

READ, SAVE, DELETE = "read", "save", "delete"
_DONE = {READ: "Lecture des enregistrements impossible", SAVE: "Enregistrement impossible",
         DELETE: "Suppression impossible"}
_NOTHING = {READ: "", SAVE: " Rien n'a été enregistré ni modifié.", DELETE: " Rien n'a été supprimé."}


class StoreError(DataError):
    """The store could not do what was asked; ``str(err)`` is the French message for the user."""

    reason = "la base partagée (scénarios et jeux de données) est inaccessible pour l'instant"
    advice = "Prévenez l'administrateur du serveur."

    def __init__(self, action: str = READ) -> None:
        self.action = action
        super().__init__(f"{_DONE[action]} : {self.reason}.{_NOTHING[action]} {self.advice}")


class StoreReadOnly(StoreError):
    reason = "la base partagée est en lecture seule sur ce serveur"
    advice = ("Les scénarios et jeux de données déjà enregistrés restent consultables ; "
              "prévenez l'administrateur du serveur.")


class StoreBusy(StoreError):
    reason = "la base partagée est occupée par une autre opération"
    advice = "Réessayez dans un instant."


class StoreUnavailable(StoreError):
    """Cannot open or reach the store (file unreadable, server down, bad configuration)."""


class StoreFull(StoreError):
    reason = "le serveur n'a plus d'espace disque pour la base partagée"


class StoreDamaged(StoreError):
    reason = "la base partagée est endommagée"
    advice = "Prévenez l'administrateur du serveur : il peut la restaurer depuis une sauvegarde."


class DuplicateKey(StoreError):
    """A unique name already taken (callers turn it into ``store.NameConflict``)."""

    reason = "ce nom est déjà pris"
    advice = ""


_SQLITE = {
    "SQLITE_READONLY": StoreReadOnly, "SQLITE_BUSY": StoreBusy, "SQLITE_LOCKED": StoreBusy,
    "SQLITE_FULL": StoreFull, "SQLITE_CORRUPT": StoreDamaged, "SQLITE_NOTADB": StoreDamaged,
    "SQLITE_CONSTRAINT_UNIQUE": DuplicateKey, "SQLITE_CONSTRAINT_PRIMARYKEY": DuplicateKey,
}
# SQLSTATE classes and codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
_PG = {
    "25006": StoreReadOnly,   # read_only_sql_transaction (hot standby, default_transaction_read_only)
    "42501": StoreReadOnly,   # insufficient_privilege (a role granted SELECT only)
    "55P03": StoreBusy,       # lock_not_available (lock_timeout)
    "57014": StoreBusy,       # query_canceled (statement_timeout)
    "40001": StoreBusy, "40P01": StoreBusy,  # serialization failure, deadlock
    "53100": StoreFull,       # disk_full
    "XX001": StoreDamaged, "XX002": StoreDamaged,  # data_corrupted, index_corrupted
    "23505": DuplicateKey,    # unique_violation
}
_OS = {errno.EROFS: StoreReadOnly, errno.EACCES: StoreReadOnly, errno.EPERM: StoreReadOnly,
       errno.ENOSPC: StoreFull, errno.EDQUOT: StoreFull}


def classify(exc: BaseException) -> type[StoreError]:
    """The kind of failure behind a driver's (or SQLAlchemy's wrapped) exception."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, StoreError):
        return type(orig)
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", "") or ""
        for prefix, cls in _SQLITE.items():
            if name == prefix or name.startswith(prefix + "_"):
                return cls
        if isinstance(orig, sqlite3.IntegrityError) and "UNIQUE" in str(orig).upper():
            return DuplicateKey
        return StoreUnavailable
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return _PG.get(sqlstate, StoreUnavailable)
    if isinstance(orig, OSError):
        return _OS.get(orig.errno, StoreUnavailable)
    return StoreUnavailable


def translate(exc: BaseException, action: str, where: str) -> StoreError:
    """The French error for ``exc``, the technical detail logged (``where`` names the store
    without its password)."""
    cls = classify(exc)
    if cls is not DuplicateKey:  # the driver's own words, not the statement and its data
        detail = getattr(exc, "orig", None) or exc
        log.warning("store %s failed on %s: %s: %s", action, where, type(detail).__name__, detail)
    return cls(action)
