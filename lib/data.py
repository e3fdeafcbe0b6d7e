"""Load and validate the shipped figures, and answer the questions every page asks of them.

Each figure keeps its source and its nature (officiel, cité, dérivé, estimé; "importé" for a
user's file), and its source's provenance (``PROVENANCE_COLUMNS``: publisher, type of address
— the publisher's own page, press, republication, unofficial copy —, the original publication,
publication and consultation dates; ``date_source`` is the French label shown beside the
source). Where sources disagree, every row is kept and one is *retained* by a stated rule
(``RETENTION_RULE``); the others stay visible. A value we do not have is absent, never 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lib.errors import DataError
from lib.frame_memo import content_memo
from lib.natures import BY_PREFERENCE, IMPORTE, MANQUANT, SOURCED
from lib.paths import DATA, FIGURES_FILE

UNDATED_FILE = DATA / "figures_non_datees.csv"

NIVEAUX = ("France", "groupe", "region2015", "region2016", "departement")

INDICATORS = {
    "lls_finances": ("Logements locatifs sociaux financés", "logements"),
    "lls_finances_plai": ("dont PLAI", "logements"),
    "lls_finances_plus": ("dont PLUS", "logements"),
    "lls_finances_pls": ("dont PLS", "logements"),
    "lls_finances_plus_plai": ("dont PLUS et PLAI", "logements"),
    "lls_finances_neufs": ("Logements sociaux neufs financés", "logements"),
    "lls_finances_borne_basse": ("Logements financés (borne basse)", "logements"),
    "objectif_lls": ("Objectif régional de logements sociaux", "logements"),
    "objectif_lls_initial": ("Objectif régional initial", "logements"),
    "objectif_lls_supplementaire": ("Objectif supplémentaire", "logements"),
    "objectif_plai": ("Objectif PLAI", "logements"),
    "rehab_eco_pls": ("Réhabilitations financées par éco-prêt", "logements"),
    "rehab_eco_pls_borne_basse": ("Réhabilitations par éco-prêt (borne basse)", "logements"),
    "eco_pls_engages": ("Éco-prêts engagés", "prêts"),
    "parc_locatif_social": ("Parc locatif social", "logements"),
    "parc_bailleurs_sociaux": ("Parc des bailleurs sociaux", "logements"),
    "parc_social_total": ("Parc social total", "logements"),
    "loyer_moyen_m2": ("Loyer moyen", "€/m²/mois"),
    "enveloppe_aides_pierre": ("Enveloppe des aides à la pierre", "M€"),
    "mises_en_service": ("Logements mis en service", "logements"),
    "livraisons": ("Logements livrés", "logements"),
    "evolution_parc": ("Évolution du parc", "%"),
    "taux_vacance": ("Taux de vacance", "%"),
    "taux_mobilite": ("Taux de mobilité", "%"),
    "part_plai": ("Part des PLAI", "%"),
    "part_plus": ("Part des PLUS", "%"),
    "part_pls": ("Part des PLS", "%"),
    "part_eco_pls_nationale": ("Part des éco-prêts nationaux", "%"),
    "part_mises_en_service_nationales": ("Part des mises en service nationales", "%"),
    "lls_pour_1000_habitants": ("Logements sociaux pour 1 000 habitants", "logements/1000 hab."),
    "mutualisation_enveloppe": ("Enveloppe de mutualisation annoncée", "€"),
    "mutualisation_contributions_brutes": ("Contributions brutes à la mutualisation", "€"),
    "mutualisation_plafond": ("Plafond de la mutualisation", "€"),
    # published outcomes of the campaigns (periode = year of the campaign, on the previous year's activity)
    "mutualisation_fonds": ("Fonds de la campagne de mutualisation (aides accordées)", "€"),
    "mutualisation_fonds_annonce": ("Montant de mutualisation annoncé avant calcul", "€"),
    "mutualisation_contribution_loyers": ("Cotisation de mutualisation selon les loyers", "€"),
    "mutualisation_contribution_patrimoine": ("Cotisation de mutualisation selon le patrimoine", "€"),
    "mutualisation_contribution_cglls": ("Cotisation de mutualisation selon la cotisation CGLLS", "€"),
    "mutualisation_organismes_beneficiaires": ("Organismes bénéficiaires nets de la mutualisation", "organismes"),
    "mutualisation_organismes_contributeurs": ("Organismes contributeurs nets de la mutualisation", "organismes"),
    "mutualisation_organismes_solde_nul": ("Organismes au solde nul", "organismes"),
    "mutualisation_organismes_exoneres": ("Organismes exonérés (plan CGLLS)", "organismes"),
    "mutualisation_transferts_nets": ("Transferts nets entre organismes (soldes positifs cumulés)", "€"),
    "mutualisation_regions_beneficiaires": ("Régions au solde net positif", "régions"),
    "mutualisation_regions_contributrices": ("Régions au solde net négatif", "régions"),
    "mutualisation_region_beneficiaire": ("Région au solde net positif (1 = oui)", "oui (1) / non (0)"),
    "mutualisation_ratio_loyers": ("Contribution moyenne rapportée aux loyers", "%"),
    "mutualisation_ratio_patrimoine": ("Contribution moyenne par logement", "€/logement"),
    "mutualisation_ratio_cglls": ("Contribution moyenne rapportée à la cotisation CGLLS", "%"),
    "mutualisation_base_loyers": ("Loyers et redevances pris en compte (total national)", "€"),
    "mutualisation_base_patrimoine": ("Logements et unités de logements-foyers (total national)", "logements"),
    "mutualisation_base_cotisation_cglls": ("Cotisations CGLLS prises en compte (total national)", "€"),
    "parc_hlm_logements": ("Logements locatifs des organismes Hlm", "logements"),
    "parc_hlm_logements_foyers": ("Logements-foyers des organismes Hlm", "logements-foyers"),
    "organismes_hlm": ("Organismes Hlm", "organismes"),
}

#: provenance of each figure's source (joined from data/sources_adresses.csv by
#: scripts/build_figures.py); optional columns so that an imported frame without them is valid
PROVENANCE_COLUMNS = (
    "source_editeur", "source_type", "source_original", "date_publication", "date_consultation", "date_note",
)
SOURCE_TYPES = ("éditeur", "presse", "reprise", "copie non officielle")
SOURCE_TYPE_LABELS = {
    "éditeur": "adresse de l'éditeur",
    "presse": "article de presse ou d'un tiers qui cite",
    "reprise": "chiffre d'une autre région ou national repris par un organisme régional",
    "copie non officielle": "copie non officielle (site de partage, stockage en ligne, pré-production)",
}

RETENTION_RULE = (
    "Quand plusieurs sources donnent une valeur pour le même territoire, la même année et le même "
    "indicateur, on retient d'abord les données que vous avez importées, puis le communiqué du ministère (périmètre « métropole hors ANRU »), "
    "puis la nature la plus sûre (officiel, cité, dérivé, estimé), puis une adresse de l'éditeur ou de la presse "
    "plutôt qu'une copie non officielle, puis la première source listée. Les autres valeurs restent affichées "
    "à côté. Un chiffre dont la source n'a ni date de publication ni date de consultation n'est jamais retenu "
    "(il est listé à part, « Chiffres écartés faute de date »)."
)

_ISO_DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # empty: no date of that kind

FIGURES_SCHEMA = pa.DataFrameSchema(
    {
        "niveau": pa.Column(str, pa.Check.isin(NIVEAUX)),
        "territoire_code": pa.Column(str, pa.Check.str_length(1, 10)),
        "territoire_nom": pa.Column(str, nullable=True),
        "periode": pa.Column(str),
        "annee": pa.Column("Int64", pa.Check.in_range(1990, 2030), nullable=True),
        "indicateur": pa.Column(str, pa.Check.isin(list(INDICATORS))),
        "valeur": pa.Column(float, pa.Check.ge(0)),
        "unite": pa.Column(str),
        "perimetre": pa.Column(str, nullable=True),
        "nature": pa.Column(str, pa.Check.isin(SOURCED)),
        "source": pa.Column(str, pa.Check.str_length(min_value=5)),
        "note": pa.Column(str, nullable=True),
        "fichier_origine": pa.Column(str),
        "source_editeur": pa.Column(str, nullable=True, required=False),
        "source_type": pa.Column(str, pa.Check.isin((*SOURCE_TYPES, "")), nullable=True, required=False),
        "source_original": pa.Column(str, nullable=True, required=False),
        "date_publication": pa.Column(str, pa.Check.str_matches(_ISO_DATE), nullable=True, required=False),
        "date_consultation": pa.Column(str, pa.Check.str_matches(_ISO_DATE), nullable=True, required=False),
        "date_note": pa.Column(str, nullable=True, required=False),
    },
    strict=True,
    coerce=True,
)


def load_figures(path: Path = FIGURES_FILE) -> pd.DataFrame:
    """Every cited figure, typed and validated, with ``date_source`` (the French date label shown
    beside the source); raises DataError (French) if the file is unusable."""
    return with_date_labels(_load(path))


def load_undated_figures(path: Path = UNDATED_FILE) -> pd.DataFrame:
    """Figures set aside because their source has no date (never retained, listed for the record)."""
    if not Path(path).exists():
        return with_date_labels(pd.DataFrame(columns=list(FIGURES_SCHEMA.columns)))
    return with_date_labels(_load(path))


def with_date_labels(figures: pd.DataFrame) -> pd.DataFrame:
    """Add ``date_source`` (« publié le 19 janvier 2016 », « consulté le … ») from the date columns;
    a frame without them (an imported file) gets « fichier importé » or an empty label."""
    from lib.sources import date_label

    df = figures.copy()
    for col in PROVENANCE_COLUMNS:
        if col not in df.columns:
            df[col] = ""
        df[col] = df[col].fillna("").astype(str)
    df["date_source"] = [
        date_label(pub, con, typ) if (pub or con) else ("fichier importé" if nat == IMPORTE else "")
        for pub, con, typ, nat in zip(df["date_publication"], df["date_consultation"], df["source_type"], df["nature"])
    ]
    return df


def _load(path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype={"territoire_code": str, "periode": str}, keep_default_na=False,
                          na_values={"annee": [""], "valeur": [""]}, encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"Fichier de données introuvable : {Path(path).name}. "
                        "Reconstruisez-le avec scripts/build_figures.py.") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"Fichier de données illisible : {Path(path).name} ({exc}).") from exc
    try:
        return FIGURES_SCHEMA.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5)
        detail = "; ".join(f"colonne « {c} » : {f}" for c, f in zip(cases["column"], cases["failure_case"]))
        raise DataError(f"Fichier de données non conforme : {Path(path).name} ({detail}).") from exc


def _priority(df: pd.DataFrame) -> pd.Series:
    ministry = df["perimetre"].fillna("").str.contains("métropole hors ANRU", regex=False)
    nature_rank = df["nature"].map({n: i for i, n in enumerate(BY_PREFERENCE)}).fillna(9)
    imported = df["nature"] == IMPORTE  # the user's own extract replaces the defaults
    copy = (df["source_type"] if "source_type" in df.columns else pd.Series("", index=df.index)).fillna("")
    mirror = copy.eq("copie non officielle")
    return (~imported).astype(int) * 1000 + (~ministry).astype(int) * 100 + nature_rank * 10 + mirror.astype(int)


@content_memo(maxsize=32)  # asked many times per page of the same figures (lib.frame_memo); whole frames
def mark_retained(figures: pd.DataFrame) -> pd.DataFrame:
    """Add ``retenu`` (the one value shown by default) and ``n_sources`` per territory/period/indicator,
    following ``RETENTION_RULE``. Returns a new frame; rows without a date label (imported
    figures added to the shipped ones) get theirs, so every consumer can show it."""
    df = figures.copy()
    if "date_source" not in df.columns or df["date_source"].isna().any():
        df = with_date_labels(df)
    df["_prio"] = _priority(df)
    df["_order"] = range(len(df))
    key = ["niveau", "territoire_code", "periode", "indicateur"]
    df = df.sort_values(key + ["_prio", "_order"], kind="stable")
    df["retenu"] = ~df.duplicated(key, keep="first")
    df["n_sources"] = df.groupby(key)["valeur"].transform("size")
    return df.sort_values("_order").drop(columns=["_prio", "_order"]).reset_index(drop=True)


@content_memo()
def retained(figures: pd.DataFrame, indicateur: str, niveau: str = "region2015") -> pd.DataFrame:
    """The retained value of one indicator at one level, one row per territory and period,
    with the other sources' values listed in ``autres_sources``."""
    df = mark_retained(figures)
    df = df[(df["indicateur"] == indicateur) & (df["niveau"] == niveau)]
    others = pd.DataFrame(
        [{"territoire_code": code, "periode": periode,
          "autres_sources": " ; ".join(_other_source(v, src, d)
                                       for v, src, d in zip(g["valeur"], g["source"], _dates(g)))}
         for (code, periode), g in df[~df["retenu"]].groupby(["territoire_code", "periode"])],
        columns=["territoire_code", "periode", "autres_sources"])
    out = df[df["retenu"]].merge(others, on=["territoire_code", "periode"], how="left")
    return out.reset_index(drop=True)


