"""The frames a dataset hands to the dashboard (figures, objectives, bodies)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lib.data import PROVENANCE_COLUMNS
from lib.errors import DataError
from lib.importer.fields import (
    FIELDS,
    FIGURE_INDICATORS,
    FIGURES_COLUMNS,
    OBJECTIFS_COLUMNS,
    ORGANISMES_COLUMNS,
    fields_of,
)
from lib.importer.limits import MAX_MESSAGES_PER_PROBLEM, YEAR_MAX, YEAR_MIN
from lib.importer.problems import ImportRejected, Problem, _where
from lib.importer.territories import Reference, _safe_reference, commune_departement
from lib.importer.text import _blank, _message_text
from lib.natures import IMPORTE

if TYPE_CHECKING:  # the dataset's own methods call this module: no import at run time
    from lib.importer.dataset import ImportedDataset


def _empty_figures() -> pd.DataFrame:
    return _typed_figures(pd.DataFrame({c: [] for c in FIGURES_COLUMNS}))


def _typed_figures(df: pd.DataFrame) -> pd.DataFrame:
    # an imported figure's provenance is the file itself: no publisher, no publication date
    out = df.reindex(columns=list(FIGURES_COLUMNS)).copy()
    for c in PROVENANCE_COLUMNS:
        out[c] = out[c].astype(object).fillna("")
    for c in ("niveau", "territoire_code", "territoire_nom", "periode", "indicateur", "unite", "perimetre",
              "nature", "source", "note", "fichier_origine", *PROVENANCE_COLUMNS):
        out[c] = out[c].astype(object).where(out[c].notna(), None).astype(str)
    out["annee"] = pd.array(out["annee"].tolist(), dtype="Int64")
    out["valeur"] = out["valeur"].astype(float)
    return out


def source_label(name: str) -> str:
    return f"Fichier importé : {name}"


def _figures_frame(typed, level, ref: Reference, name, filename) -> tuple[pd.DataFrame, list[str]]:
    warnings = []
    ind_keys = [k for k in FIGURE_INDICATORS if k in typed.columns]
    base = typed[["territoire_code", "annee", *ind_keys]].copy()
    base["annee"] = base["annee"].astype(int)
    long = base.melt(id_vars=["territoire_code", "annee"], value_vars=ind_keys, var_name="champ", value_name="valeur")
    long = long.dropna(subset=["valeur"])
    if level == "region2016":
        long["territoire_code"] = long["territoire_code"].map(lambda c: ref.reg2016_to_2015[c][0])
        level = "region2015"
    if level == "commune":
        long["territoire_code"] = long["territoire_code"].map(commune_departement)
        n_communes = len(typed)
        long = long.groupby(["territoire_code", "annee", "champ"], as_index=False)["valeur"].sum()
        warnings.append(f"{n_communes} lignes de communes additionnées par département puis par région d'avant 2016 "
                        "(une commune absente du fichier compte pour 0).")
        level = "departement_complet"
    rows = []
    note_dep = "somme des communes du fichier" if level == "departement_complet" else ""
    for rec in long.itertuples(index=False):
        if level in ("departement", "departement_complet"):
            rows.append(("departement", rec.territoire_code, ref.dep_nom.get(rec.territoire_code, ""), rec.annee,
                         rec.champ, rec.valeur, note_dep))
        else:
            rows.append(("region2015", rec.territoire_code, ref.reg2015_nom.get(rec.territoire_code, ""), rec.annee,
                         rec.champ, rec.valeur, ""))
    if level in ("departement", "departement_complet"):
        dep = long.assign(reg=long["territoire_code"].map(ref.dep_reg2015))
        incomplete = []
        for (reg, year, champ), g in dep.groupby(["reg", "annee", "champ"]):
            expected = ref.deps_of_reg2015.get(reg, frozenset())
            present = set(g["territoire_code"])
            if level == "departement_complet" or present >= expected:
                note = (f"somme des {len(present)} départements du fichier" if level == "departement"
                        else "somme des communes du fichier")
                rows.append(("region2015", reg, ref.reg2015_nom.get(reg, ""), year, champ, float(g["valeur"].sum()),
                             note))
            else:
                incomplete.append(f"{reg} {ref.reg2015_nom.get(reg, '')} {year} ({len(present)} départements sur "
                                  f"{len(expected)})")
        if incomplete:
            shown = sorted(set(incomplete))
            warnings.append("Pas de total régional là où des départements manquent (les chiffres départementaux sont "
                            "gardés) : " + "; ".join(shown[:8]) + (" …" if len(shown) > 8 else "") + ".")
    df = pd.DataFrame(rows, columns=["niveau", "territoire_code", "territoire_nom", "annee", "champ", "valeur", "note"])
    df["indicateur"] = df["champ"].map(lambda k: FIGURE_INDICATORS[k][0])
    df["unite"] = df["champ"].map(lambda k: FIGURE_INDICATORS[k][1])
    df["periode"] = df["annee"].astype(str)
    df["perimetre"] = "fichier importé"
    df["nature"] = IMPORTE
    df["source"] = source_label(name)
    df["fichier_origine"] = filename
    return _typed_figures(df), warnings


def _objectives_frame(typed, level, ref: Reference, filename) -> tuple[pd.DataFrame, list[str]]:
    df = typed[["territoire_code", "annee", "objectif_lls"]].copy()
    df["objectif_rehab"] = typed["objectif_rehab"] if "objectif_rehab" in typed.columns else np.nan
    df["annee"] = df["annee"].astype(int)
    warnings = []
    if level == "region2016":
        df["territoire_code"] = df["territoire_code"].map(lambda c: ref.reg2016_to_2015[c][0])
    elif level == "departement":
        df["reg"] = df["territoire_code"].map(ref.dep_reg2015)
        parts = []
        for (reg, year), g in df.groupby(["reg", "annee"]):
            expected = ref.deps_of_reg2015.get(reg, frozenset())
            if set(g["territoire_code"]) >= expected:
                parts.append({"territoire_code": reg, "annee": year, "objectif_lls": g["objectif_lls"].sum(),
                              "objectif_rehab": g["objectif_rehab"].sum(min_count=len(g))})
            else:
                warnings.append(f"Région {reg} ({ref.reg2015_nom.get(reg, '')}) {year} : "
                                f"{len(set(g['territoire_code']))} départements sur {len(expected)}, pas d'objectif "
                                "régional calculé.")
        df = pd.DataFrame(parts, columns=["territoire_code", "annee", "objectif_lls", "objectif_rehab"])
    out = pd.DataFrame({
        "reg2015_code": df["territoire_code"].astype(str),
        "annee": pd.array(df["annee"].tolist(), dtype="Int64"),
        "objectif_lls": df["objectif_lls"].astype(float),
        "objectif_rehab": df["objectif_rehab"].astype(float),
    })
    return out.sort_values(["reg2015_code", "annee"]).reset_index(drop=True), warnings[:MAX_MESSAGES_PER_PROBLEM]


def _check_output(frame: pd.DataFrame, filename: str) -> pd.DataFrame:
    """The figures built must pass the shipped figures' own schema (same columns, same rules)."""
    from lib.data import FIGURES_SCHEMA

    try:
        return FIGURES_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:  # pragma: no cover - would be a bug here, said in French
        raise DataError(f"{_where(filename)} : les chiffres construits ne respectent pas le format du tableau de "
                        f"bord ({exc.failure_cases.head(3).to_dict('records')}).") from exc


