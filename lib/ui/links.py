"""The address of a view, in full, ready to paste in a mail (``lib.share_links``)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lib.share_links import full_address, query_string


def page_address(query: str | Mapping[str, object], path: str) -> str | None:
    """This page's full address with ``query`` (from the browser's address, else the headers)."""
    try:
        url = st.context.url
        headers = dict(st.context.headers or {})
    except Exception:  # noqa: BLE001 - no browser context (a test harness): fall back below
        url, headers = None, {}
    return full_address(url, query, headers, path)


def render_link_to_send(label: str, query: str | Mapping[str, object], path: str) -> None:
    """The full address in a code block (with its copy button), or the path when the host is
    unknown, said as such."""
    address = page_address(query, path)
    st.markdown(f"**{label}** : cette adresse, à coller dans un courriel, ouvre la même vue pour le destinataire.")
    if address:
        st.code(address, language=None, wrap_lines=True)
    else:
        q = query_string(query)
        st.code("/" + path.lstrip("/") + (f"?{q}" if q else ""), language=None, wrap_lines=True)
        st.caption("Adresse du serveur inconnue ici : ajoutez devant le début de l'adresse du tableau de bord.")