def _dates(df: pd.DataFrame) -> pd.Series:
    return df["date_source"].fillna("") if "date_source" in df.columns else pd.Series("", index=df.index)


def _other_source(value: float, source: str, date: str) -> str:
    """« 30 316 (https://…, publié le 19 mars 2015) » for the list of non-retained values."""
    number = f"{value:,.0f}".replace(",", "\u202f")
    return f"{number} ({source}, {date})" if date else f"{number} ({source})"


def national_production(figures: pd.DataFrame, params, years=range(2010, 2017)) -> pd.DataFrame:
    """Financed social dwellings per year, national, against both readings of the pact's target.

    One row per year and series (total, PLAI, PLUS, PLS); a year without a figure has a row with
    ``valeur`` missing and nature "manquant". Targets only for the pact years (2013–2015).
    """
    series = {"lls_finances": "Total", "lls_finances_plai": "PLAI", "lls_finances_plus": "PLUS",
              "lls_finances_pls": "PLS"}
    df = mark_retained(figures)
    df = df[(df["niveau"] == "France") & df["indicateur"].isin(series) & df["retenu"]]
    pact_years = params["objectifs.periode"].value(2013)
    rows = []
    for year in years:
        for ind, label in series.items():
            hit = df[(df["annee"] == year) & (df["indicateur"] == ind)]
            rec = {"annee": year, "serie": label, "indicateur": ind}
            if len(hit):
                h = hit.iloc[0]
                rec.update(valeur=float(h["valeur"]), nature=h["nature"], source=h["source"],
                           date_source=h.get("date_source", ""), perimetre=h["perimetre"], note=h["note"])
            else:
                rec.update(valeur=float("nan"), nature=MANQUANT, source="", date_source="", perimetre="", note="")
            in_pact = year in pact_years
            rec["objectif_tous_bailleurs"] = (
                float(params["objectifs.production_tous_bailleurs"].value(year)) if in_pact else float("nan"))
            rec["objectif_hlm"] = float(params["objectifs.production_hlm"].value(year)) if in_pact else float("nan")
            rows.append(rec)
    out = pd.DataFrame(rows)
    out["taux_tous_bailleurs"] = out["valeur"] / out["objectif_tous_bailleurs"]
    out["taux_hlm"] = out["valeur"] / out["objectif_hlm"]
    return out


