"""Save under a name in the shared store, never replacing silently: the widget the simulator's
scenarios and the importer's datasets share.

Both places take the name the same way (``name_form``): a name field limited to the store's
``NAME_MAX`` and « Enregistrer » in one form, so typing a name does not rerun the page.
A save asks the store for a new name only. When the name is taken (perhaps by another user), the
refused save waits in session state and the user is told, with « Remplacer « nom » » and
« Annuler » under the message: the other entry is replaced only on that explicit click. Every
text is escaped here (names are typed by users of the shared store), confirmations are shown
where the user is (``feedback.show``), problems as every page says them (``show_error``,
``show_problem``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from lib import store
from lib.errors import DataError
from lib.ui import feedback, md_text, show_error, show_problem


@dataclass(frozen=True)
class NamedSave:
    """One place of the page that saves under a name; its keys keep their session and widgets apart."""

    pending_key: str  # session key of the (name, payload) refused because the name is taken
    replace_key: str  # key of the « Remplacer » button
    cancel_key: str  # key of the « Annuler » button
    #: saves ``(name, payload, overwrite)`` and returns the confirmation (plain text); raises
    #: ``store.NameConflict`` when the name is taken and ``overwrite`` is false, ``DataError`` otherwise
    write: Callable[[str, Any, bool], str]
    #: the message for a taken name (plain text): what exists, that it was not changed, what to do
    taken: Callable[[str], str]


def name_form(flow: NamedSave, key: str, label: str, payload: Callable[[], Any], *, value: str = "") -> None:
    """The name field and « Enregistrer » in the form ``key``; ``payload()`` is read on the click
    only (the settings of that moment), then a taken name offers « Remplacer » under the form."""
    with st.form(key, clear_on_submit=False, border=False):
        name = st.text_input(label, value=value, max_chars=store.NAME_MAX, key=f"{key}_name")
        if st.form_submit_button("Enregistrer"):
            save(flow, name, payload())
    confirm_replace(flow)


def save(flow: NamedSave, name: str, payload: Any, *, overwrite: bool = False) -> None:
    """Save ``payload`` under ``name``; a taken name waits for ``confirm_replace``."""
    try:
        message = flow.write(name, payload, overwrite)
    except store.NameConflict as err:
        st.session_state[flow.pending_key] = (err.name, payload)
        return
    except DataError as err:
        show_error(err)
        return
    st.session_state.pop(flow.pending_key, None)
    feedback.show(message)


def confirm_replace(flow: NamedSave) -> None:
    """After a refused save: say the name is taken and offer to replace it, or to cancel."""
    pending = st.session_state.get(flow.pending_key)
    if not pending:
        return
    name, payload = pending
    show_problem(flow.taken(name), warning=True)
    replace, cancel = st.columns(2)
    if replace.button(f"Remplacer « {md_text(name)} »", key=flow.replace_key, type="primary"):
        save(flow, name, payload, overwrite=True)
        return
    cancel.button("Annuler", key=flow.cancel_key, on_click=st.session_state.pop, args=(flow.pending_key, None))
