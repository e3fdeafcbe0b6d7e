"""Screenshots of every page in a French and an English browser locale, for a reviewer to check
that the French formats do not depend on the browser's language.

    .venv/bin/python bench/shots.py DIR [--locale fr-FR] [--size 1600x1000] [--paths / /carte ...]

Starts the app through run.py (tests/browser/conftest.py's ``running_app``), opens each page in
Debian's Chromium with the network cut and that locale (``navigator.language`` and
Accept-Language), waits for the run to end and saves a full-page PNG per page; prints, per page,
the figures with a thousands separator it saw, so the two locales can be compared as text too.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.conftest import CHROMIUM, LOCAL_PREFIXES, running_app, wait_for_app  # noqa: E402

PAGES = ["/", "/carte", "/region?region=91", "/mutualisation", "/donnees",
         "/mutualisation?verif=Rejouer+une+campagne&campagne=2015", "/mutualisation?verif=Sensibilit%C3%A9"]
#: a view below the fold is scrolled to (Streamlit scrolls inside its own container, so a
#: full-page screenshot is the viewport)
SCROLL_TO = {"verif=": "Confronter le simulateur aux chiffres publiés"}


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "accueil"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--locale", default="fr-FR")
    ap.add_argument("--size", default="1600x1000")
    ap.add_argument("--paths", nargs="*", default=PAGES)
    args = ap.parse_args()
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    w, h = (int(x) for x in args.size.split("x"))
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp) / "store.sqlite3") as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[f"--lang={args.locale}", "--no-sandbox"])
        context = browser.new_context(viewport={"width": w, "height": h}, locale=args.locale)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_PREFIXES) else r.abort())
        page = context.new_page()
        for path in args.paths:
            page.goto(base + path, wait_until="domcontentloaded")
            wait_for_app(page)
            page.wait_for_timeout(2500)  # maps and charts paint after the run
            for marker, heading in SCROLL_TO.items():
                if marker in path:
                    page.get_by_role("heading", name=heading).scroll_into_view_if_needed()
                    page.mouse.wheel(0, 250)
                    page.wait_for_timeout(1500)
            file = out / f"{_slug(path)}.png"
            page.screenshot(path=str(file), full_page=True)
            text = page.inner_text("body")
            grouped = sorted(set(re.findall(r"\d{1,3}(?:[\u202f\u00a0 ,]\d{3})+(?:,\d+)?", text)))[:8]
            # the French layer overrides navigator.language: Intl's default locale is the browser's own
            real = page.evaluate("new Intl.NumberFormat().resolvedOptions().locale")
            print(f"{path}\tnavigateur {args.locale} ({real})\t{file}\t{grouped}")
        browser.close()


if __name__ == "__main__":
    main()
