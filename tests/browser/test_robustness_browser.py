"""Robustness of the import and scenario journeys in a real browser (no outside network): a web
address in a dataset name is never a live link, putting data in use keeps the user on the import
tab with a visible confirmation, saving is confirmed, a file over 10 Mo is refused in French by
the importer (not in English by the widget), and loading a scenario is confirmed where the user is."""

from __future__ import annotations

import os

from tests.browser.conftest import wait_for_app

BRETAGNE = "Code région;Région;Année;Nombre de logements financés\n53;Bretagne;2015;4 321\n".encode()
FILE_NAME = "www.piege.invalid contact@piege.invalid"
SCENARIO = "Essai https://piege.invalid/x"
SHOTS = os.environ.get("PACTE_SHOTS", "/tmp/shots")


def _open_import_tab(page, base: str) -> None:
    page.goto(base + "/donnees", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_role("tab", name="Importer vos données").click()
    wait_for_app(page)


def _upload(page, name: str, content: bytes) -> None:
    page.locator("input[type=file]").first.set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    wait_for_app(page)


def _links_to_trap(page) -> list[str]:
    hrefs = []
    for frame in page.frames:
        hrefs += [a.get_attribute("href") or "" for a in frame.locator("a").all()]
    return [h for h in hrefs if "piege" in h]


def _selected_tab(page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').first.inner_text()


def test_address_in_a_dataset_name_is_never_a_link(app_server, offline_page):
    page = offline_page.page
    _open_import_tab(page, app_server)
    # the dataset is named after its file: « www.piege.invalid contact@piege.invalid »
    _upload(page, f"{FILE_NAME}.csv", BRETAGNE)
    page.get_by_text("Fichier valide").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Utiliser ces données").click()
    wait_for_app(page)
    banner = page.get_by_text("Données importées :", exact=False).first
    banner.wait_for(timeout=30_000)
    # the name is in the banner as typed (the word joiners are invisible), and is no link
    assert FILE_NAME in banner.inner_text().replace("\u2060", "")
    assert _links_to_trap(page) == []
    page.get_by_text("Enregistrer les données importées dans la base").first.click()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_for_app(page)
    page.get_by_text("Enregistré dans la base", exact=False).first.wait_for(timeout=30_000)
    assert _links_to_trap(page) == []
    page.locator('[data-testid="stSidebarNav"] a', has_text="Carte").first.click()
    wait_for_app(page)
    page.get_by_text("Données importées :", exact=False).first.wait_for(timeout=30_000)
    assert _links_to_trap(page) == []
    assert offline_page.blocked == [] and offline_page.errors == []


def test_putting_data_in_use_keeps_the_import_tab_and_confirms(app_server, offline_page):
    page = offline_page.page
    _open_import_tab(page, app_server)
    _upload(page, "bretagne.csv", BRETAGNE)
    page.get_by_text("Fichier valide").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Utiliser ces données").click()
    wait_for_app(page)
    assert _selected_tab(page) == "Importer vos données"
    confirmation = page.get_by_text("sont en service sur toutes les pages", exact=False).first
    confirmation.wait_for(timeout=30_000)
    assert confirmation.is_visible()
    # saving: the expander stays open and the confirmation is on screen
    page.get_by_text("Enregistrer les données importées dans la base").first.click()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_for_app(page)
    saved = page.get_by_text("Enregistré dans la base", exact=False).first
    saved.wait_for(timeout=30_000)
    assert saved.is_visible()
    assert _selected_tab(page) == "Importer vos données"
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "browser_import_confirmations.png"), full_page=True)


def test_file_over_10_mo_is_refused_in_french(app_server, offline_page):
    page = offline_page.page
    _open_import_tab(page, app_server)
    big = "Code région;Année;PLAI\n".encode() + b"11;2014;5\n" * 1_200_000  # 12 Mo
    _upload(page, "grand.csv", big)
    page.get_by_text("au-delà de la limite de 10 Mo", exact=False).first.wait_for(timeout=60_000)
    assert page.get_by_text("must be", exact=False).count() == 0
    assert page.get_by_text("not allowed", exact=False).count() == 0


def test_wrong_type_is_refused_in_french(app_server, offline_page):
    page = offline_page.page
    _open_import_tab(page, app_server)
    page.locator("input[type=file]").first.set_input_files(
        {"name": "rapport.json", "mimeType": "application/json", "buffer": b'{"a": 1}'})
    wait_for_app(page)
    page.get_by_text("les fichiers .json ne sont pas acceptés", exact=False).first.wait_for(timeout=60_000)
    assert page.get_by_text("not allowed", exact=False).count() == 0


def test_loading_a_scenario_is_confirmed_where_the_user_is(app_server, offline_page):
    page = offline_page.page
    page.goto(app_server + "/mutualisation", wait_until="domcontentloaded")
    wait_for_app(page)
    page.get_by_label("Nom du scénario à enregistrer").fill(SCENARIO)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_for_app(page)
    page.get_by_text("enregistré", exact=False).first.wait_for(timeout=30_000)
    assert SCENARIO in page.get_by_text("Scénario « Essai", exact=False).first.inner_text().replace("\u2060", "")
    assert _links_to_trap(page) == []
    load = page.get_by_role("button", name="Charger ce scénario")
    load.scroll_into_view_if_needed()
    load.click()
    wait_for_app(page)
    message = "chargé : les réglages de gauche"
    page.get_by_text(message, exact=False).first.wait_for(timeout=30_000)
    # the toast says it too (in the corner of the screen); this is the box written in the page
    inline = page.locator('[data-testid="stAlert"]').filter(has_text=message)
    inline.first.wait_for(timeout=30_000)  # the toast is drawn first: wait for the box itself
    assert inline.count() == 1
    # next to the button the user clicked, on screen without scrolling, and the name is no link;
    # measured once both have stopped moving (the page's last elements may still be drawn)
    page.wait_for_function(
        """([text, label]) => {
             const box = [...document.querySelectorAll('[data-testid="stAlert"]')]
               .find(a => a.innerText.includes(text));
             const button = [...document.querySelectorAll('button')].find(b => b.innerText.includes(label));
             if (!box || !button) return false;
             const where = `${box.getBoundingClientRect().y}/${button.getBoundingClientRect().y}`;
             const same = window.__lastWhere === where;
             window.__lastWhere = where;
             return same;
           }""", arg=[message, "Charger ce scénario"], polling=250, timeout=30_000)
    box, button = inline.bounding_box(), load.bounding_box()
    viewport = page.viewport_size
    assert box is not None and button is not None and 0 <= box["y"] <= viewport["height"]
    assert abs(box["y"] - button["y"]) < 400
    assert _links_to_trap(page) == []
    assert offline_page.errors == []
