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
  ``lib.static_gzip.StaticGzipMiddleware`` compresses them (brotli when the browser accepts it,
  from a store of best-quality forms in var/static-br; else gzip), each once per process, and the
  HTML page itself (tests/browser/test_compression_browser.py).
- Every page would download Streamlit's whole Material Symbols font (375 KB) for a few dozen
  icons: ``lib.icon_font.IconFontMiddleware`` serves the subset built for it (16 KB).
- Every page would download Streamlit's Source Sans (170 KB, and 138 KB more for italics) with
  Greek, Cyrillic and Vietnamese: ``lib.icon_font.FontSubsetMiddleware`` serves the Latin and
  French subsets built by ``lib.text_font`` (30 KB each).
- uvicorn compresses the WebSocket with a 4 KB window, which cannot see one chart's spec from
  the next: ``tune_uvicorn()`` gives it 32 KB (``lib.ws_deflate``), and drops the ``server`` header.
- The first visitor of a freshly started server should not wait for the imports of the pages'
  code (pandas, altair, pandera, the domain modules: 1,5 s of a deep link's first run on this
  machine): ``preload()`` imports every module of ``lib.ui`` and ``lib.views`` it can (a damaged data
  file is left to the page that reads it) before the server answers, and the modules Streamlit itself imports on a first use
  (its emoji table, read by the first ``st.info`` with an icon); ``warm_up()`` computes what the
  regional views and the simulator ask first of the shipped figures (a step that fails on a
  damaged file is logged, and left to the page). ``warm_up_regions()`` then computes every region's
  page in a background thread, only while the server is idle (``lib.ui.region.warm_up``;
  ``PACTE_HLM_WARM_UP=0`` turns it off).
``streamlit run run.py`` finds ``app`` and serves it; ``main()`` does exactly that, after this module
has run (a bare ``streamlit run run.py`` builds uvicorn's settings before it imports this module, so
only ``python run.py`` gets ``tune_uvicorn``: the README's, the container's and deploy's way).

``PACTE_HLM_MARIANNE=1`` (a State service's deployment) turns the Marianne font on.
"""

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import delta_generator
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from lib import dsfr, text_font
from lib.icon_font import FontSubsetMiddleware, IconFontMiddleware
from lib.static_gzip import STORE_DIR, StaticGzipMiddleware
from lib.ui.theme import FrenchDocument

ROOT = Path(__file__).resolve().parent
PagesManager.uses_pages_directory = False
# On the first element a process draws, Streamlit checks whether it is run by « streamlit run »
# to warn otherwise, by walking the stack with inspect (0,2 to 0,7 s once the app's modules are
# loaded, paid by the first visitor): it is, through main() below.
delta_generator._use_warning_has_been_displayed = True


def uvicorn_settings(settings: dict) -> dict:
    """What this server changes in the settings Streamlit gives ``uvicorn.Config``:
    - no ``server: uvicorn`` header: 18 bytes on each of a page's ~125 answers (2 KB of a first
      open over HTTP/1.1, where headers count in what a browser downloads), and one fact less
      about the server for a visitor;
    - the WebSocket compressed with a 32 KB window instead of 4 KB (``lib.ws_deflate``: a region
      page's messages 31,5 → 21,5 KB), when Streamlit chose uvicorn's websockets-sansio protocol
      with compression on (``server.enableWebsocketCompression``); any other choice is kept."""
    out = {**settings, "server_header": False}
    if settings.get("ws") == "websockets-sansio" and settings.get("ws_per_message_deflate"):
        try:
            from lib import ws_deflate  # uvicorn's websockets-sansio module: uvicorn ≥ 0.44
        except ImportError:  # another uvicorn than requirements.txt's: its own protocol, as chosen
            return out
        out["ws"] = ws_deflate.WideWindowProtocol
    return out


def tune_uvicorn() -> bool:
    """Have Streamlit's server start with ``uvicorn_settings``: Streamlit gives no option for
    them, so the builder of the kwargs it passes to ``uvicorn.Config`` is wrapped, once. False if
    a Streamlit upgrade moved that builder."""
    from streamlit.web.server.starlette import starlette_server

    build = getattr(starlette_server, "_get_uvicorn_config_kwargs", None)
    if build is None:
        return False
    if not getattr(build, "_pacte_hlm", False):
        def kwargs() -> dict:
            return uvicorn_settings(build())

        kwargs._pacte_hlm = True
        starlette_server._get_uvicorn_config_kwargs = kwargs
    return True


tune_uvicorn()


def preload(packages: tuple[str, ...] = ("lib.ui", "lib.views")) -> list[str]:
    """Import the pages' modules now rather than in the first visitor's run; returns their names.

    A module that cannot be imported (some read a data file as they load, and a shipped file may
    be damaged or missing) is left out: the page that needs it imports it again and says in French
    which file is wrong, while the other pages keep working. The server starts whatever the data."""
    import importlib
    import logging
    import pkgutil

    importlib.import_module("streamlit.emojis")
    names = []
    for name in packages:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            try:
                importlib.import_module(info.name)
            except Exception as err:  # noqa: BLE001 - reported by the page that needs it
                logging.getLogger(__name__).warning("not preloaded: %s (%s)", info.name, err)
                continue
            names.append(info.name)
    return names


def warm_up() -> None:
    """Compute what every regional view asks of the shipped figures first (``lib.frame_memo`` keeps
    it for every session): the regional production of each product over the trend's years, called
    exactly as the region page and the committees call it; then what the simulator asks first
    (``lib.ui.mutualisation.warm_up``). A step that fails on a damaged file is logged and skipped:
    the page that needs the file names it in French (``lib.integrity``)."""
    import logging

    def regional_views() -> None:
        from lib import data, geo, region_report, targets

        figures, regions = data.load_figures(), geo.load_regions()
        targets.regional_production(figures, regions, "lls_finances", region_report.TREND_YEARS)
        for indicator in region_report.PRODUCT_LABELS:
            targets.regional_production(figures, regions, indicator, region_report.TREND_YEARS, estimate=False)

    def simulator() -> None:
        from lib.ui import mutualisation

        mutualisation.warm_up()

    for step in (regional_views, simulator):
        try:
            step()
        except Exception as err:  # noqa: BLE001 - reported by the page that needs the file
            logging.getLogger(__name__).warning("not warmed up: %s (%s)", step.__name__, err)


def warm_up_regions() -> None:
    """Every region's page (``lib.ui.region.warm_up``), in a background thread that works only
    while the server is idle: a region's first click on the map then costs what a rerun does."""
    from lib.ui import region

    region.warm_up_in_background()


preload()
warm_up()
warm_up_regions()

# outermost first: the bundles are gzipped after the French layer has seen the response
# (the app's own static files, the map geometry among them, in brotli too: 43 → 25 KB for regions.json)
app = st.App("app.py", middleware=[Middleware(StaticGzipMiddleware, prefix=("/static/", "/app/static/"),
                                              store_dir=STORE_DIR, documents=True),
                                   Middleware(IconFontMiddleware),
                                   Middleware(FontSubsetMiddleware, subset_dir=text_font.SUBSET_DIR,
                                              prefix=text_font.FONT_PREFIX),
                                   Middleware(FrenchDocument)])


def main() -> None:
    font = ["--theme.font", dsfr.font_stack(True)] if dsfr.marianne_enabled() else []
    sys.argv = ["streamlit", "run", str(ROOT / "run.py"), *font, *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
