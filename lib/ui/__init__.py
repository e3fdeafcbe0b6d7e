"""Streamlit glue shared by every page: cached loaders, the session's data in use, and small
renderers. ``lib/ui/`` is the only place that imports streamlit (tests/test_layering.py).

Session state keys are declared here and nowhere else, so that pages agree on them:
- ``KEY_IMPORTED``: dict kind -> ImportedDataset (figures, objectifs, organismes) the user loaded;
- ``KEY_REGION``: the region selected on the map or the region page;
- ``KEY_PRESENTATION`` ("presentation", bound to the URL): large type for projection;
- page-local keys live beside their page's glue: the session's objectives in
  ``lib/ui/objectives.py`` (carte_regle, carte_lecture, carte_reference, carte_objectifs_modifies),
  the map's selection in ``lib/ui/carte.py`` (carte_map),
  the region picker's ("region", mirrored in the URL) in ``lib/ui/region.py``, the simulator's
  controls (bound to the URL) in ``lib/ui/mutualisation.py``, the importer's in
  ``lib/ui/importer.py``.
- ``_empreintes_imports``: the digest of each imported dataset, computed once (``imported_fingerprint``).
Cached loaders and ``computed`` return copies (``st.cache_data``), so no session can change
another's data.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from lib import data, fmt, geo, natures, params
from lib.errors import DataError
from lib.plain_text import md_escape

KEY_IMPORTED = "imported_datasets"
KEY_REGION = "selected_region"



@st.cache_data(show_spinner=False)
def load_figures() -> pd.DataFrame:
    return data.load_figures()


@st.cache_data(show_spinner=False)
def load_regions() -> pd.DataFrame:
    return geo.load_regions()


@st.cache_data(show_spinner=False)
def load_regions_geo():
    return geo.load_regions_geo()


@st.cache_data(show_spinner=False)
def load_zonage_regions() -> pd.DataFrame:
    return geo.load_zonage_regions()


def load_params():
    """The pact parameters (immutable mapping, safe to share between sessions)."""
    return params.load_params()


def imported() -> dict:
    """The datasets this session imported, by kind (empty when the defaults are in use)."""
    return st.session_state.setdefault(KEY_IMPORTED, {})


def active_figures() -> pd.DataFrame:
    """Figures in use for this session: the shipped ones, with any imported figures added
    (nature "importé", retained ahead of the defaults by ``data.mark_retained``)."""
    base = load_figures()
    extra = imported().get("figures")
    if extra is None:
        return base
    return pd.concat([extra.frame, base], ignore_index=True)


_KEY_FINGERPRINTS = "_empreintes_imports"  # dataset kind -> (dataset, fingerprint), see below


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """A digest of a frame's content (columns and cells), to key cached results on."""
    digest = hashlib.sha1(repr(list(frame.columns)).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    except TypeError:  # cells pandas cannot hash (lists…): their pickled form
        digest.update(pickle.dumps(frame, protocol=5))
    return digest.hexdigest()


def imported_fingerprint(kind: str) -> str:
    """« défaut » while the session uses the shipped data for ``kind``, else the digest of its
    imported dataset, computed once per dataset (an ImportedDataset is never modified)."""
    ds = imported().get(kind)
    if ds is None:
        return "défaut"
    known = st.session_state.setdefault(_KEY_FINGERPRINTS, {})
    entry = known.get(kind)
    if entry is None or entry[0] is not ds:
        entry = known[kind] = (ds, frame_fingerprint(ds.frame))
    return entry[1]



def show_problem(text: str, *, warning: bool = False, icon: str = ":material/warning:", where=None) -> None:
    """A problem said in French, in a box: the error and warning display of every page. ``text``
    quotes file and body names, so it is escaped here; an error box when the part cannot be shown,
    a warning box (``warning``) when it is shown without something or corrected. ``where``: the
    sidebar or a container (default: here)."""
    box = where or st
    (box.warning if warning else box.error)(md_text(text), icon=icon)


def show_error(err: Exception) -> None:
    """A data problem as a French message on the page, never a traceback."""
    if isinstance(err, DataError):
        show_problem(str(err))
    else:  # pragma: no cover - unexpected: still French, with the technical detail folded
        st.error("Une erreur inattendue empêche d'afficher cette partie de la page.", icon=":material/warning:")
        with st.expander("Détail technique"):
            st.code(f"{type(err).__name__}: {err}")


def nature_badge(nature: str) -> str:
    """Markdown badge for a figure's nature (text only; safe to render)."""
    colour = natures.BADGE_COLOURS.get(nature, "gray")
    return f":{colour}-badge[{md_text(nature)}]"


def imported_banner() -> None:
    """Say on every page which imported data is in use ("Données importées : nom, date, lignes").

    Always one container, empty or not: an element that appears above the page would shift every
    element of the page, and the browser would redraw them (tabs back to the first, expanders closed)."""
    slot = st.container()
    for ds in imported().values():
        slot.info(f"Données importées : {md_text(ds.name)} — {ds.loaded_at:%d/%m/%Y %H:%M} — "
                f"{fmt.fmt_count(len(ds.frame), 'ligne')} ({md_text(ds.kind)}).", icon=":material/upload_file:")


def md_text(value: object) -> str:
    """Text from data, escaped for Streamlit markdown (so '<img …>' or '[x](…)' shows as typed),
    web and mail addresses included (``lib.plain_text.md_escape``: no live link from a name)."""
    return md_escape(value)


KEY_PRESENTATION = "presentation"
# Constant CSS (no data). Sizes follow the viewport so that nothing is cut at 1280×720 and the
# text still fills a 1920×1080 projector: metric values shrink before they would overflow, labels
# and deltas, and button labels in narrow columns, wrap instead of ending in « … », legends and HTML tables grow with the text.
# st.dataframe draws on a canvas at the theme's size: CSS cannot enlarge it (a zoom made grids
# overlap their neighbours), so in this mode read-only tables are drawn by st.table
# (``lib.ui.tables.dataframe``), whose cells take the body's size here, header row in bold on the
# secondary background, long addresses and words wrapped in their cell (a cell that scrolled would be a region the
# keyboard cannot reach); its own box scrolls when it is wider or taller.
_PRESENTATION_CSS = """
<style>
  html { font-size: clamp(18px, 1.15vw + 6px, 24px); }
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
    font-size: clamp(1.7rem, 3.3vw, 3.2rem) !important; overflow: visible !important; text-overflow: clip !important; }
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"],
  [data-testid="stMetricDelta"] * { font-size: 1.1rem !important; white-space: normal !important;
    overflow: visible !important; text-overflow: clip !important; height: auto !important; }
  [data-testid="stTable"] table, [data-testid="stTable"] td p, [data-testid="stTable"] th p { font-size: 1.1rem; }
  [data-testid="stTable"] th { font-weight: 700; color: #3a3a3a; background: #f6f6f6; vertical-align: bottom; }
  [data-testid="stTable"] th p { font-weight: 700; }
  [data-testid="stTable"] td a { overflow-wrap: anywhere; }
  [data-testid="stTable"] td, [data-testid="stTable"] td * { overflow-wrap: break-word !important; }
  [data-testid="stCaptionContainer"] { font-size: 0.9rem; }
  [data-testid="stDownloadButton"] button [data-testid="stMarkdownContainer"],
  [data-testid="stDownloadButton"] button [data-testid="stMarkdownContainer"] p,
  [data-testid="stButton"] button [data-testid="stMarkdownContainer"],
  [data-testid="stButton"] button [data-testid="stMarkdownContainer"] p {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
  [data-testid="stDownloadButton"] button, [data-testid="stButton"] button { height: auto; }
  .lg, .lg h3, .legende-valeurs, .legende-valeurs h3, .legende-valeurs p { font-size: 1.15rem !important; }
  .lg-box, .legende-valeurs [role="listitem"] > span:first-child { width: 36px !important; height: 24px !important; }
</style>
"""


def presentation_requested() -> bool:
    """Whether this run is in presentation mode, known before the toggle is drawn (for
    ``st.set_page_config``): the toggle's value once it exists, else the address."""
    if KEY_PRESENTATION in st.session_state:
        return bool(st.session_state[KEY_PRESENTATION])
    return st.query_params.get(KEY_PRESENTATION) == "true"


def sidebar_state() -> str:
    """The sidebar's state for ``st.set_page_config``: collapsed in presentation mode (the room
    sees the page; the « > » control at the top left still opens it, toggle included)."""
    return "collapsed" if presentation_requested() else "auto"


def chart_font_size() -> int:
    """The size of chart text in this run: larger in presentation mode. Every cached chart spec
    is keyed on it (``lib.ui.charts.show_chart``, ``chart``)."""
    from lib.charts import FONT_SIZE, PRESENTATION_FONT_SIZE

    return PRESENTATION_FONT_SIZE if st.session_state.get(KEY_PRESENTATION) else FONT_SIZE


def presentation_mode() -> bool:
    """Sidebar toggle, bound to ``?presentation=true`` so a presenter can bookmark it: larger
    type for a projected screen read from the back of a room, charts included
    (``chart_font_size``), and the sidebar collapsed (``sidebar_state``, from app.py)."""
    from lib.ui.url_check import enforce
    from lib.url_state import UrlParam

    enforce([UrlParam(KEY_PRESENTATION, "mode présentation", "bool")], where=st.sidebar, rerun=True)
    on = st.sidebar.toggle("Mode présentation (grands caractères)", key=KEY_PRESENTATION,
                           bind="query-params", persist_state="session",
                           help="Agrandit les textes, les chiffres et les graphiques pour une projection en "
                                "réunion, et replie ce volet.")
    if on:
        st.html(_PRESENTATION_CSS)
    return on


T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=512)
def _memo(key: tuple, _compute: Callable[[], T]) -> T:
    return _compute()


def computed(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, computed once for every session and rerun with the same ``key``.

    ``key`` must name everything ``compute`` reads that can differ: the view (a name), the
    settings, and ``imported_fingerprint(kind)`` of each kind of data it uses. Results are
    copies (``st.cache_data``), so no session can change another's; the cache is bounded.
    Why: the pages' figures are pandas work of tens to hundreds of milliseconds that a rerun
    or a new session would otherwise redo on the same data.
    """
    return _memo(key, compute)


def national_production() -> pd.DataFrame:
    """``data.national_production`` of the session's figures (computed once for the same data)."""
    return computed(("national", imported_fingerprint("figures")),
                    lambda: data.national_production(active_figures(), load_params()))
