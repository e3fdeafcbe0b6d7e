"""Tables for the page "Données et sources": the data catalogue, figures per indicator, the
figures on which sources disagree, the provenance of every source address (publisher, type,
original, dates), the figures set aside for want of a date, the pact parameters with their dated
references and the coverage matrix in wide form.

Also the provenance vocabulary every table uses: ``date_label`` (« publié le 19 janvier 2016 »,
« consulté le 1er décembre 2026 ») and ``nature_label`` (« cité, copie non officielle »), and
``is_mirror_address``, the hosts known to republish documents without being their publisher.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import yaml

from lib import fmt
from lib.data import INDICATORS, SOURCE_TYPE_LABELS, mark_retained
from lib.errors import DataError
from lib.natures import IMPORTE
from lib.paths import DATA

CATALOGUE_FILE = DATA / "catalogue.yaml"
CATALOGUE_KEYS = ("fichier", "titre", "origine", "licence", "nature", "reconstruction")
REGISTRY_FILE = DATA / "sources_adresses.csv"

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
#: hosts that republish other publishers' documents (document-sharing sites, cloud storage,
#: a press site's test or pre-production copies): never a publisher's own address
MIRROR_HOSTS = (
    "pdfslide.fr", "pdfslide.tips", "123dok.net", "docplayer.fr", "expydoc.com", "fdocuments.fr",
    "fdocuments.net", "vdocuments.net", "vdocuments.fr", "doczz.fr", "fr.doczz.net", "docslib.org",
    "pdfprof.com", "pdfhall.com", "manualzilla.com", "readkong.com", "scribd.com", "slideshare.net",
    "yumpu.com", "docudoo.com", "s3.amazonaws.com", "blob.core.windows.net",
)
MIRROR_HOST_MARKERS = ("staging", "testing.")


def is_mirror_address(url: str) -> bool:
    """True for an address on a host that copies documents it did not publish."""
    host = (urlparse(str(url)).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS) or any(m in host for m in MIRROR_HOST_MARKERS)


def fr_date(iso: str) -> str:
    """'2016-01-19' → '19 janvier 2016', '2016-03' → 'mars 2016', '2014' → '2014' ('' if empty)."""
    iso = (iso or "").strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", iso)
    if not m:
        return iso
    year, month, day = m.groups()
    if not month:
        return year
    text = f"{MONTHS[int(month) - 1]} {year}"
    if day:
        d = int(day)
        text = f"{'1er' if d == 1 else d} {text}"
    return text


#: what a source with no date anywhere says, never a made-up date
UNKNOWN_DATE = "date inconnue"


def date_label(publication: str, consultation: str = "", source_type: str = "") -> str:
    """The date shown beside a source, saying which date it is: its publication when known
    (for an unofficial copy, the original's), else the day the page was consulted."""
    publication, consultation = (publication or "").strip(), (consultation or "").strip()
    if publication:
        day = len(publication) == 10
        verb = "publié le" if day else "publié en"
        prefix = "document d'origine " if source_type == "copie non officielle" else ""
        return f"{prefix}{verb} {fr_date(publication)}"
    if consultation:
        return f"consulté le {fr_date(consultation)}"
    return ""


def nature_label(nature: str, source_type: str = "") -> str:
    """A figure's nature as shown: « cité, copie non officielle » when only a copy was found,
    « cité, reprise » when a regional body's national table is the only address."""
    if source_type == "copie non officielle":
        return f"{nature}, copie non officielle"
    if source_type == "reprise":
        return f"{nature}, reprise"
    return nature


REGISTRY_COLUMNS = ("url", "editeur", "type_source", "region_editeur", "original", "date_publication",
                    "date_consultation", "date_note")


def load_registry(path: Path = REGISTRY_FILE) -> pd.DataFrame:
    """The provenance of every source address (data/sources_adresses.csv)."""
    try:
        reg = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"Registre des sources illisible : {Path(path).name} ({exc}).") from exc
    missing = [c for c in REGISTRY_COLUMNS if c not in reg.columns]
    if missing:
        raise DataError(f"Registre des sources mal formé : {Path(path).name} (colonnes manquantes : "
                        f"{', '.join(missing)}).")
    return reg


def load_catalogue(path: Path = CATALOGUE_FILE) -> list[dict]:
    try:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"Catalogue des données illisible : {Path(path).name} ({exc}).") from exc
    if not isinstance(entries, list):
        raise DataError(f"Catalogue des données mal formé : {Path(path).name}.")
    for e in entries:
        missing = [k for k in CATALOGUE_KEYS if k not in e]
        if missing:
            raise DataError(f"Catalogue : l'entrée « {e.get('fichier', '?')} » n'a pas {', '.join(missing)}.")
    return entries


