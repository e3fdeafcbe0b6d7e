"""Confirmations shown where the user is: after a callback (loading a scenario, putting a file in
use, saving a dataset) the message is kept in session state, then shown once both as a toast (in
the corner of the screen, whatever part of the page is in view) and inline next to the button.

Messages quote names typed by users of the shared store: they are escaped (``md_text``), web
addresses included.
"""

from __future__ import annotations

import streamlit as st

from lib.ui import md_text


def remember(key: str, message: str) -> None:
    """Keep ``message`` for the next run (call it from a button's callback)."""
    st.session_state[key] = message


def confirm(key: str, *, inline: bool = True, icon: str = ":material/check_circle:",
            box: str = "success") -> str | None:
    """Show the message kept under ``key`` once: a toast, and a box here if ``inline``."""
    message = st.session_state.pop(key, None)
    if not message:
        return None
    show(message, inline=inline, icon=icon, box=box)
    return message


def show(message: str, *, inline: bool = True, icon: str = ":material/check_circle:", box: str = "success") -> None:
    """A confirmation now: toast, and inline box (``box``: "success" or "info")."""
    text = md_text(message)
    st.toast(text, icon=icon)
    if inline:
        (st.info if box == "info" else st.success)(text, icon=icon)