_OBJECTIFS_SCHEMA = pa.DataFrameSchema(
    {
        "reg2015_code": pa.Column(str, pa.Check.str_length(2, 2)),
        "annee": pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX)),
        "objectif_lls": pa.Column(float, pa.Check.ge(0)),
        "objectif_rehab": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    strict=True, coerce=True, unique=["reg2015_code", "annee"],
)
_ORGANISMES_SCHEMA = pa.DataFrameSchema(
    {
        "organisme_id": pa.Column(str, unique=True),
        "organisme_nom": pa.Column(str),
        "reg2015_code": pa.Column(str, pa.Check.str_length(2, 2)),
        "dep_code": pa.Column(str, nullable=True),
        **{c: pa.Column(float, pa.Check.ge(0)) for c in (
            "loyers_eur", "patrimoine_logements", "cotisation_cglls_eur", "lls_zone_1_1bis", "lls_zone_2_3",
            "prets_rehab_eur", "logements_restructures")},
        "exonere": pa.Column(bool),
    },
    strict=True, coerce=True,
)


def validate_frame(kind: str, frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Check a frame already built by this module (e.g. reloaded from the database) against its
    kind's schema; return it typed, or raise ``DataError`` naming ``label``."""
    fields_of(kind)
    columns = {"figures": FIGURES_COLUMNS, "objectifs": OBJECTIFS_COLUMNS, "organismes": ORGANISMES_COLUMNS}[kind]
    if list(frame.columns) != list(columns):
        raise DataError(f"Données « {label} » : colonnes inattendues ({', '.join(map(str, frame.columns))}). "
                        "Importez à nouveau le fichier d'origine.")
    try:
        if kind == "figures":
            from lib.data import FIGURES_SCHEMA

            out = FIGURES_SCHEMA.validate(_typed_figures(frame), lazy=True)
            if set(out["nature"]) - {IMPORTE}:
                raise DataError(f"Données « {label} » : seule la nature « importé » est admise.")
            return out
        if kind == "objectifs":
            df = frame.astype({"reg2015_code": str})
            return _OBJECTIFS_SCHEMA.validate(df.assign(annee=pd.array(df["annee"].tolist(), dtype="Int64")),
                                              lazy=True)
        df = frame.copy()
        df["dep_code"] = df["dep_code"].map(lambda v: None if _blank(v) else str(v)).astype(object)
        df["reg2015_code"] = df["reg2015_code"].astype(str)
        return _ORGANISMES_SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(3)
        detail = "; ".join(f"« {c} » : {_message_text(v)}" for c, v in zip(cases["column"], cases["failure_case"],
                                                                          strict=False))
        raise DataError(f"Données « {label} » non conformes ({detail}). Importez à nouveau le fichier.") from exc
    except (ValueError, TypeError) as exc:
        raise DataError(f"Données « {label} » illisibles. Importez à nouveau le fichier.") from exc


def objectives_for_targets(ds: ImportedDataset) -> pd.DataFrame:
    """Imported objectives in the columns lib/targets.py ``apply_imported`` reads
    (annee, code, objectif, source)."""
    f = ds.frame
    return pd.DataFrame({"annee": f["annee"].astype(int), "code": f["reg2015_code"].astype(str),
                         "objectif": f["objectif_lls"].astype(float), "source": source_label(ds.name)})


def objectives_to_figures(frame: pd.DataFrame, name: str, filename: str = "") -> pd.DataFrame:
    """Imported objectives as ``objectif_lls`` rows of the figures table (region level)."""
    if frame.empty:
        return _empty_figures()
    ref = _safe_reference()
    names = ref.reg2015_nom if ref else {}
    df = pd.DataFrame({
        "niveau": "region2015",
        "territoire_code": frame["reg2015_code"].astype(str),
        "territoire_nom": frame["reg2015_code"].astype(str).map(lambda c: names.get(c, "")),
        "periode": frame["annee"].astype(str),
        "annee": frame["annee"],
        "indicateur": "objectif_lls",
        "valeur": frame["objectif_lls"].astype(float),
        "unite": "logements",
        "perimetre": "fichier importé",
        "nature": IMPORTE,
        "source": source_label(name),
        "note": "",
        "fichier_origine": filename,
    })
    return _typed_figures(df)


def _organismes_frame(typed, mapping, ref: Reference) -> tuple[pd.DataFrame, list[str]]:
    warnings = []
    n = len(typed)
    dep = typed["dep_code"] if "dep_code" in typed.columns else pd.Series([None] * n, index=typed.index, dtype=object)
    if "reg_code" in typed.columns:
        reg = typed["reg_code"].copy()
        reg = reg.map(lambda c: ref.reg2016_to_2015[c][0] if c in ref.reg2016_to_2015 and c not in ref.reg2015_nom
                      else c)
    else:
        reg = pd.Series([None] * n, index=typed.index, dtype=object)
    reg = reg.where(reg.notna(), dep.map(lambda d: ref.dep_reg2015.get(d) if d else None))
    out = pd.DataFrame({
        "organisme_id": typed["organisme_id"].astype(str),
        "organisme_nom": typed["organisme_nom"].astype(str),
        "reg2015_code": reg.astype(object),
        "dep_code": dep.astype(object),
    }, index=typed.index)
    missing_loc = out["reg2015_code"].isna()
    if missing_loc.any():
        lines = ", ".join(str(x) for x in out.index[missing_loc][:10])
        raise ImportRejected(mapping.get("organisme_id", ""), [Problem(
            f"Lignes {lines} : ni région ni département pour l'organisme. Remplissez le code région ou le code "
            "département.", "not_nullable")])
    for key in ("loyers_eur", "patrimoine_logements", "cotisation_cglls_eur", "lls_zone_1_1bis", "lls_zone_2_3",
                "prets_rehab_eur", "logements_restructures"):
        if key in typed.columns:
            out[key] = typed[key].astype(float)
        else:
            out[key] = 0.0
            label = next(f.label for f in FIELDS["organismes"] if f.key == key)
            warnings.append(f"Colonne « {label} » absente : 0 pour tous les organismes.")
    if "exonere" in typed.columns:
        out["exonere"] = typed["exonere"].astype(bool)
    else:
        out["exonere"] = False
        warnings.append("Colonne « Exonéré » absente : aucun organisme n'est marqué exonéré.")
    return out[list(ORGANISMES_COLUMNS)], warnings
