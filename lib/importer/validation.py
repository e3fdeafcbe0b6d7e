"""Validation (pandera, messages in French) and building the dataset."""


from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePath

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lib.errors import DataError
from lib.importer.cells import _memo_map, _objects, parse_bools, parse_numbers, parse_years
from lib.importer.dataset import ImportedDataset
from lib.importer.fields import FIGURE_INDICATORS, Field, fields_of
from lib.importer.frames import _check_output, _figures_frame, _objectives_frame, _organismes_frame
from lib.importer.limits import KIND_LEVELS, LEVEL_LABELS, MAX_MESSAGES, MAX_MESSAGES_PER_PROBLEM, YEAR_MAX, YEAR_MIN
from lib.importer.mapping import propose_mapping
from lib.importer.problems import ImportRejected, Problem, _where
from lib.importer.reading import RawTable, read_table
from lib.importer.territories import (
    Reference,
    _safe_reference,
    _same_name,
    commune_departement,
    detect_level,
    normalize_code,
)
from lib.importer.text import _blank, _message_text, normalize_label

_TOTAL_WORDS = ("total", "ensemble", "france", "sous total", "tous", "somme")


def build_dataset(raw: RawTable, kind: str, mapping: Mapping[str, str | None], level: str | None = None,
                  name: str | None = None, fixed_year: int | None = None,
                  now: datetime | None = None) -> ImportedDataset:
    """Validate the mapped columns of ``raw`` and build the dataset; raise ``ImportRejected``
    (a ``DataError``) listing every problem otherwise."""
    fields = fields_of(kind)
    filename = raw.filename
    name = _clean_name(name or PurePath(filename).stem)
    level = level or detect_level(raw, kind, mapping)
    if level not in KIND_LEVELS[kind]:
        raise ImportRejected(filename, [Problem(
            f"{_where(filename)} : le niveau « {LEVEL_LABELS.get(level, level)} » n'est pas accepté pour ce type "
            f"de fichier (niveaux possibles : {', '.join(LEVEL_LABELS[lv] for lv in KIND_LEVELS[kind])}).",
            "niveau")])
    warnings: list[str] = []
    mapping = _checked_mapping(raw, kind, fields, mapping, fixed_year)
    df, mapping = _mapped_rows(raw, mapping, fixed_year, warnings)
    ftypes = {f.key: f for f in fields}
    ref = _safe_reference()
    if ref is None:
        raise DataError("Les territoires de référence (data/territoires.csv) sont illisibles : l'import est "
                        "impossible tant qu'ils ne sont pas reconstruits (« make data »).")
    typed = _typed_rows(raw, kind, df, mapping, ftypes, level, ref, warnings)

    if "territoire_nom" in typed.columns:
        warnings += _name_warnings(typed, filename, mapping, level, ref)
    loaded_at = now or datetime.now()
    frame = _output_frame(kind, typed, mapping, level, ref, name, filename, warnings)
    return ImportedDataset(kind, name, loaded_at, frame.reset_index(drop=True), filename, level,
                           tuple(warnings[:MAX_MESSAGES]))


def _checked_mapping(raw: RawTable, kind: str, fields, mapping: Mapping[str, str | None],
                     fixed_year: int | None) -> dict[str, str]:
    """The user's mapping, kept to columns that exist and fields of ``kind``; every wrong,
    doubled or missing choice is a problem, and any problem rejects the file."""
    filename = raw.filename
    problems: list[Problem] = list(raw.problems)
    mapping = {k: v for k, v in mapping.items() if v is not None}
    for key, col in mapping.items():
        if col not in raw.frame.columns:
            problems.append(Problem(f"{_where(filename)} : la colonne « {col} » choisie pour « {key} » n'existe pas "
                                    "dans le fichier. Choisissez une autre colonne.", "colonne_inconnue", column=col))
    mapping = {k: v for k, v in mapping.items() if v in raw.frame.columns and k in {f.key for f in fields}}
    cols = list(mapping.values())
    dupes = {c for c in cols if cols.count(c) > 1}
    for c in sorted(dupes):
        problems.append(Problem(f"{_where(filename, column=c)} : la même colonne est choisie pour plusieurs "
                                "champs. Choisissez une colonne différente pour chacun.", "colonne_double", column=c))
    problems += _missing_fields(filename, kind, fields, mapping, fixed_year)
    if problems:
        raise ImportRejected(filename, problems)
    return mapping