def coverage_share(coverage: pd.DataFrame) -> float:
    """Share of region × year cells that have a figure (any nature)."""
    return float((coverage["nature"] != MANQUANT).mean()) if len(coverage) else 0.0


def coverage_matrix(figures: pd.DataFrame, regions: pd.DataFrame, years=range(2010, 2017),
                    indicators=("lls_finances", "lls_finances_plai", "lls_finances_plus", "lls_finances_pls",
                                "objectif_lls", "rehab_eco_pls", "parc_locatif_social", "loyer_moyen_m2")
                    ) -> pd.DataFrame:
    """Region × year × indicator → the nature of the retained figure, or "manquant".

    Multi-year periods (e.g. éco-prêts 2012-2013) count for each year they cover; stocks dated
    1 January count for that year.
    """
    df = mark_retained(figures)
    df = df[(df["niveau"] == "region2015") & df["retenu"] & df["indicateur"].isin(indicators)].copy()
    spans = df["periode"].str.extract(r"^(\d{4})-(\d{4})$")
    y0 = pd.to_numeric(spans[0]).fillna(df["annee"].astype("float"))
    y1 = pd.to_numeric(spans[1]).fillna(df["annee"].astype("float"))
    df = df[y0.notna()]
    df["annee"] = [list(range(int(a), int(b) + 1)) for a, b in zip(y0[y0.notna()], y1[y0.notna()])]
    covered = (df.explode("annee")[["territoire_code", "indicateur", "annee", "nature"]]
               .astype({"annee": int})
               .drop_duplicates(["territoire_code", "indicateur", "annee"], keep="first"))
    grid = pd.MultiIndex.from_product(
        [list(regions["code"]), list(indicators), list(years)], names=["code", "indicateur", "annee"]
    ).to_frame(index=False)
    out = grid.merge(covered.rename(columns={"territoire_code": "code"}), how="left",
                     on=["code", "indicateur", "annee"])
    out["nature"] = out["nature"].fillna(MANQUANT)
    out.insert(1, "region", out["code"].map(dict(zip(regions["code"], regions["nom"]))))
    return out
