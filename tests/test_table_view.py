"""The presentation's tables as text (lib/table_view.py): escaped cells, French numbers, link
columns to safe addresses only, the column configuration's labels and hidden columns."""

import datetime as dt

import pandas as pd
import pytest

from lib import table_view as tv
from lib.plain_text import WORD_JOINER, md_escape

NNBSP = "\u202f"  # babel's fr_FR grouping separator


def link(label="Source"):
    return {"label": label, "type_config": {"type": "link", "display_text": None}}


def number(fmt_=None, label=None):
    return {"label": label, "type_config": {"type": "number", "format": fmt_}}


def test_markup_in_names_is_shown_as_typed():
    cells = tv.readable_table(pd.DataFrame({"Organisme": ["<img src=x onerror=alert(1)>", "**gras** [x](/carte)",
                                                           "a | b", "OPH de l'Ain_1"]})).frame["Organisme"].tolist()
    assert cells[0] == "\\<img src=x onerror=alert\\(1\\)\\>"
    assert cells[1] == "\\*\\*gras\\*\\* \\[x\\]\\(/carte\\)"
    assert cells[2] == "a \\| b"  # a pipe does not split the cell
    assert cells[3] == "OPH de l'Ain\\_1"


def test_an_address_in_a_name_is_not_a_live_link():
    cell = tv.readable_table(pd.DataFrame({"Nom": ["voir https://evil.example et x@y.fr"]})).frame["Nom"][0]
    assert f"https{WORD_JOINER}\\:" in cell and f"@{WORD_JOINER}" in cell


def test_header_labels_come_from_the_config_and_are_escaped():
    frame = pd.DataFrame({"a": [1], "b": [2], "c": [3]})
    out = tv.readable_table(frame, {"a": "Libellé <b>", "b": None, "c": number(label="Rang")}).frame
    assert list(out.columns) == ["Libellé \\<b\\>", "Rang"]  # b hidden


def test_numbers_in_french_as_the_format_asks():
    assert tv.format_number(1234567, None) == f"1{NNBSP}234{NNBSP}567"
    assert tv.format_number(1234567.5, None) == f"1{NNBSP}234{NNBSP}567,5"
    assert tv.format_number(0.125, None) == "0,125"
    assert tv.format_number(3.0, None) == "3"
    assert tv.format_number(12.0, "%d") == "12"
    assert tv.format_number(12345.678, "%.1f") == f"12{NNBSP}345,7"
    assert tv.format_number(3, "%d e") == "3 e"
    assert tv.format_number(12.5, "%.1f %%") == "12,5 %"
    assert tv.format_number(0.125, "percent") == "12,5\u00a0%"
    assert tv.format_number(3300, "euro") == f"3{NNBSP}300\u00a0€"
    assert tv.format_number(2014, "plain") == "2014"
    # a year column with a gap is a float column: 2014, not 2014.0; a plain decimal keeps its comma
    assert tv.format_number(2014.0, "plain") == "2014"
    assert tv.format_number(12.5, "plain") == "12,5"
    assert tv.format_number(12345.25, "plain") == "12345,25"
    assert tv.format_number(float("nan"), "%d") == "n.d."


def test_cells_of_each_kind():
    frame = pd.DataFrame({
        "Année": [2014, 2015],
        "Logements": [117065, None],
        "Date": [dt.date(2014, 1, 1), pd.Timestamp("2015-03-02")],
        "Publié": [True, False],
        "Rang": [1, 2],
    })
    out = tv.readable_table(frame, {"Rang": number("%d")}).frame
    assert out["Année"].tolist() == ["2014", "2015"], "a year is not a number with a thousands separator"
    assert out["Logements"].tolist() == [f"117{NNBSP}065", "n\\.d\\."], "a missing figure reads n.d., never 0"
    assert out["Date"].tolist() == ["1er janvier 2014", "2 mars 2015"]
    assert out["Publié"].tolist() == ["oui", "non"]
    assert out["Rang"].tolist() == ["1", "2"]
    placeholder = tv.readable_table(pd.DataFrame({"x": [None]}), placeholder="—").frame["x"][0]
    assert placeholder == md_escape("—")


def test_link_columns_link_only_to_relative_or_http_addresses():
    urls = ["https://www.legifrance.gouv.fr/jorf/id/X", "/carte?region=91", "region?region=93",
            "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "//evil.example/x",
            "http://", "vbscript:x", "https://a.example/x) [y](javascript:alert(1)"]
    cells = tv.readable_table(pd.DataFrame({"Source": urls}), {"Source": link()}).frame["Source"].tolist()
    # a web address is named by its site (readable from the back of the room), the link is whole
    assert cells[0] == "[legifrance\\.gouv\\.fr](https://www.legifrance.gouv.fr/jorf/id/X)"
    assert cells[1] == "[/carte?region=91](/carte?region=91)"
    assert cells[2] == "[region?region=93](region?region=93)"
    for unsafe in cells[3:9]:
        assert "](" not in unsafe, unsafe  # shown as text, no link
    assert cells[3] == "javascript\\:alert\\(1\\)"
    # an address that tries to close the link and open another stays one link, its characters encoded
    assert cells[9] == "[a\\.example](https://a.example/x%29%20%5By%5D%28javascript:alert%281%29)"
    assert cells[9].count("](") == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", " javascript:x", "java\nscript:x", "\\\\evil\\x",
                                 "mailto:a@b.fr", "ftp://x.example", "https:evil"])