def _mapped_rows(raw: RawTable, mapping: dict[str, str], fixed_year: int | None,
                 warnings: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The mapped columns under the fields' names, total rows dropped (said in ``warnings``),
    the chosen year added when the file has none."""
    filename = raw.filename
    df = raw.frame[list(mapping.values())].copy()
    df.columns = list(mapping.keys())
    df, skipped = _drop_total_rows(df, mapping, raw.frame)
    if skipped:
        warnings.append(f"Lignes de total ignorées : {', '.join(str(x) for x in skipped[:10])}"
                        + (" …" if len(skipped) > 10 else "") + ".")
    if df.empty:
        raise ImportRejected(filename, [Problem(f"{_where(filename)} : aucune ligne de données (seulement des "
                                                "totaux ou des lignes vides).", "vide")])
    if fixed_year is not None and "annee" not in df.columns:
        df["annee"] = fixed_year
        mapping = {**mapping, "annee": "(année choisie)"}
    return df, mapping


def _typed_rows(raw: RawTable, kind: str, df: pd.DataFrame, mapping: dict[str, str], ftypes, level: str, ref,
                warnings: list[str]) -> pd.DataFrame:
    """The rows as typed values, once every cell is readable (stage 1) and every value makes
    sense (stage 2); otherwise ``ImportRejected`` with every problem of both stages."""
    filename = raw.filename
    problems: list[Problem] = []
    code_level = {k: _field_level(k, level) for k in mapping if ftypes.get(k) and ftypes[k].type == "code"}

    # stage 1: every cell readable (pandera on the raw cells)
    parsed = _parse_columns(df, ftypes, raw.default_decimal, code_level)
    schema_cells = pa.DataFrameSchema(
        {k: pa.Column(None, _cell_checks(ftypes[k], parsed[k], df[k]),
                      nullable=not _cell_required(kind, ftypes[k]), required=True)
         for k in df.columns if k in ftypes},
        name="cellules",
    )
    problems += _pandera_problems(schema_cells, df, filename, mapping, ftypes, level, ref)

    # stage 2: values make sense (pandera on the typed frame)
    typed = pd.DataFrame(parsed, index=df.index)
    schema_values = _value_schema(kind, ftypes, typed, level, ref, code_level)
    problems += _duplicates(kind, typed, filename, mapping)
    problems += _pandera_problems(schema_values, typed, filename, mapping, ftypes, level, ref, raw_cells=df)
    if kind == "organismes":
        problems += _organisme_location_problems(typed, filename, mapping, ref)
    if level == "commune":
        more_problems, more_warnings = _commune_problems(typed, filename, mapping, ref)
        problems += more_problems
        warnings += more_warnings
    if problems:
        raise ImportRejected(filename, _cap(problems), warnings)
    return typed


def _output_frame(kind: str, typed: pd.DataFrame, mapping: dict[str, str], level: str, ref, name: str,
                  filename: str, warnings: list[str]) -> pd.DataFrame:
    """The frame of ``kind`` the dashboard uses; a file with no value to import is rejected."""
    if kind == "figures":
        frame, more = _figures_frame(typed, level, ref, name, filename)
    elif kind == "objectifs":
        frame, more = _objectives_frame(typed, level, ref, filename)
    else:
        frame, more = _organismes_frame(typed, mapping, ref)
    warnings += more
    if kind == "figures":
        frame = _check_output(frame, filename)
    if frame.empty:
        raise ImportRejected(filename, [Problem(
            f"{_where(filename)} : aucune valeur à importer (toutes les cellules des indicateurs sont vides).",
            "vide")], warnings)
    return frame


def import_file(content: bytes, filename: str, kind: str, name: str | None = None,
                mapping: Mapping[str, str | None] | None = None, level: str | None = None,
                header_line: int | None = None, sheet: str | None = None, fixed_year: int | None = None,
                now: datetime | None = None) -> ImportedDataset:
    """Read, map (proposed mapping unless given), validate and build in one call."""
    fields_of(kind)
    raw = read_table(content, filename, kind, header_line=header_line, sheet=sheet)
    mapping = dict(mapping) if mapping is not None else propose_mapping(raw, kind)
    return build_dataset(raw, kind, mapping, level=level, name=name, fixed_year=fixed_year, now=now)


def _clean_name(name: str) -> str:
    # 80 is the store's NAME_MAX (lib/store), not imported so that reading a file never loads the
    # database driver; tests/store/test_datasets.py fails if the two differ
    text = "".join(c for c in str(name) if c.isprintable()).strip()
    return (text or "import")[:80]


def _field_level(key: str, level: str) -> str:
    if key == "dep_code":
        return "departement"
    if key == "reg_code":
        return level if level in ("region2015", "region2016") else "region2015"
    return level


def _missing_fields(filename, kind, fields, mapping, fixed_year) -> list[Problem]:
    out = []
    for f in fields:
        if f.required and f.key not in mapping and not (f.key == "annee" and fixed_year is not None):
            examples = ", ".join(f"« {s} »" for s in (f.label, *f.synonyms[:3]))
            extra = (" ou indiquez l'année de tout le fichier dans l'étape de correspondance"
                     if f.key == "annee" else "")
            out.append(Problem(f"{_where(filename)} : colonne obligatoire manquante : « {f.label} ». Ajoutez une "
                               f"colonne nommée par exemple {examples}, ou choisissez-la dans l'étape de "
                               f"correspondance{extra}. Le modèle téléchargeable montre la forme attendue.",
                               "colonne_manquante", column=f.label))
    if kind == "figures" and not any(k in mapping for k in FIGURE_INDICATORS):
        labels = ", ".join(f"« {f.label} »" for f in fields if f.key in FIGURE_INDICATORS)
        out.append(Problem(f"{_where(filename)} : aucune colonne de chiffres reconnue. Il faut au moins une de : "
                           f"{labels} (choisissez-la dans l'étape de correspondance).", "colonne_manquante"))
    if kind == "organismes" and "reg_code" not in mapping and "dep_code" not in mapping:
        out.append(Problem(f"{_where(filename)} : il faut une colonne « Code région » ou « Code département » "
                           "pour situer chaque organisme.", "colonne_manquante", column="Code région"))
    return out


def _drop_total_rows(df: pd.DataFrame, mapping, full: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Rows such as « Total région » or « France entière » under the data: skipped, and said so."""
    code = next((k for k in ("territoire_code", "organisme_id") if k in df.columns), None)
    if code is None:
        return df, []
    skipped = []
    cells = _objects(df[code])
    for idx, cell in zip(df.index, cells, strict=True):
        if not (_blank(cell) or (isinstance(cell, str) and cell.lstrip()[:1].lower() in "tefs"
                                 and normalize_label(cell).startswith(_TOTAL_WORDS))):
            continue
        texts = [normalize_label(v) for v in full.loc[idx].tolist() if isinstance(v, str)]
        if any(t.startswith(_TOTAL_WORDS) for t in texts if t):
            skipped.append(idx)
    return df.drop(index=skipped), skipped


def _cell_required(kind: str, f: Field) -> bool:
    if f.required:
        return True
    if kind == "organismes" and f.type in ("count", "amount"):
        return True
    return False


def _parse_columns(df, ftypes, default_decimal, code_level) -> dict[str, pd.Series]:
    out = {}
    for k in df.columns:
        f = ftypes[k]
        s = df[k]
        if f.type in ("count", "amount"):
            out[k] = parse_numbers(s, default_decimal)
        elif f.type == "year":
            out[k] = parse_years(s).astype("Float64")
        elif f.type == "bool":
            out[k] = parse_bools(s)
        elif f.type == "code":
            lv = code_level[k]
            out[k] = pd.Series(_memo_map(s, lambda v, lv=lv: normalize_code(v, lv)), index=s.index, dtype=object)
        else:
            out[k] = pd.Series(_memo_map(s, lambda v: None if _blank(v) else _message_text(v, 200)), index=s.index,
                               dtype=object)
    return out


def _cell_checks(f: Field, parsed: pd.Series, raw: pd.Series) -> list[pa.Check]:
    """Checks on raw cells; pandera drops blank (null) cells before calling them."""
    if f.type in ("count", "amount"):
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="nombre")]
    if f.type == "year":
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="annee_format")]
    if f.type == "bool":
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="booleen")]
    if f.type == "code":
        return [pa.Check(lambda s, p=parsed: p.reindex(s.index).notna(), name="code_format")]
    return []


