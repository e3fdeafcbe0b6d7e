"""The committee packs (lib/committee_pack.py): one A4 page per region, one or two for the
national committee, PDF rendered by WeasyPrint, French, sources dated, names escaped."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from lib import committee_pack as cp
from lib import data, geo, pace, peers, region_report, sources, targets
from lib import mutualisation_inputs as mi
from tests.shipped import shipped_achievement


@pytest.fixture(scope="module")
def ctx():
    s = shipped_achievement()
    figures, regions, p, years, obj, ach = s.figures, s.regions, s.p, s.years, s.obj, s.ach
    keys = mi.regional_keys(years[0]).set_index("code")
    stock, natures = keys["parc_social"], keys["nature_parc"]
    metrics = peers.peer_metrics(ach, pace.regional_pace(ach, years), regions, stock, natures,
                                 data.retained(figures, "rehab_eco_pls"))
    return figures, regions, p, obj, stock, natures, metrics


def pack(ctx, code):
    figures, regions, p, obj, stock, natures, metrics = ctx
    prof = region_report.region_profile(figures, regions, p, obj, code, geo.load_zonage_regions())
    return cp.build_region_pack(prof, figures, p, metrics, stock, natures,
                                mutualisation=region_report.region_mutualisation(code, p))


def densest_regions(ctx, n=3):
    """The regions whose pack holds the most lines (sources, renovation periods, peers)."""
    sizes = {}
    for code in ctx[1]["code"]:
        pk = pack(ctx, code)
        sizes[code] = len(pk.sources) * 2 + len(pk.renovation) * 3 + len(pk.peers) + len(pk.summary) / 200
    return sorted(sizes, key=lambda c: -sizes[c])[:n]


def pdf_pages(raw: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(raw))
    return len(reader.pages), "\n".join(pg.extract_text() for pg in reader.pages)


def test_densest_region_packs_fit_one_a4_page(ctx):
    codes = densest_regions(ctx) + ["91"]
    assert "11" in codes or "82" in codes  # the regions with the most sources are among them
    for code in codes:
        html = cp.region_pack_html(pack(ctx, code))
        assert cp.page_count(html) == 1, code


def test_region_pdf_is_one_page_in_french_with_dated_sources(ctx):
    pk = pack(ctx, "91")
    html = cp.region_pack_html(pk, today=date(2026, 3, 2))
    n, text = pdf_pages(cp.to_pdf(html))
    assert n == 1
    flat = re.sub(r"\s+", " ", text)
    for words in ("Languedoc-Roussillon", "Rythme nécessaire", "mutualisation", "Solde net", "Réhabilitation",
                  "médiane nationale", "Sources", "publié le", "2 mars 2026"):
        assert words in flat, words
    # every source carries its date; the shipped data has a date for each one
    assert pk.sources and all(d and d != sources.UNKNOWN_DATE for _s, d in pk.sources)
    items = re.findall(r"<li>(.*?)</li>", html.split('<ul class="sources">')[1])
    assert len(items) == len(pk.sources) and all("publié" in i or "consulté" in i for i in items)
    assert "<svg" in html and html.count("<svg") >= 3 and "<script" not in html


def test_region_pack_with_no_data_still_fits_and_says_so(ctx):
    pk = pack(ctx, "06")  # Mayotte: no figure at all
    html = cp.region_pack_html(pk)
    assert cp.page_count(html) == 1
    assert "ne peut pas être calculé" in pk.summary and "n.d." in html


def test_names_and_texts_are_escaped(ctx):
    pk = pack(ctx, "91")
    pk.profile.nom = "<script>alert(1)</script>"
    pk.summary = "<b>x</b> & <img src=x onerror=alert(1)>"
    pk.sources = [("https://exemple.fr/?a=<i>", "publié le 1er mars 2015")]
    html = cp.region_pack_html(pk, svgs={"rythme": "<svg></svg>"})
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;img" in html and "<img" not in html
    assert "?a=&lt;i&gt;" in html


def test_pdf_never_fetches_an_address():
    fetcher = cp.no_network_fetcher()
    for url in ("http://exemple.fr/logo.png", "https://exemple.fr/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    raw = cp.to_pdf('<!doctype html><html lang="fr"><body><p>Dossier</p>'
                    '<img src="http://exemple.fr/logo.png"></body></html>')  # the image is left out, no request
    assert pdf_pages(raw)[0] == 1


def test_dated_sources_looks_dates_up_and_never_invents_one():
    import pandas as pd

    figures = pd.DataFrame({"source": ["https://a.fr", "https://b.fr"],
                            "date_source": ["publié le 19 janvier 2016", ""]})
    out = cp.dated_sources([("https://a.fr", ""), ("calcul", ""), ("https://b.fr", ""), ("https://a.fr", "")],
                           figures)
    assert out == [("https://a.fr", "publié le 19 janvier 2016"), ("https://b.fr", "date inconnue")]


def test_national_pack_one_or_two_pages(ctx):
    figures, regions, p, obj, stock, natures, _m = ctx
    npk = cp.build_national_pack(figures, regions, p, obj, stock, natures)
    assert list(npk.priority["code"]) == targets.priority_regions(p)
    assert npk.mutualisation_totals["fonds_total_eur"] > 0 and len(npk.mutualisation_regions) == 22
    html = cp.national_pack_html(npk)
    n, text = pdf_pages(cp.to_pdf(html))
    assert 1 <= n <= 2
    flat = re.sub(r"\s+", " ", text)
    for words in ("comité de suivi national", "Île-de-France", "Provence-Alpes-Côte d'Azur", "Languedoc-Roussillon",
                  "Solde de la mutualisation", "Rythme nécessaire", "226 521", "publié le 8 juillet 2013"):
        assert words in flat.replace("\u202f", " ").replace("\u00a0", " "), words
    # every source carries its date (sources.UNKNOWN_DATE is what dated_sources says when none is found)
    assert npk.sources and all(d and d != sources.UNKNOWN_DATE for _s, d in npk.sources), npk.sources


def test_the_packs_period_is_the_parameter_files(ctx):
    # the pact's years are data: a pack built on other years says those years, never « 2013-2015 » typed
    import dataclasses
    from html import unescape

    figures, regions, p, obj, stock, natures, _m = ctx
    npk = cp.build_national_pack(figures, regions, p, obj, stock, natures)
    assert "Pacte Hlm 2013–2015 : point d'étape" in unescape(cp.national_pack_html(npk, svgs={}))
    later = npk.pace[npk.pace["annee"] >= 2014]
    html = unescape(cp.national_pack_html(dataclasses.replace(npk, pace=later), svgs={}))
    assert "Pacte Hlm 2014–2015 : point d'étape" in html and "Logements financés 2014–2015" in html
    assert "objectif cumulé 2014–2015 moins" in html
    rpk = pack(ctx, "11")
    region = unescape(cp.region_pack_html(dataclasses.replace(rpk, pace=rpk.pace[rpk.pace["annee"] <= 2014]), svgs={}))
    assert "Pacte Hlm 2013–2014 : dossier" in region and "atteindre l'objectif 2014" in region
