"""Check the shipped data files before a page uses them, and say in French which file is wrong,
what is wrong with it and how to rebuild it.

Why: a file cut short by a failed copy still parses (data/figures.csv cut in the middle gave 109
rows of 228, silently used by three pages), an empty or missing one made pages show Python
tracebacks. Each file is compared with ``data/manifest.json`` (its SHA-256, size and line count,
written by ``scripts/build_manifest.py`` at the end of ``make data``):

- identical to the manifest: accepted at once (that exact file was built and tested);
- missing, empty, or with fewer lines than the manifest says: refused (« introuvable », « vide »,
  « tronqué ») without reading it further;
- otherwise it was edited or rebuilt since the manifest: it is read by its own loader (the
  pandera schemas of lib/data.py, lib/geo.py…), and refused with the loader's reason if that fails.

Each page declares the files it needs (``PAGE_FILES``) and those it can do without
(``PAGE_OPTIONAL``): a page stops with the message when a needed file is wrong, shows a warning
for an optional one, and never looks at the others, so the other pages keep working.
Results are cached per file state (path, size, modification time), so a check costs one ``stat``
per file once the file has been read.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lib import paths
from lib.errors import DataError

MANIFEST_NAME = "manifest.json"
REBUILD = "make data"


@dataclass(frozen=True)
class DataFile:
    """One shipped file: where it is (under data/), what it holds, how it is rebuilt."""

    name: str
    title: str
    rebuild: str  # the script that builds it (run by « make data »), or how to restore a hand-written file
    built: bool = True  # False: written by hand, restored from the repository


FILES: dict[str, DataFile] = {f.name: f for f in (
    DataFile("figures.csv", "chiffres cités", "scripts/build_figures.py"),
    DataFile("regions.csv", "liste des 27 régions", "scripts/build_geo.py"),
    DataFile("territoires.csv", "départements et régions", "scripts/build_geo.py"),
    DataFile("geo/regions_2015.geojson", "contours des régions", "scripts/build_geo.py"),
    DataFile("geo/departements.geojson", "contours des départements", "scripts/build_geo.py"),
    DataFile("zonage/zonage_communes.csv", "zonage des communes", "scripts/build_zonage.py"),
    DataFile("zonage/zonage_regions.csv", "zonage par région", "scripts/build_zonage.py"),
    DataFile("pacte_parametres.yaml", "paramètres du pacte", "git checkout -- data/pacte_parametres.yaml",
             built=False),
    DataFile("mutualisation_hypotheses.yaml", "hypothèses du simulateur",
             "git checkout -- data/mutualisation_hypotheses.yaml", built=False),
    DataFile("catalogue.yaml", "catalogue des données", "git checkout -- data/catalogue.yaml", built=False),
    DataFile("figures_non_datees.csv", "chiffres écartés faute de date", "scripts/build_figures.py"),
    DataFile("sources_adresses.csv", "provenance des adresses citées",
             "git checkout -- data/sources_adresses.csv", built=False),
    DataFile("mutualisation_campagnes.yaml", "campagnes de mutualisation rejouées",
             "git checkout -- data/mutualisation_campagnes.yaml", built=False),
    DataFile("mutualisation_campagnes_citees.csv", "résultats publiés des campagnes de mutualisation",
             "git checkout -- data/mutualisation_campagnes_citees.csv", built=False),
)}

PAGE_LABELS = {"accueil": "Accueil", "carte": "Carte", "region": "Région", "mutualisation": "Mutualisation",
               "donnees": "Données et sources", "presentation": "Présentation"}
#: files without which the page cannot be drawn
PAGE_FILES: dict[str, tuple[str, ...]] = {
    "accueil": ("figures.csv", "pacte_parametres.yaml", "regions.csv"),
    "carte": ("figures.csv", "pacte_parametres.yaml", "regions.csv", "geo/regions_2015.geojson"),
    "region": ("figures.csv", "pacte_parametres.yaml", "regions.csv", "zonage/zonage_regions.csv"),
    "mutualisation": ("figures.csv", "pacte_parametres.yaml", "regions.csv", "zonage/zonage_regions.csv",
                      "mutualisation_hypotheses.yaml"),
    "donnees": ("figures.csv", "pacte_parametres.yaml", "regions.csv", "catalogue.yaml"),
    # its four screens: France, the map, a region, a mutualisation scenario
    "presentation": ("figures.csv", "pacte_parametres.yaml", "regions.csv", "geo/regions_2015.geojson",
                     "zonage/zonage_regions.csv", "mutualisation_hypotheses.yaml"),
}
#: files a part of the page needs (the rest of the page is drawn, with a warning)
PAGE_OPTIONAL: dict[str, dict[str, str]] = {
    "accueil": {"zonage/zonage_regions.csv": "le dossier du comité de suivi national",
                "mutualisation_hypotheses.yaml": "le dossier du comité de suivi national"},
    "region": {"mutualisation_hypotheses.yaml": "la partie « Ce que la mutualisation signifie pour la région », "
                                                "l'objectif de réhabilitation estimé, les régions au parc social "
                                                "proche et le dossier du comité"},
    "mutualisation": {"geo/regions_2015.geojson": "la carte des flux entre régions",
                      "mutualisation_campagnes.yaml": "la vue « Rejouer une campagne »",
                      "sources_adresses.csv": "la liste des sources des règles de chaque campagne rejouée"},
    "donnees": {"territoires.csv": "l'import de fichiers",
                "zonage/zonage_communes.csv": "l'import de fichiers par commune",
                "sources_adresses.csv": "le tableau de l'onglet « Provenance des sources »",
                "figures_non_datees.csv": "la liste des chiffres écartés faute de date (onglet « Provenance des sources »)"},
}
#: shipped files no page reads (an input of scripts/build_figures.py, the départements' outlines
#: built with the regions'), checked all the same and listed in the sidebar when damaged
UNREAD = ("mutualisation_campagnes_citees.csv", "geo/departements.geojson")


@dataclass(frozen=True)
class FileProblem:
    """What is wrong with one shipped file, in French."""

    name: str
    what: str  # « est introuvable », « est vide », « est tronqué : … », « est illisible ou abîmé : … »

    @property
    def file(self) -> DataFile:
        return FILES[self.name]

    @property
    def short(self) -> str:
        """The fault in one word or two (« introuvable », « tronqué »), for a list."""
        return self.what.removeprefix("est ").split(" :")[0].split(" (")[0]

    def message(self, consequence: str = "") -> str:
        f = self.file
        # every shipped file is committed: restoring it works on any clone, whereas rebuilding
        # needs the build inputs (registry packages, the cited sources) described in SOURCES.md
        how = (f"Restaurez-le depuis le dépôt (« git checkout -- data/{self.name} »), ou reconstruisez-le "
               f"avec « {REBUILD} » ({f.rebuild} ; ce qu'il demande est dit dans data/SOURCES.md)" if f.built
               else f"Ce fichier est écrit à la main : restaurez-le depuis le dépôt (« {f.rebuild} »)")
        return (f"Fichier de données data/{self.name} ({f.title}) {self.what}. "
                + (f"{consequence} " if consequence else "") + f"{how}, puis rechargez la page.")


# ---------------------------------------------------------------------------------------------


def data_dir() -> Path:
    return paths.DATA


def _loader(name: str) -> Callable[[Path], object]:
    """The file's own loader (its schema), imported late: lib.data and lib.geo are heavy."""
    if name == "figures.csv":
        from lib.data import load_figures

        return load_figures
    if name in ("regions.csv", "territoires.csv") or name.startswith(("geo/", "zonage/")):
        from lib import geo

        return {
            "regions.csv": geo.load_regions, "territoires.csv": geo.load_territoires,
            "geo/regions_2015.geojson": geo.load_regions_geo, "geo/departements.geojson": geo.load_departements_geo,
            "zonage/zonage_communes.csv": geo.load_zonage_communes, "zonage/zonage_regions.csv": geo.load_zonage_regions,
        }[name]
    if name == "pacte_parametres.yaml":
        from lib.params import parse_params

        return lambda p: parse_params(Path(p).read_text(encoding="utf-8"))
    if name == "mutualisation_hypotheses.yaml":
        from lib.mutualisation_inputs import load_hypotheses

        return getattr(load_hypotheses, "__wrapped__", load_hypotheses)
    if name == "catalogue.yaml":
        from lib.sources import load_catalogue

        return load_catalogue
    if name == "figures_non_datees.csv":
        from lib.data import load_undated_figures

        return load_undated_figures
    if name == "sources_adresses.csv":
        from lib.sources import load_registry

        return load_registry
    if name == "mutualisation_campagnes.yaml":
        from lib.backtest import load_campaigns

        return _campaigns_loader(getattr(load_campaigns, "__wrapped__", load_campaigns))
    if name == "mutualisation_campagnes_citees.csv":
        return _load_campaign_outcomes
    raise KeyError(name)