def _value_schema(kind, ftypes, typed, level, ref: Reference, code_level) -> pa.DataFrameSchema:
    cols = {}
    for k in typed.columns:
        f = ftypes[k]
        checks = []
        if f.type in ("count", "amount"):
            checks.append(pa.Check(lambda s: s >= 0, name="positif"))
            if f.type == "count":
                checks.append(pa.Check(lambda s: (s < 0) | (s == np.floor(s)), name="entier"))
        elif f.type == "year":
            checks.append(pa.Check(lambda s: (s >= YEAR_MIN) & (s <= YEAR_MAX), name="annee_plage"))
        elif f.type == "code" and code_level[k] != "commune":  # communes: see _commune_problems
            known = _known_codes(code_level[k], ref)
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name="code_connu"))
            if code_level[k] == "region2016":
                mergeable = set(ref.reg2016_nom) - set(ref.merged_reg2016)
                checks.append(pa.Check(lambda s, m=mergeable, known=known: ~s.isin(known) | s.isin(m),
                                       name="region_fusionnee"))
        cols[k] = pa.Column(None, checks, nullable=True, required=True)
    return pa.DataFrameSchema(cols, name="valeurs")


def _duplicates(kind: str, typed: pd.DataFrame, filename: str, mapping) -> list[Problem]:
    """Rows that repeat the same key (territory and year, or body): one message per key,
    computed on the whole frame at once (200 000 duplicated rows take no longer than 2)."""
    keys = _unique_keys(kind, typed)
    if not keys:
        return []
    dup = typed[keys].notna().all(axis=1) & typed.duplicated(keys, keep=False)
    if not dup.any():
        return []
    return _duplicate_problems(typed, typed.index[dup.to_numpy()], filename, mapping)


