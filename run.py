"""Start the dashboard: ``python run.py [streamlit options]``.

Why not plain ``streamlit run app.py``: Streamlit 1.67 treats a folder named ``pages/`` beside
the entry file as its old automatic multipage folder until some session has run
``st.navigation``. On a freshly started server, a first visitor opening a deep link such as
``/region?region=91`` would get ``pages/region.py`` alone, without the frame, the navigation or
the page config. We keep the design card's ``pages/`` folder and switch that legacy mode off
before the server starts (tests/browser/test_deeplink_browser.py pins this down).
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli
from streamlit.web.server.starlette import starlette_app

from lib.static_gzip import StaticGzipMiddleware

ROOT = Path(__file__).resolve().parent


def gzip_static_bundles() -> None:
    """Have the server gzip its front-end bundles (lib/static_gzip.py says why and how)."""
    from starlette.middleware import Middleware

    if getattr(starlette_app.create_streamlit_middleware, "gzips_static", False):
        return
    streamlit_middleware = starlette_app.create_streamlit_middleware

    def with_static_gzip():
        return [*streamlit_middleware(), Middleware(StaticGzipMiddleware)]

    with_static_gzip.gzips_static = True
    starlette_app.create_streamlit_middleware = with_static_gzip


def main() -> None:
    PagesManager.uses_pages_directory = False
    gzip_static_bundles()
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
