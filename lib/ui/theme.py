"""The State look and French to the last word: DSFR CSS, and Streamlit's own interface in French.

Two parts:
- ``apply()`` (called by app.py on every run): restrained CSS over Streamlit's theme
  (``.streamlit/config.toml`` holds the DSFR colours, radii and type scale): the DSFR focus ring,
  title colours, the font stack. Presentation mode (``lib.ui.presentation_mode``) still enlarges
  everything, since sizes here are in rem.
- ``FrenchDocument``, an ASGI middleware that ``run.py`` gives ``st.App``: it serves Streamlit's
  page with ``<html lang="fr">`` and a French title, and puts ``static/fr/streamlit-fr.js`` with
  the ``MESSAGES`` catalogue at the top of it, before Streamlit's scripts. Streamlit 1.67 has no
  translation hook and formats numbers with the browser's languages; the script sets the locale
  Streamlit reads to fr-FR and translates Streamlit's strings (see the script's header).
"""

from __future__ import annotations

import json
from functools import lru_cache

import streamlit as st

from lib import dsfr
from lib.paths import STATIC
from lib.static_gzip import NOT_PAGES

FR_SCRIPT = STATIC / "fr" / "streamlit-fr.js"
PAGE_TITLE = "Pacte Hlm 2013-2015 — tableau de bord"

# Streamlit 1.67's strings that our pages can show, as written in its bundle -> French.
MESSAGES: dict[str, str] = {
    # file uploader
    "Upload": "Parcourir",
    "Upload directories": "Parcourir les dossiers",
    "Add files": "Ajouter des fichiers",
    "Drag and drop a file here": "Glissez-déposez un fichier ici",
    "Drag and drop files here": "Glissez-déposez des fichiers ici",
    "Drag and drop directories here": "Glissez-déposez des dossiers ici",
    "Browse files": "Parcourir",
    "Remove file": "Retirer le fichier",
    "Delete": "Supprimer",
    "Error uploading file": "Erreur pendant l'envoi du fichier",
    "Error deleting file": "Erreur pendant la suppression du fichier",
    # selectbox, multiselect
    "Choose an option": "Choisissez une option",
    "Choose options": "Choisissez une ou plusieurs options",
    "No results": "Aucun résultat",
    "No options to select": "Aucune option",
    "Clear value": "Effacer la valeur",
    "Clear all": "Tout effacer",
    "Select all": "Tout sélectionner",
    "Selected values": "Valeurs sélectionnées",
    "Selectbox options": "Options de la liste",
    "Multiselect options": "Options de la liste",
    "Open": "Ouvrir",
    "Close": "Fermer",
    # number and text inputs
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Number is above the allowed range.": "Le nombre dépasse la valeur maximale.",
    "Number is below the allowed range.": "Le nombre est inférieur à la valeur minimale.",
    "Invalid input.": "Saisie non valide.",
    "Press Enter to apply": "Appuyez sur Entrée pour valider",
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer",
    "Press ⌘+Enter to apply": "Appuyez sur ⌘+Entrée pour valider",
    "Press Ctrl+Enter to apply": "Appuyez sur Ctrl+Entrée pour valider",
    "Clear entry": "Effacer",
    # charts and tables toolbars
    "Show data": "Afficher les données",
    "Show chart": "Afficher le graphique",
    "Download as PNG": "Télécharger en PNG",
    "Download as CSV": "Télécharger en CSV",
    "Copy Vega-Lite spec": "Copier la spécification Vega-Lite",
    "Copied!": "Copié !",
    "Copied": "Copié",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Search": "Rechercher",
    "Close Search": "Fermer la recherche",
    "Add row": "Ajouter une ligne",
    "Delete rows": "Supprimer les lignes",
    "Delete row": "Supprimer la ligne",
    "Sort ascending": "Tri croissant",
    "Sort descending": "Tri décroissant",
    "Hide column": "Masquer la colonne",
    "Pin column": "Figer la colonne",
    "Unpin column": "Libérer la colonne",
    "Autosize": "Largeur automatique",
    "Format": "Format",
    "Copy column name": "Copier le nom de la colonne",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Clear selection": "Effacer la sélection",
    "Loading...": "Chargement…",
    "Scrollable table": "Tableau à faire défiler",  # st.table's box (presentation mode, lib/ui/tables.py)
    "Empty": "Vide",
    # frame, menus, status
    "Skip to main content": "Aller au contenu",
    "Sidebar": "Menu latéral",
    "Collapse sidebar": "Replier le menu latéral",
    "Expand sidebar": "Déplier le menu latéral",
    "Main menu": "Menu principal",
    "Print": "Imprimer",
    "Rerun": "Relancer",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Stopping...": "Arrêt…",
    "Connecting": "Connexion",
    "Connecting to Streamlit server": "Connexion au serveur",
    "Connection error": "Erreur de connexion",
    "Connection closed": "Connexion fermée",
    "Network error": "Erreur réseau",
    "Copy": "Copier",
    "Copy to clipboard": "Copier dans le presse-papiers",
    "Help": "Aide",
    "Settings": "Réglages",
}

