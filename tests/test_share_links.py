"""Full addresses to send (lib/share_links.py)."""

from lib.share_links import full_address


def test_from_the_page_address():
    assert full_address("http://127.0.0.1:8501/region", {"region": "91"}) == "http://127.0.0.1:8501/region?region=91"
    # a proxy prefix in the address is kept; the query replaces any other
    assert (full_address("https://dash.exemple.gouv.fr/pacte/mutualisation", "?a1=3400&scen=Base")
            == "https://dash.exemple.gouv.fr/pacte/mutualisation?a1=3400&scen=Base")
    assert full_address("http://h/mutualisation", "") == "http://h/mutualisation"
    assert full_address("http://h/region", {"region": "93", "x": None}) == "http://h/region?region=93"


def test_query_is_encoded():
    assert full_address("http://h/region", {"nom": "Île & co"}) == "http://h/region?nom=%C3%8Ele+%26+co"


def test_from_forwarded_headers():
    headers = {"Host": "127.0.0.1:9000", "X-Forwarded-Host": "pacte.exemple.fr", "X-Forwarded-Proto": "https"}
    assert full_address(None, {"region": "11"}, headers, "region") == "https://pacte.exemple.fr/region?region=11"
    assert full_address(None, "", {"host": "localhost:8501"}, "/mutualisation") == "http://localhost:8501/mutualisation"


def test_unknown_or_hostile_gives_none_or_http():
    assert full_address(None, {"region": "11"}) is None
    assert full_address(None, "", {"Host": "evil.fr/@x"}, "region") is None
    assert full_address("javascript:alert(1)", "", {"Host": "h"}, "region") == "http://h/region"
    assert full_address(None, "", {"Host": "h", "X-Forwarded-Proto": "ftp"}, "r") == "http://h/r"