def _unique_keys(kind: str, typed: pd.DataFrame) -> list[str]:
    if kind == "organismes":
        return ["organisme_id"]
    return [k for k in ("territoire_code", "annee") if k in typed.columns]


def _known_codes(level: str, ref: Reference) -> set[str]:
    if level == "region2015":
        return set(ref.reg2015_nom)
    if level == "region2016":
        return set(ref.reg2016_nom)
    if level == "departement":
        return set(ref.dep_nom)
    return set()


def _pandera_problems(schema, frame, filename, mapping, ftypes, level, ref, raw_cells=None) -> list[Problem]:
    extra: list[Problem] = []
    try:
        schema.validate(frame, lazy=True)
        return extra
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True collects instead
        cases = exc.failure_cases if exc.failure_cases is not None else pd.DataFrame()
    problems = list(extra)
    if cases is None or len(cases) == 0:
        return problems
    cases = cases.copy()
    cases["_line"] = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.sort_values(["check", "column", "_line"], na_position="first", kind="stable")
    for (check, column), group in cases.groupby(["check", "column"], sort=False, dropna=False):
        check = str(check)
        f = ftypes.get(str(column))
        col_label = mapping.get(str(column), str(column))
        lines = [int(x) for x in group["_line"].dropna().tolist()]
        shown = lines[:MAX_MESSAGES_PER_PROBLEM]
        for ln in shown:
            raw_value = raw_cells.at[ln, column] if raw_cells is not None and ln in raw_cells.index else \
                (frame.at[ln, column] if ln in frame.index else None)
            problems.append(Problem(_message(check, f, raw_value, filename, ln, col_label, level, ref),
                                    check, ln, col_label))
        if len(lines) > len(shown):
            rest = lines[len(shown):]
            problems.append(Problem(
                f"{_where(filename, column=col_label)} : le même problème se répète sur {len(rest)} autre"
                f"{'s' if len(rest) > 1 else ''} ligne{'s' if len(rest) > 1 else ''} "
                f"({', '.join(str(x) for x in rest[:10])}{' …' if len(rest) > 10 else ''}).", check, None, col_label))
    return problems