# Messages with a number in them: (regular expression, French with {n} and {unit}).
PATTERNS: list[tuple[str, str]] = [
    (r"^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file$", "{n} {unit} maximum par fichier"),
    (r"^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB)$", "{n} {unit}"),
]
UNITS = {"B": "o", "KB": "ko", "MB": "Mo", "GB": "Go"}

@lru_cache(maxsize=1)
def head_script() -> str:
    """The ``<script>`` put first in the page's head: the catalogue, then streamlit-fr.js."""
    catalogue = json.dumps({"messages": MESSAGES, "patterns": PATTERNS, "units": UNITS},
                           ensure_ascii=False)
    body = FR_SCRIPT.read_text(encoding="utf-8")
    # the JSON is ours (no user data); "</" is still escaped so it cannot close the script early
    catalogue = catalogue.replace("</", "<\\/")
    return f"<script>window.__PACTE_FR__ = {catalogue};\n{body}</script>"


def french_index(html: str) -> str:
    """Streamlit's index.html with lang="fr", a French title and the French layer first."""
    html = html.replace('<html lang="en">', '<html lang="fr">', 1)
    html = html.replace("<title>Streamlit</title>", f"<title>{PAGE_TITLE}</title>", 1)
    return html.replace("<head>", "<head>\n" + head_script(), 1)


_NOT_PAGES = NOT_PAGES  # shared with the compression layer, which must skip the same routes


class FrenchDocument:
    """ASGI middleware: every HTML page Streamlit serves goes out in French (``french_index``).

    Only GET/HEAD requests outside Streamlit's asset and API routes are looked at; their
    ``accept-encoding`` is dropped so that the page (3 kB) comes back uncompressed and can be
    edited; any other response streams through untouched.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or any(
            p in scope.get("path", "") for p in _NOT_PAGES
        ):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}
        start: dict | None = None
        chunks: list[bytes] = []

        async def capture(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = french_index(b"".join(chunks).decode("utf-8")).encode("utf-8")
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"etag")]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
            else:
                await send(message)

        await self.app(scope, receive, capture)


def _css() -> str:
    t = dsfr.tokens()
    focus = t["focus"]
    ring = f"{focus['width']} {focus['style']} {focus['color']}"
    title = dsfr.colour(dsfr.TEXT_TITLE)
    mention = dsfr.colour(dsfr.TEXT_MENTION)
    blue = dsfr.colour(dsfr.BLEU_FRANCE)
    return f"""
<style>
  /* DSFR focus ring (core.css: 2px solid, offset 2px) on everything a keyboard reaches */
  a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
  [role="slider"]:focus-visible, [role="switch"]:focus-visible, [tabindex]:focus-visible,
  input:not([type="range"]):not([role="combobox"]):focus-visible, textarea:focus-visible {{
    outline: {ring} !important; outline-offset: {focus['offset']} !important; box-shadow: none;
  }}
  /* composite widgets: the ring goes on what the eye sees, not on the hidden input that has focus */
  [data-testid="stSlider"] div:has(> div > input[type="range"]:focus-visible),
  [data-testid="stSelectbox"] [role="group"]:has(input:focus), [data-testid="stMultiSelect"] [role="group"]:has(input:focus),
  [data-baseweb="select"]:focus-within > div, [data-baseweb="input"]:focus-within,
  [data-baseweb="textarea"]:focus-within, [data-testid="stNumberInputContainer"]:focus-within,
  [data-testid="stFileUploaderDropzone"]:focus-within,
  label:has(input[type="checkbox"]:focus-visible), [data-testid="stRadioOption"]:has(input:focus-visible) {{
    outline: {ring} !important; outline-offset: {focus['offset']};
  }}
  /* titles in the DSFR title grey, body text stays text-default-grey (theme) */
  h1, h2, h3, h4, h5, h6 {{ color: {title}; }}
  /* captions: Streamlit fades the text colour to #a3a3a3 (2.5:1 on white); DSFR mention grey is 5.7:1 */
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
  [data-testid="stCaptionContainer"] li,
  [data-testid="stWidgetLabel"] small, [data-testid="stFileUploaderDropzoneInstructions"] span,
  [data-testid="stFileUploaderFileData"] small {{ color: {mention} !important; opacity: 1 !important; }}
  /* the page being shown, in the navigation: bleu France bar as in the DSFR side menu */
  [data-testid="stSidebarNavLink"][aria-current="page"] {{ box-shadow: inset 3px 0 0 0 {blue}; }}
  [data-testid="stSidebarNavLink"][aria-current="page"] span {{ color: {blue}; }}
  /* the simulator's year of the regional keys: the three years share the controls' column on one
     row (at their own padding, 18 px a side, they need 208 px; the column is 180 px wide in a
     1280 px window) */
  .st-key-annee [data-variant="segmented_control"] {{ flex: 1 1 0; min-width: 0; padding-left: .5rem; padding-right: .5rem; }}
  /* a State tool, not a demo: no Streamlit deploy badge or decoration bar */
  [data-testid="stDecoration"] {{ background: {blue}; height: 4px; background-image: none; }}
</style>
"""


def apply() -> None:
    """The DSFR CSS for this run (a constant built from the DSFR tokens; no data in it)."""
    st.html(_css())
