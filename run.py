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

ROOT = Path(__file__).resolve().parent


def main() -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
