"""Importing a file with an HTML payload in a real browser (no outside network): no script runs
(no dialog, no injected <img>), the payload shows as text in the banner, the tables and the map
tooltips (Vega's tooltip escapes it)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser.conftest import region_point, wait_for_app, wait_for_map

PAYLOAD = "<img src=x onerror=alert(1)>"
GOOD = Path(__file__).resolve().parents[1] / "good_files"
SHOTS = os.environ.get("PACTE_SHOTS", "/tmp/shots")


def _open_import_tab(page, base: str) -> None:
    page.goto(base + "/donnees", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_role("tab", name="Importer vos données").click()
    wait_for_app(page)


def _upload(page, name: str, content: bytes, kind_label: str | None = None, field_hint: str | None = None) -> None:
    if kind_label:
        page.get_by_label("Que contient votre fichier ?").first.click()
        page.get_by_role("option", name=kind_label).click()
        wait_for_app(page)
        # the uploader of the chosen kind is on the page once its recognised columns are listed
        page.get_by_text(field_hint, exact=False).first.wait_for(timeout=30_000)
        wait_for_app(page)
    page.locator("input[type=file]").first.set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_text("Fichier valide").first.wait_for(timeout=60_000)
    wait_for_app(page)


def _no_injection(offline_page) -> None:
    page = offline_page.page
    assert offline_page.dialogs == [], offline_page.dialogs
    assert page.locator('img[src="x"]').count() == 0
    for frame in page.frames:
        assert frame.locator('img[src="x"]').count() == 0
    assert offline_page.blocked == [], offline_page.blocked


def _goto_nav(page, title: str) -> None:
    """Client-side navigation (a full page load would start a new session without the import)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    wait_for_app(page)


def test_payload_in_dataset_name_is_text_everywhere(app_server, offline_page):
    page = offline_page.page
    _open_import_tab(page, app_server)
    content = "Code région;Région;Année;Nombre de logements financés\n53;Bretagne;2015;4 321\n".encode()
    _upload(page, f"{PAYLOAD}.csv", content)
    page.get_by_role("button", name="Utiliser ces données").click()
    wait_for_app(page)
    # the banner of every page names the dataset, as text
    banner = page.get_by_text(f"Données importées : {PAYLOAD}", exact=False).first
    banner.wait_for(timeout=30_000)
    _no_injection(offline_page)

    _goto_nav(page, "Carte")
    page.get_by_text(f"Données importées : {PAYLOAD}", exact=False).first.wait_for(timeout=30_000)
    wait_for_map(page)
    page.mouse.move(*region_point(page, "Bretagne"))
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=10_000)
    tip_text = tip.inner_text()
    assert "Bretagne" in tip_text
    assert PAYLOAD in tip_text  # the source « Fichier importé : <img …> » shown as text
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "browser_import_carte_payload.png"), full_page=True)
    _no_injection(offline_page)
    assert offline_page.errors == [], offline_page.errors


def test_payload_in_body_name_is_text_in_tables(app_server, offline_page):
    page = offline_page.page
    _open_import_tab(page, app_server)
    _upload(page, "organismes.csv", (GOOD / "organismes_payload.csv").read_bytes(),
            kind_label="Données par organisme Hlm (pour le simulateur de mutualisation)",
            field_hint="Identifiant de l'organisme (obligatoire)")
    page.get_by_role("button", name="Utiliser ces données").click()
    wait_for_app(page)
    _no_injection(offline_page)
    _goto_nav(page, "Mutualisation")
    page.get_by_text("Fonds de mutualisation").first.wait_for(timeout=60_000)
    # the per-body table must be drawn first: a missing table would also contain no payload
    page.get_by_role("tab", name="Par organisme").click()
    wait_for_app(page)
    table = page.get_by_role("tabpanel", name="Par organisme").locator('[data-testid="stDataFrame"]').first
    table.wait_for(state="visible", timeout=30_000)
    # st.dataframe draws on a canvas; its accessible table carries the cells as text
    table.get_by_text(PAYLOAD, exact=True).first.wait_for(state="attached", timeout=30_000)
    html = page.content()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the name, as text, in the grid
    page.screenshot(path=os.path.join(SHOTS, "browser_import_mutualisation_payload.png"), full_page=True)
    _no_injection(offline_page)
    assert offline_page.errors == [], offline_page.errors