def _commune_problems(frame, filename, mapping, ref: Reference) -> tuple[list[Problem], list[str]]:
    """A commune whose département is unknown is an error; one unknown to the 2011 zoning
    file may be a newer commune (communes nouvelles): its département decides, with a warning."""
    col_label = mapping.get("territoire_code", "territoire_code")
    problems, unknown = [], []
    for ln, code in frame["territoire_code"].items():
        if code is None:
            continue
        dep = commune_departement(code)
        if dep not in ref.dep_nom:
            problems.append(Problem(
                f"{_where(filename, ln, col_label)} : code commune « {code} » inconnu : son département ({dep}) "
                "n'existe pas. Vérifiez le code INSEE de la commune (5 caractères, par exemple 75056 ou 2A004).",
                "code_connu", ln, col_label))
        elif ref.commune_dep and code not in ref.commune_dep:
            unknown.append(f"{code} (ligne {ln})")
    warnings = []
    if unknown:
        warnings.append(f"Communes absentes du zonage de référence, comptées dans leur département : "
                        f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}.")
    return problems[:MAX_MESSAGES_PER_PROBLEM], warnings


def _duplicate_problems(frame, lines, filename, mapping) -> list[Problem]:
    keys = [k for k in ("organisme_id", "territoire_code", "annee") if k in frame.columns]
    if "organisme_id" in keys:
        keys = ["organisme_id"]
    sub = frame.loc[lines, keys]
    out = []
    labels = " et ".join(f"« {mapping.get(k, k)} »" for k in keys)
    for key_values, group in sub.groupby(keys, sort=False, dropna=True):
        key_values = key_values if isinstance(key_values, tuple) else (key_values,)
        shown = ", ".join(_message_text(v) for v in key_values)
        where = sorted(int(x) for x in group.index)
        out.append(Problem(
            f"{_where(filename)}, lignes {', '.join(str(x) for x in where[:10])} : doublon, la même valeur de "
            f"{labels} ({shown}) apparaît {len(where)} fois. Gardez une seule ligne (ou additionnez-les).",
            "doublon", where[0], mapping.get(keys[0], keys[0])))
        if len(out) >= MAX_MESSAGES_PER_PROBLEM * 2:
            break
    return out


def _message(check, f: Field | None, value, filename, line, column, level, ref: Reference) -> str:
    where = _where(filename, line, column)
    shown = _message_text(value)
    label = f.label if f else column
    if check == "not_nullable":
        if f is not None and f.type in ("count", "amount"):
            return f"{where} : cellule vide. « {label} » est obligatoire : écrivez 0 si la valeur est nulle."
        return f"{where} : cellule vide. « {label} » est obligatoire : remplissez-la."
    if check == "nombre":
        text = str(value).strip() if isinstance(value, str) else ""
        if text.startswith("="):
            return (f"{where} : « {shown} » est une formule, qui n'est pas calculée à l'import. Remplacez-la par "
                    "sa valeur (copier, puis collage spécial « valeurs »).")
        if text.startswith("#"):
            return (f"{where} : « {shown} » est une erreur de formule Excel. Corrigez la formule dans le classeur "
                    "ou remplacez la cellule par un nombre.")
        return (f"{where} : « {shown} » n'est pas un nombre. Écrivez seulement des chiffres ; les espaces entre "
                "milliers et la virgule décimale sont acceptés (1 234,5), pas le texte.")
    if check == "annee_format":
        return f"{where} : « {shown} » n'est pas une année. Écrivez l'année sur 4 chiffres, par exemple 2014."
    if check == "annee_plage":
        return (f"{where} : année {shown} hors de la période acceptée ({YEAR_MIN}–{YEAR_MAX}). Vérifiez la "
                "colonne choisie pour l'année et la valeur de la cellule.")
    if check == "positif":
        return (f"{where} : valeur négative ({shown}). Un nombre de logements ou un montant ne peut pas être "
                "négatif : corrigez le signe ou laissez la cellule vide si la valeur est inconnue.")
    if check == "entier":
        return (f"{where} : {shown} n'est pas un nombre entier de logements. Vérifiez la virgule décimale "
                "(« 1,234 » se lit un virgule deux cent trente-quatre) ou arrondissez.")
    if check == "booleen":
        return f"{where} : « {shown} » n'est pas compris. Écrivez oui ou non (ou 1 / 0, x pour oui, vide pour non)."
    if check == "code_format":
        return (f"{where} : « {shown} » n'est pas un code de {_level_noun(level, f)}. "
                f"{_code_hint(level, f)}")
    if check == "code_connu":
        return f"{where} : code « {shown} » inconnu pour le niveau {_level_noun(level, f)}. {_code_hint(level, f)}"
    if check == "region_fusionnee":
        code = normalize_code(value, "region2016") or shown
        nom = ref.reg2016_nom.get(code, "")
        olds = ", ".join(f"{c} {ref.reg2015_nom.get(c, '')}" for c in ref.reg2016_to_2015.get(code, ()))
        return (f"{where} : le code {code} désigne la région {nom} créée en 2016 par fusion ({olds}). Ses chiffres ne "
                "peuvent pas être répartis entre les anciennes régions du pacte : importez plutôt un fichier par "
                "département (colonne « Code département »), que le tableau de bord additionne par région d'avant 2016.")
    return f"{where} : valeur « {shown} » refusée ({check})."