def catalogue_table(entries: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(entries, columns=list(CATALOGUE_KEYS))
    df.columns = ["Fichier (data/)", "Contenu", "Origine", "Licence", "Nature", "Reconstruction"]
    return df


def figures_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: rows, territories, periods, natures and number of distinct sources."""
    g = figures.groupby("indicateur")
    out = pd.DataFrame({
        "Indicateur": [INDICATORS.get(k, (k,))[0] for k in g.groups],
        "Code": list(g.groups),
        "Lignes": g.size().values,
        "Territoires": g["territoire_code"].nunique().values,
        "Périodes": g["periode"].apply(lambda s: ", ".join(sorted(set(s)))).values,
        "Natures": g["nature"].apply(lambda s: ", ".join(f"{k} ({v})" for k, v in s.value_counts().items())).values,
        "Sources distinctes": g["source"].nunique().values,
    })
    return out.sort_values("Lignes", ascending=False).reset_index(drop=True)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name].fillna("").astype(str) if name in df.columns else pd.Series("", index=df.index)


def conflicts_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Every figure for which another source gives another value, retained one first."""
    df = mark_retained(figures)
    df = df[df["n_sources"] > 1].sort_values(
        ["indicateur", "territoire_code", "periode", "retenu"], ascending=[True, True, True, False])
    return pd.DataFrame({
        "Territoire": df["territoire_nom"].fillna(df["territoire_code"]),
        "Période": df["periode"],
        "Indicateur": df["indicateur"].map(lambda k: INDICATORS.get(k, (k,))[0]),
        "Valeur": df["valeur"].map(fmt.fmt_int),
        "Retenue": df["retenu"].map({True: "oui", False: "non"}),
        "Nature": [nature_label(n, t) for n, t in zip(df["nature"], _col(df, "source_type"))],
        "Périmètre": df["perimetre"],
        "Source": df["source"],
        "Date de la source": _col(df, "date_source"),
        "Note": df["note"],
    }).reset_index(drop=True)


def provenance_table(figures: pd.DataFrame, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per source address the figures cite: publisher, type of address, original
    publication (named for a copy or a republication), dates, number of figures and of
    retained figures. Sorted with unofficial copies first, as they need a reader's care."""
    df = mark_retained(figures)
    df = df[df["nature"] != IMPORTE]
    reg = (registry if registry is not None else load_registry()).set_index("url")
    rows = []
    for url, g in df.groupby("source", sort=False):
        r = reg.loc[url] if url in reg.index else None
        types = sorted(set(_col(g, "source_type")) - {""})
        rows.append({
            "Source": url,
            "Éditeur": r["editeur"] if r is not None else "",
            "Type d'adresse": " ; ".join(SOURCE_TYPE_LABELS.get(t, t) for t in types),
            "Publication d'origine": r["original"] if r is not None else "",
            "Publiée": fr_date(r["date_publication"]) if r is not None else "",
            "Consultée": fr_date(r["date_consultation"]) if r is not None else "",
            "Sur la date": r["date_note"] if r is not None else "",
            "Chiffres": len(g),
            "Chiffres retenus": int(g["retenu"].sum()),
            "_copie": "copie non officielle" in types,
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = out.sort_values(["_copie", "Chiffres retenus"], ascending=[False, False], kind="stable")
    return out.drop(columns="_copie").reset_index(drop=True)


def undated_table(undated: pd.DataFrame) -> pd.DataFrame:
    """Figures set aside because their source has neither publication nor consultation date."""
    return pd.DataFrame({
        "Territoire": undated["territoire_nom"].fillna(undated["territoire_code"]),
        "Période": undated["periode"],
        "Indicateur": undated["indicateur"].map(lambda k: INDICATORS.get(k, (k,))[0]),
        "Valeur": undated["valeur"].map(lambda v: fmt.fmt_num(v, 2 if float(v) % 1 else 0)),
        "Nature": [nature_label(n, t) for n, t in zip(undated["nature"], _col(undated, "source_type"))],
        "Source": undated["source"],
        "Pourquoi écarté": _col(undated, "date_note"),
    }).reset_index(drop=True)


def _fmt_param(value, unite: str) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if unite == "taux":
        return fmt.fmt_pct(value, 0)
    if unite.startswith("€"):
        return fmt.fmt_eur(value)
    if isinstance(value, (int, float)):
        return fmt.fmt_int(value)
    return str(value)


def params_table(params) -> pd.DataFrame:
    """One row per parameter value: the pact's article and its dated reference(s)."""
    rows = []
    for path, p in params.items():
        refs = " ; ".join(f"{r.title} ({fr_date(r.date)})" for r in p.references)
        hrefs = " ".join(r.href for r in p.references if r.href)
        for year, v in sorted(p.valeurs.items()):
            rows.append({"Paramètre": p.description, "Valeur": _fmt_param(v, p.unite), "Unité": p.unite,
                         "À partir de": str(year), "Article": p.article, "Texte de référence": refs,
                         "Adresse": hrefs, "Clé": path})
    return pd.DataFrame(rows)


def coverage_wide(coverage: pd.DataFrame, labels: dict) -> pd.DataFrame:
    wide = coverage.pivot_table(index=["region", "indicateur"], columns="annee", values="nature",
                                aggfunc="first").reset_index()
    wide["indicateur"] = wide["indicateur"].map(lambda k: labels.get(k, k))
    wide.columns = [str(c) for c in wide.columns]
    return wide.rename(columns={"region": "Région", "indicateur": "Indicateur"})
