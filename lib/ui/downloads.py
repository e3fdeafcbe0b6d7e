"""The download button of a table's file (CSV or Excel), the same on every page: the download
icon, the file's type told by its name, the file built on click when ``data`` is a callable (a
rerun builds none). Charts and maps have their own exports (``lib.ui.charts``)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

MIME_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_download(label: str, data: bytes | Callable[[], bytes], file_name: str, *, key: str | None = None,
                   where=None) -> None:
    """A button that downloads ``file_name`` (``.csv`` or ``.xlsx``), in ``where`` (default: here)."""
    mime = MIME_TYPES[file_name[file_name.rindex("."):]]
    (where or st).download_button(label, data=data, file_name=file_name, mime=mime, icon=":material/download:",
                                  key=key)