def _level_noun(level: str, f: Field | None) -> str:
    if f is not None and f.key == "dep_code":
        level = "departement"
    return {"region2015": "région (avant 2016)", "region2016": "région (2016)", "departement": "département",
            "commune": "commune"}.get(level, level)


def _code_hint(level: str, f: Field | None) -> str:
    if f is not None and f.key == "dep_code":
        level = "departement"
    return {
        "region2015": "Codes attendus : 11 (Île-de-France), 21 à 94, 01 à 04 et 06 pour l'outre-mer. Si le fichier "
                      "donne des départements ou les régions de 2016, changez le niveau dans l'étape de correspondance.",
        "region2016": "Codes attendus : régions de 2016 (11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94, 01 à 06).",
        "departement": "Codes attendus : 01 à 95, 2A, 2B, 971 à 976. Si le fichier donne des régions ou des communes, "
                       "changez le niveau dans l'étape de correspondance.",
        "commune": "Code INSEE de commune attendu (5 caractères, par exemple 75056 ou 2A004).",
    }.get(level, "")


def _organisme_location_problems(typed, filename, mapping, ref: Reference) -> list[Problem]:
    if "reg_code" not in typed.columns or "dep_code" not in typed.columns:
        return []
    out = []
    for ln, (r, d) in typed[["reg_code", "dep_code"]].iterrows():
        if r is None or d is None or d not in ref.dep_reg2015:
            continue
        if ref.dep_reg2015[d] != r and r in ref.reg2015_nom:
            out.append(Problem(
                f"{_where(filename, ln, mapping['reg_code'])} : le département {d} ({ref.dep_nom[d]}) n'est pas dans "
                f"la région {r} ({ref.reg2015_nom.get(r, '?')}) mais dans la région {ref.dep_reg2015[d]}. Corrigez "
                "l'un des deux codes (ou ne donnez que le département).", "incoherence", ln, mapping["reg_code"]))
    return out[:MAX_MESSAGES_PER_PROBLEM]


def _name_warnings(typed, filename, mapping, level, ref: Reference) -> list[str]:
    tables = {"region2015": ref.reg2015_nom, "region2016": ref.reg2016_nom, "departement": ref.dep_nom}
    names = tables.get(level)
    if names is None:
        return []
    out = []
    for ln, (code, nom) in typed[["territoire_code", "territoire_nom"]].iterrows():
        if code is None or nom is None or code not in names:
            continue
        if not _same_name(names[code], nom):
            out.append(f"{_where(filename, ln, mapping.get('territoire_nom'))} : le code {code} est « {names[code]} », "
                       f"le fichier dit « {_message_text(nom)} ». Le code fait foi ; vérifiez le niveau choisi.")
    return out[:MAX_MESSAGES_PER_PROBLEM]


def _cap(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_MESSAGES:
        return problems
    rest = len(problems) - MAX_MESSAGES
    return [*problems[:MAX_MESSAGES], Problem(f"… et {rest} autres problèmes.", "autres")]
