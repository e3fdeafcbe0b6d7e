"""The fields of each kind of file and the column labels they are recognised by."""


from __future__ import annotations

from dataclasses import dataclass

from lib.data import PROVENANCE_COLUMNS
from lib.errors import DataError
from lib.importer.limits import KINDS


@dataclass(frozen=True)
class Field:
    """One column the dashboard needs, with the labels people give it."""

    key: str
    label: str
    type: str  # code | text | year | count | amount | bool
    required: bool
    synonyms: tuple[str, ...] = ()
    help: str = ""


_CODE_SYNONYMS = (
    "code", "code territoire", "code region", "code reg", "reg", "region code", "code insee",
    "code departement", "code dep", "dep", "dept", "departement code", "num departement",
    "numero departement", "n departement", "no departement", "code commune", "insee", "codgeo",
    "code geo", "com", "code officiel geographique", "code de la region", "code du departement",
    "code region 2015", "code region 2016", "code nouvelle region", "code ancienne region",
)
_NAME_SYNONYMS = (
    "nom", "region", "departement", "commune", "libelle", "libelle region", "libelle departement",
    "libelle commune", "nom region", "nom departement", "nom commune", "territoire", "libgeo",
    "nom du territoire", "nouvelle region", "ancienne region", "nom de la region",
)
_YEAR_SYNONYMS = (
    "annee", "an", "exercice", "millesime", "annee de financement", "annee financement",
    "annee de programmation", "gestion", "year", "annee d agrement", "annee de l objectif",
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "figures": (
        Field("territoire_code", "Code du territoire", "code", True, _CODE_SYNONYMS,
              "Code INSEE de la région, du département ou de la commune."),
        Field("territoire_nom", "Nom du territoire", "text", False, _NAME_SYNONYMS,
              "Facultatif : sert à vérifier que les codes sont lus au bon niveau."),
        Field("annee", "Année", "year", True, _YEAR_SYNONYMS, "Année de financement (4 chiffres)."),
        Field("lls_finances", "Logements locatifs sociaux financés (total)", "count", False,
              ("logements finances", "nombre de logements finances", "nb logements finances",
               "lls finances", "logements locatifs sociaux finances", "total finance", "total",
               "total lls", "total plai plus pls", "logements sociaux finances", "nombre de lls finances",
               "nombre total de logements finances", "logements agrees", "nombre de logements agrees",
               "total logements", "production", "lls")),
        Field("lls_finances_plai", "dont PLAI", "count", False,
              ("plai", "dont plai", "nombre de plai", "plai finances", "logements plai", "nb plai")),
        Field("lls_finances_plus", "dont PLUS", "count", False,
              ("plus", "dont plus", "nombre de plus", "plus finances", "logements plus", "nb plus")),
        Field("lls_finances_pls", "dont PLS", "count", False,
              ("pls", "dont pls", "nombre de pls", "pls finances", "logements pls", "nb pls")),
        Field("rehab_eco_pls", "Réhabilitations financées par éco-prêt", "count", False,
              ("rehabilitations", "rehabilitations eco pret", "logements rehabilites", "eco pls",
               "eco prets", "rehabilitations financees", "nombre de rehabilitations", "eco pret logement social",
               "rehabilitations eco pls", "renovations", "logements renoves")),
        Field("parc_locatif_social", "Parc locatif social (logements)", "count", False,
              ("parc", "parc locatif social", "parc social", "nombre de logements sociaux", "parc rpls",
               "rpls", "logements sociaux", "parc au 1er janvier", "patrimoine")),
        Field("mises_en_service", "Logements mis en service", "count", False,
              ("mises en service", "logements mis en service", "nombre de mises en service")),
    ),
    "objectifs": (
        Field("territoire_code", "Code de la région (ou du département)", "code", True, _CODE_SYNONYMS,
              "Code INSEE de la région d'avant 2016, ou du département (les départements sont additionnés)."),
        Field("territoire_nom", "Nom de la région", "text", False, _NAME_SYNONYMS,
              "Facultatif : sert à vérifier les codes."),
        Field("annee", "Année", "year", True, _YEAR_SYNONYMS, "Année de l'objectif (4 chiffres)."),
        Field("objectif_lls", "Objectif de logements locatifs sociaux", "count", True,
              ("objectif", "objectif lls", "objectifs", "objectif de logements sociaux", "objectif regional",
               "objectif total", "objectif logements locatifs sociaux", "objectif de production",
               "objectif notifie", "objectif lls total")),
        Field("objectif_rehab", "Objectif de réhabilitations", "count", False,
              ("objectif rehabilitation", "objectif rehabilitations", "objectif rehab", "objectif eco pret",
               "objectif eco prets", "objectif renovation")),
    ),
    "organismes": (
        Field("organisme_id", "Identifiant de l'organisme", "text", True,
              ("identifiant", "id", "siren", "code organisme", "numero organisme", "n organisme", "no organisme",
               "code bailleur", "identifiant organisme", "id organisme", "siret", "numero", "code")),
        Field("organisme_nom", "Nom de l'organisme", "text", True,
              ("nom", "organisme", "raison sociale", "bailleur", "nom organisme", "nom de l organisme",
               "denomination", "nom du bailleur", "libelle")),
        Field("reg_code", "Code région", "code", False,
              ("code region", "region", "code reg", "reg", "region code", "code region 2015", "code de la region"),
              "Code de la région d'avant 2016 (ou donnez le département)."),
        Field("dep_code", "Code département", "code", False,
              ("code departement", "departement", "code dep", "dep", "dept", "numero departement", "n departement"),
              "Code du département du siège (la région en est déduite)."),
        Field("loyers_eur", "Loyers (€)", "amount", True,
              ("loyers", "montant des loyers", "loyers quittances", "produit des loyers", "loyers et redevances",
               "loyers eur", "masse des loyers", "loyers annuels")),
        Field("patrimoine_logements", "Patrimoine (logements et équivalents-logements)", "count", True,
              ("patrimoine", "nombre de logements", "parc", "logements", "patrimoine logements",
               "logements et foyers", "nombre de logements et equivalents", "logements geres")),
        Field("cotisation_cglls_eur", "Cotisation CGLLS (€)", "amount", True,
              ("cotisation cglls", "cglls", "cotisation", "cotisation principale cglls", "montant cotisation cglls")),
        Field("exonere", "Exonéré (plan CGLLS)", "bool", False,
              ("exonere", "exoneration", "exonere de contribution", "plan cglls", "sous plan cglls",
               "exonere de cotisation", "exoneree"),
              "oui / non (ou 1 / 0, x) ; vide = non."),
        Field("lls_zone_1_1bis", "Logements neufs PLUS/PLAI en zone 1 et 1 bis", "count", False,
              ("lls zone 1 1bis", "zone 1 1bis", "zone 1 et 1bis", "zone 1 et 1 bis", "logements zone 1",
               "nouveaux logements zone 1 1bis", "logements neufs zone 1 1bis", "zones 1 et 1 bis", "zone 1")),
        Field("lls_zone_2_3", "Logements neufs PLUS/PLAI en zone 2 et 3", "count", False,
              ("lls zone 2 3", "zone 2 3", "zone 2 et 3", "zones 2 et 3", "logements zone 2 3",
               "nouveaux logements zone 2 3", "logements neufs zone 2 3", "zone 2")),
        Field("prets_rehab_eur", "Prêts de réhabilitation signés (€)", "amount", False,
              ("prets rehab", "prets rehabilitation", "prets de rehabilitation", "eco prets", "eco prets et pam",
               "montant des prets de rehabilitation", "prets rehab eur", "prets pam")),
        Field("logements_restructures", "Logements démolis ou restructurés", "count", False,
              ("logements restructures", "restructurations", "logements demolis ou restructures", "demolitions",
               "logements demolis")),
    ),
}

