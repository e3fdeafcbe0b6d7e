"""The address of a view, in full, ready to paste in a mail (``lib.share_links``).

The address is shown in a read-only field with a « Copier l'adresse » button: a small in-page
component (no iframe), not ``st.code``, whose copy button would make the browser download
Streamlit's syntax highlighter (about 500 KB gzipped) for one line of text.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lib.share_links import full_address, query_string

COPY_HTML = """
<div class="pacte-copy">
  <input class="pacte-copy-field" type="text" readonly spellcheck="false">
  <button class="pacte-copy-button" type="button">Copier l'adresse</button>
  <span class="pacte-copy-status" role="status" aria-live="polite"></span>
</div>
"""

COPY_CSS = """
.pacte-copy { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; font-family: var(--st-font, sans-serif); }
.pacte-copy-field {
  flex: 1 1 24rem; min-width: 0; font: inherit; font-size: 0.95rem; color: var(--st-text-color, #3a3a3a);
  background: var(--st-secondary-background-color, #f6f6f6); border: 1px solid var(--st-border-color, #dddddd);
  border-radius: 0.25rem; padding: 0.45rem 0.6rem;
}
.pacte-copy-button {
  font: inherit; font-size: 0.95rem; font-weight: 500; color: #ffffff; background: var(--st-primary-color, #000091);
  border: 1px solid var(--st-primary-color, #000091); border-radius: 0; padding: 0.45rem 0.9rem; cursor: pointer;
}
.pacte-copy-button:hover { background: #1212ff; }
.pacte-copy-field:focus-visible, .pacte-copy-button:focus-visible { outline: 2px solid #0a76f6; outline-offset: 2px; }
.pacte-copy-status { font-size: 0.9rem; color: var(--st-text-color, #3a3a3a); }
"""

# The address is set as the field's value (never as HTML). The clipboard API needs a secure
# context (https or localhost); elsewhere the older copy command on the selected field does it.
COPY_JS = """
export default function (component) {
  const { parentElement, data } = component;
  const field = parentElement.querySelector(".pacte-copy-field");
  const button = parentElement.querySelector(".pacte-copy-button");
  const status = parentElement.querySelector(".pacte-copy-status");
  if (field.value !== data.address) { field.value = data.address; status.textContent = ""; }
  field.setAttribute("aria-label", data.label);
  button.setAttribute("aria-label", "Copier l'adresse : " + data.label);
  field.onfocus = () => field.select();
  button.onclick = async () => {
    let done = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(field.value);
        done = true;
      }
    } catch (e) { done = false; }
    if (!done) {
      field.focus();
      field.select();
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
    }
    status.textContent = done ? "Adresse copiée."
      : "Copie refusée par le navigateur : l'adresse est sélectionnée, faites Ctrl+C.";
  };
}
"""


def page_address(query: str | Mapping[str, object], path: str) -> str | None:
    """This page's full address with ``query`` (from the browser's address, else the headers)."""
    try:
        url = st.context.url
        headers = dict(st.context.headers or {})
    except Exception:  # noqa: BLE001 - no browser context (a test harness): fall back below
        url, headers = None, {}
    return full_address(url, query, headers, path)


def copy_field(address: str, label: str, key: str) -> None:
    """``address`` in a read-only field with its « Copier l'adresse » button (in the page, no iframe).

    Registering the same definition again on each run is silent and keeps the component known to
    whichever runtime serves the session."""
    component = st.components.v2.component("pacte_copy_address", html=COPY_HTML, css=COPY_CSS, js=COPY_JS)
    component(data={"address": address, "label": label}, key=key, width="stretch")


def render_link_to_send(label: str, query: str | Mapping[str, object], path: str) -> None:
    """The full address with its copy button, or the path when the host is unknown, said as such."""
    address = page_address(query, path)
    st.markdown(f"**{label}** : cette adresse, à coller dans un courriel, ouvre la même vue pour le destinataire.")
    key = f"copy_address_{path.strip('/') or 'accueil'}"
    if address:
        copy_field(address, label, key)
    else:
        q = query_string(query)
        copy_field("/" + path.lstrip("/") + (f"?{q}" if q else ""), label, key)
        st.caption("Adresse du serveur inconnue ici : ajoutez devant le début de l'adresse du tableau de bord.")