def _campaigns_loader(load: Callable[[Path], object]) -> Callable[[Path], object]:
    def check(path: Path) -> object:
        campaigns = load(path)
        if not campaigns:
            raise DataError("aucune campagne n'y est décrite")
        return campaigns

    return check


CAMPAIGN_OUTCOME_COLUMNS = ("periode", "niveau", "code", "nom", "indicateur", "valeur", "unite", "perimetre",
                            "nature", "source_url", "note")


def _load_campaign_outcomes(path: Path) -> object:
    """The published outcomes read by scripts/build_figures.py: its columns, a year and a number
    on every row (the build script would stop on anything else)."""
    import pandas as pd

    try:
        d = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"CSV illisible ({type(exc).__name__})") from exc
    missing = [c for c in CAMPAIGN_OUTCOME_COLUMNS if c not in d.columns]
    if missing:
        raise DataError(f"colonnes manquantes : {', '.join(missing)}")
    bad_year = d.index[~d["periode"].str.fullmatch(r"\d{4}")]
    values = pd.to_numeric(d["valeur"].str.replace(",", ".", regex=False), errors="coerce")
    bad_value = d.index[values.isna()]
    if len(bad_year) or len(bad_value):
        line = int(min([*bad_year, *bad_value])) + 2
        raise DataError(f"ligne {line} : année ou valeur illisible")
    return d


