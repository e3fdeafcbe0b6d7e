"""Start the dashboard: ``python run.py [streamlit options]``.

Why not plain ``streamlit run app.py``:
- Streamlit 1.67 treats a folder named ``pages/`` beside the entry file as its old automatic
  multipage folder until some session has run ``st.navigation``. On a freshly started server, a
  first visitor opening a deep link such as ``/region?region=91`` would get ``pages/region.py``
  alone, without the frame, the navigation or the page config. We keep the design card's
  ``pages/`` folder and switch that legacy mode off before the server starts
  (tests/browser/test_deeplink_browser.py pins this down).
- The page must be French from its first byte: ``app`` below is an ``st.App`` whose middleware
  (``lib.ui.theme.FrenchDocument``) serves Streamlit's page with ``lang="fr"`` and the script that
  puts Streamlit's own interface in French (tests/browser/test_french_browser.py).
- Streamlit 1.67 serves its front-end bundles uncompressed (it expects a proxy to compress):
  ``lib.static_gzip.StaticGzipMiddleware`` gzips them, each once per process
  (tests/browser/test_compression_browser.py).
- Every page would download Streamlit's whole Material Symbols font (375 KB) for a few dozen
  icons: ``lib.icon_font.IconFontMiddleware`` serves the subset built for it (55 KB).
- The first visitor of a freshly started server would wait for the script to import pandas,
  altair, pyarrow and our pages' modules (seconds of CPU) after the browser has loaded the front
  end: ``warm_imports`` imports them on a background thread as soon as the server's runtime
  exists, while the browser is still downloading the bundles. Imports only: no data is read and
  no session state is touched outside a session.
``streamlit run run.py`` finds ``app`` and serves it; ``main()`` does exactly that.

``PACTE_HLM_MARIANNE=1`` (a State service's deployment) turns the Marianne font on.
"""

import importlib
import sys
import threading
import time
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from lib import dsfr
from lib.icon_font import IconFontMiddleware
from lib.static_gzip import StaticGzipMiddleware
from lib.ui.theme import FrenchDocument

ROOT = Path(__file__).resolve().parent
PagesManager.uses_pages_directory = False
# what the pages import (and Streamlit imports on their first chart or table), heaviest first
WARM_MODULES = ("pandas", "pyarrow", "altair", "lib.ui", "lib.ui.charts", "lib.ui.carte", "lib.ui.region",
                "lib.ui.committee", "lib.ui.mutualisation", "lib.ui.links", "lib.ui.data_check",
                "streamlit.elements.vega_charts", "streamlit.elements.arrow")


def warm_imports(modules: tuple[str, ...] = WARM_MODULES, wait_s: float = 60.0) -> list[str]:
    """Import ``modules`` once the server's runtime exists (so Streamlit's caches bind to it);
    returns those that failed (the page's own import then shows the error)."""
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + wait_s
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - reported by the page that imports it, in French
            failed.append(name)
    return failed

# outermost first: the bundles are gzipped after the French layer has seen the response
app = st.App("app.py", middleware=[Middleware(StaticGzipMiddleware), Middleware(IconFontMiddleware),
                                   Middleware(FrenchDocument)])


if __name__ != "__main__":  # loaded by ``streamlit run run.py``: the server is starting
    threading.Thread(target=warm_imports, name="pacte-warm-imports", daemon=True).start()


def main() -> None:
    font = ["--theme.font", dsfr.font_stack(True)] if dsfr.marianne_enabled() else []
    sys.argv = ["streamlit", "run", str(ROOT / "run.py"), *font, *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