#: figures: field key -> (indicator of lib/data.py INDICATORS, unit)
FIGURE_INDICATORS = {
    "lls_finances": ("lls_finances", "logements"),
    "lls_finances_plai": ("lls_finances_plai", "logements"),
    "lls_finances_plus": ("lls_finances_plus", "logements"),
    "lls_finances_pls": ("lls_finances_pls", "logements"),
    "rehab_eco_pls": ("rehab_eco_pls", "logements"),
    "parc_locatif_social": ("parc_locatif_social", "logements"),
    "mises_en_service": ("mises_en_service", "logements"),
}

ORGANISMES_COLUMNS = (
    "organisme_id", "organisme_nom", "reg2015_code", "dep_code", "loyers_eur", "patrimoine_logements",
    "cotisation_cglls_eur", "exonere", "lls_zone_1_1bis", "lls_zone_2_3", "prets_rehab_eur",
    "logements_restructures",
)
OBJECTIFS_COLUMNS = ("reg2015_code", "annee", "objectif_lls", "objectif_rehab")
FIGURES_COLUMNS = (
    "niveau", "territoire_code", "territoire_nom", "periode", "annee", "indicateur", "valeur", "unite",
    "perimetre", "nature", "source", "note", "fichier_origine", *PROVENANCE_COLUMNS,
)


def fields_of(kind: str) -> tuple[Field, ...]:
    if kind not in FIELDS:
        raise DataError(f"Type de fichier inconnu : « {kind} ». Choisissez parmi : {', '.join(KINDS)}.")
    return FIELDS[kind]