def file_facts(path: Path) -> dict:
    """SHA-256, size and line count of a file, as the manifest records them."""
    digest = hashlib.sha256()
    lines = 0
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "octets": size, "lignes": lines}


def build_manifest(directory: Path | None = None) -> dict:
    directory = directory or data_dir()
    return {
        "note": "Empreinte des fichiers livrés, écrite par scripts/build_manifest.py (make data) ; "
                "lib/integrity.py refuse un fichier tronqué, vide ou illisible.",
        "fichiers": {name: file_facts(directory / name) for name in FILES if (directory / name).is_file()},
    }


@functools.lru_cache(maxsize=8)
def _manifest(path: str, size: int, mtime_ns: int) -> dict:
    try:
        tree = json.loads(Path(path).read_text(encoding="utf-8"))
        files = tree["fichiers"]
        return {k: v for k, v in files.items() if isinstance(v, dict)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def manifest() -> dict:
    """The expected facts per file (empty if the manifest is missing or unreadable: every file is
    then read by its loader, and only a cut exactly at a line end can go unnoticed)."""
    path = data_dir() / MANIFEST_NAME
    try:
        st = path.stat()
    except OSError:
        return {}
    return _manifest(str(path), st.st_size, st.st_mtime_ns)


def check_file(name: str) -> FileProblem | None:
    """The problem with one shipped file, or None if it can be used."""
    path = data_dir() / name
    try:
        st = path.stat()
    except OSError:
        return FileProblem(name, "est introuvable")
    if not path.is_file():
        return FileProblem(name, "est introuvable")
    if st.st_size == 0:
        return FileProblem(name, "est vide (0 octet)")
    expected = manifest().get(name)
    return _check_cached(name, str(path), st.st_size, st.st_mtime_ns,
                         json.dumps(expected, sort_keys=True) if expected else "")


@functools.lru_cache(maxsize=64)
def _check_cached(name: str, path: str, size: int, mtime_ns: int, expected_json: str) -> FileProblem | None:
    expected = json.loads(expected_json) if expected_json else None
    try:
        facts = file_facts(Path(path))
    except OSError as exc:
        return FileProblem(name, f"est illisible ({type(exc).__name__})")
    if expected and facts["sha256"] == expected.get("sha256"):
        return None
    if expected and facts["lignes"] < int(expected.get("lignes", 0)):
        return FileProblem(name, f"est tronqué : {facts['lignes']} lignes au lieu de {expected['lignes']} "
                                 f"({_sizes(facts['octets'], int(expected.get('octets', 0)))})")
    try:
        _loader(name)(Path(path))
    except (DataError, ValueError, OSError) as exc:
        return FileProblem(name, f"est illisible ou abîmé : {_reason(exc)}")
    except Exception as exc:  # noqa: BLE001 - a third-party parser failing on a broken file
        return FileProblem(name, f"est illisible ou abîmé ({type(exc).__name__})")
    return None


def _sizes(found: int, expected: int) -> str:
    """« 54 Ko au lieu de 107 Ko »: both sizes in one unit, octets when the expected one is under 100 Ko."""
    if expected < 100 * 1024:
        return f"{_thousands(found)} octets au lieu de {_thousands(expected)} octets"
    return f"{_thousands(round(found / 1024))} Ko au lieu de {_thousands(round(expected / 1024))} Ko"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _reason(exc: Exception) -> str:
    """The loader's reason, without its own advice and without a server path."""
    text = str(exc).split(" Reconstruisez")[0].rstrip(". ")
    text = text.replace(str(data_dir()) + "/", "")
    return (text[:300] + "…") if len(text) > 300 else text


def problems_for(page: str) -> tuple[list[FileProblem], list[tuple[FileProblem, str]]]:
    """(needed files that are wrong, optional files that are wrong with the part they disable)."""
    needed = [p for p in (check_file(n) for n in PAGE_FILES.get(page, ())) if p is not None]
    optional = [(p, part) for n, part in PAGE_OPTIONAL.get(page, {}).items() if (p := check_file(n)) is not None]
    return needed, optional


def all_problems() -> list[FileProblem]:
    return [p for p in (check_file(n) for n in FILES) if p is not None]


def pages_needing(name: str) -> list[str]:
    return [PAGE_LABELS[p] for p, files in PAGE_FILES.items() if name in files]