def test_safe_href_refuses(url):
    assert tv.safe_href(url) is None


def test_link_display_text_and_missing_link():
    cfg = {"Source": {"label": "Source", "type_config": {"type": "link", "display_text": r"https://([^/]+)/"}}}
    cells = tv.readable_table(pd.DataFrame({"Source": ["https://www.insee.fr/x", None]}), cfg).frame["Source"]
    assert cells[0] == f"[www{WORD_JOINER}\\.insee\\.fr](https://www.insee.fr/x)"
    assert cells[1] == "n\\.d\\."
    fixed = {"Source": {"label": "Source", "type_config": {"type": "link", "display_text": "Ouvrir"}}}
    assert tv.readable_table(pd.DataFrame({"Source": ["/carte"]}), fixed).frame["Source"][0] == "[Ouvrir](/carte)"


def test_rows_beyond_the_limit_are_said():
    table = tv.readable_table(pd.DataFrame({"n": range(45)}), max_rows=30)
    assert len(table.frame) == 30 and table.hidden_rows == 15
    note = tv.hidden_rows_note(table)
    assert note.startswith("Mode présentation : 30 premières lignes affichées sur 45 ; les 15 autres")
    one = tv.readable_table(pd.DataFrame({"n": range(31)}), max_rows=30)
    assert "la ligne restante" in tv.hidden_rows_note(one)
    assert tv.hidden_rows_note(tv.readable_table(pd.DataFrame({"n": range(3)}))) is None


def test_an_index_shown_becomes_the_first_column():
    frame = pd.DataFrame({"v": [1, 2]}, index=pd.Index(["<a>", "b"], name="Région"))
    out = tv.readable_table(frame).frame
    assert list(out.columns) == ["Région", "v"] and out["Région"][0] == "\\<a\\>"
    assert list(tv.readable_table(frame, hide_index=True).frame.columns) == ["v"]
    assert list(tv.readable_table(pd.DataFrame({"v": [1]})).frame.columns) == ["v"]  # a RangeIndex is hidden


def test_list_of_records_and_column_order():
    out = tv.readable_table([{"a": "x", "b": "y"}], column_order=["b"]).frame
    assert list(out.columns) == ["b"] and out["b"][0] == "y"


def test_a_source_written_in_words_links_its_addresses_by_site_name():
    text = ("Estimation : national 2015 (https://newsletters.innovapresse.com/logement/31488-124.html) "
            "moins les régions publiées, <b>réparti</b>")
    frame = pd.DataFrame({"Source": [text], "Autres sources": ["30 099 (https://www.lagazette.fr/a.html), consulté"],
                          "Nom": ["https://evil.example/x"]})
    cells = tv.readable_table(frame, cited=True).frame.iloc[0]
    # markdown-escaped text around a link named by its site, the address whole behind it
    assert cells["Source"].startswith("Estimation \\: national 2015 \\([newsletters\\.innovapresse\\.com]"
                                      "(https://newsletters.innovapresse.com/logement/31488-124.html)\\) moins")
    assert "\\<b\\>" in cells["Source"]  # the rest escaped as any text
    assert "\\([lagazette\\.fr](https://www.lagazette.fr/a.html)\\), consulté" in cells["Autres sources"]
    assert "](" not in cells["Nom"]  # a name is never a link


def test_a_source_with_an_unsafe_address_keeps_it_as_text():
    cells = tv.readable_table(pd.DataFrame({"Source": ["voir https:///chemin et https://a.fr\x01b ici"]}),
                              cited=True).frame
    assert cells["Source"][0] == md_escape("voir https:///chemin et https://a.fr\x01b ici")  # no link, escaped


def test_a_cited_address_keeps_its_parentheses_and_names_its_true_host():
    text = "(https://fr.wikipedia.org/wiki/Pacte_(logement)), https://www.gouv.fr@pirate.example/x."
    cell = tv.readable_table(pd.DataFrame({"Source": [text]}), cited=True).frame["Source"][0]
    assert "(https://fr.wikipedia.org/wiki/Pacte_%28logement%29)" in cell  # the whole address, encoded
    assert cell.endswith("(https://www.gouv.fr@pirate.example/x)\\.")
    assert "[pirate\\.example]" in cell and "gouv" not in cell.split("](")[-2]  # named by its real host


def test_sources_are_links_only_where_a_page_asks_for_it():
    """A raw preview or a presented table (no ``cited``) shows an address in a « Source » column as text."""
    cell = tv.readable_table(pd.DataFrame({"Source": ["vu sur https://exemple.fr/a"]})).frame["Source"][0]
    assert "](" not in cell
