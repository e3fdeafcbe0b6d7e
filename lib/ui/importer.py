"""The « Importer vos données » section of the page « Données et sources ».

Steps on the page: choose what the file holds, download a template if needed, drop the file,
check how it was read (encoding, separator, header row), correct the proposed column mapping,
read the validation messages, then « Utiliser ces données ». Only a valid file can be put in
use, and only by that button (``apply_dataset``): a rejected file changes nothing. Everything
read from a file is shown through ``tables.dataframe`` (st.dataframe: text; in presentation mode
st.table, every cell escaped by ``lib.table_view``) or ``md_text`` (escaped markdown).

Session keys (besides ``lib.ui.KEY_IMPORTED``), all prefixed ``import_``.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from lib import datasets_store, fmt
from lib import importer as im
from lib.errors import DataError
from lib.ui import KEY_IMPORTED, feedback, imported, md_text, named_save, show_error, show_problem, tables

KEY_KIND = "import_kind"
KEY_RAW_CACHE = "import_raw_cache"
KEY_FLASH = "import_flash"
KEY_PENDING = "import_pending_replace_"  # + kind: (name, dataset) refused because the name exists
KEY_APPLIED = "import_applied_"  # + kind: signature of the file last put in use from the uploader
KEY_LOADED = "import_saved_loaded"  # confirmation of the last dataset loaded from the store

_KIND_SHORT = {"figures": "chiffres", "objectifs": "objectifs régionaux", "organismes": "organismes Hlm"}
_NONE = "— aucune colonne —"
_WARNING = "Attention : "  # a flash message that reports a failure (shown as a warning)


# ---------------------------------------------------------------------------------------------
# Session state: the only two functions that change the data in use


def apply_dataset(ds: im.ImportedDataset, signature: str | None = None) -> None:
    """Put a validated dataset in use for this session (replaces the same kind only);
    ``signature``: the uploaded file it comes from, to confirm it next to its button."""
    if not isinstance(ds, im.ImportedDataset):
        raise DataError("Seul un fichier validé peut être utilisé.")
    current = dict(imported())
    current[ds.kind] = ds
    st.session_state[KEY_IMPORTED] = current
    st.session_state[KEY_APPLIED + ds.kind] = signature
    st.session_state[KEY_FLASH] = (f"Données « {ds.name} » ({_KIND_SHORT[ds.kind]}) en service sur toutes les "
                                   f"pages : {_lines(ds.rows)}.")


def _lines(n: int) -> str:
    return fmt.fmt_count(n, "ligne")


def reset_datasets(kind: str | None = None) -> None:
    """Back to the shipped data (for one kind, or all)."""
    current = dict(imported())
    if kind is None:
        current.clear()
        for k in im.KINDS:
            st.session_state.pop(KEY_APPLIED + k, None)
    else:
        current.pop(kind, None)
        st.session_state.pop(KEY_APPLIED + kind, None)
    st.session_state[KEY_IMPORTED] = current
    st.session_state[KEY_FLASH] = "Retour aux données par défaut" + (f" ({_KIND_SHORT[kind]})." if kind else ".")


def _load_saved(kind: str, name: str) -> None:
    try:
        apply_dataset(datasets_store.load_dataset(kind, name))
    except DataError as err:
        st.session_state[KEY_FLASH] = _WARNING + str(err)
        return
    # confirmed under the button that was clicked (and in a toast), not at the top of the section
    feedback.remember(KEY_LOADED, st.session_state.pop(KEY_FLASH))


def _delete_saved(kind: str, name: str) -> None:
    try:
        datasets_store.delete_dataset(kind, name)
        st.session_state[KEY_FLASH] = f"Jeu de données « {name} » supprimé de la base."
    except DataError as err:
        st.session_state[KEY_FLASH] = _WARNING + str(err)


# ---------------------------------------------------------------------------------------------
# Rendering


def render_import_section() -> None:
    """The whole import section (called by pages/donnees.py)."""
    st.markdown(
        "Chargez vos propres extraits (SISAL, SPLS, RPLS, données des organismes) : le tableau de bord les "
        "vérifie puis les utilise **à la place** des chiffres livrés, sur toutes les pages, avec la nature "
        "« importé ». Un fichier refusé ne change rien aux données en service."
    )
    # fixed slots: a message or a table appearing above would shift, hence redraw, everything below
    flash_slot, in_use_slot = st.container(), st.container()
    flash = st.session_state.pop(KEY_FLASH, None)
    if flash:
        with flash_slot:
            if flash.startswith(_WARNING):
                show_problem(flash, warning=True)
            else:
                feedback.show(flash)
    with in_use_slot:
        _render_in_use()
    st.divider()
    kind = st.selectbox("Que contient votre fichier ?", im.KINDS, format_func=lambda k: im.KIND_LABELS[k],
                        key=KEY_KIND)
    _render_templates(kind)
    st.caption(md_text(im.LIMITS_TEXT))
    # Any type, up to Streamlit's transport ceiling (server.maxUploadSize): the importer refuses a
    # wrong type or a file over the stated limit itself, in French, instead of the widget's English.
    uploaded = st.file_uploader(
        "Fichier à importer (CSV ou Excel .xlsx)", type=None, key=f"import_file_{kind}",
        help="Le bouton « Parcourir » ouvre l'explorateur de fichiers ; vous pouvez aussi glisser le fichier "
             "dans le cadre.")
    if uploaded is not None:
        _render_file(kind, uploaded.name, uploaded.getvalue())
    elif st.session_state.pop(KEY_RAW_CACHE, None) is not None:
        im.release_memory()  # the file was removed: give its table back
    st.divider()
    _render_saved()


def _render_in_use() -> None:
    current = imported()
    if not current:
        st.info("Données en service : les données livrées avec le tableau de bord (aucun fichier importé).")
        return
    rows = [{"Type": _KIND_SHORT.get(ds.kind, ds.kind), "Nom": ds.name, "Fichier": ds.source_file,
             "Importé le": f"{ds.loaded_at:%d/%m/%Y %H:%M}", "Lignes": ds.rows} for ds in current.values()]
    st.markdown("**Données importées en service**")
    tables.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    cols = st.columns(len(current) + 1)
    for col, kind in zip(cols, list(current), strict=False):
        col.button(f"Revenir aux données par défaut ({_KIND_SHORT[kind]})", key=f"import_reset_{kind}",
                   on_click=reset_datasets, args=(kind,))
    if len(current) > 1:
        cols[-1].button("Revenir aux données par défaut (tout)", key="import_reset_all", on_click=reset_datasets)
    with st.expander("Enregistrer les données importées dans la base (pour les recharger plus tard)"):
        for kind, ds in current.items():
            named_save.name_form(_dataset_save(kind), f"import_save_{kind}",
                                 f"Nom sous lequel enregistrer ({_KIND_SHORT[kind]})", lambda ds=ds: ds, value=ds.name)


def _write_dataset(name: str, ds: im.ImportedDataset, overwrite: bool) -> str:
    info = datasets_store.save_dataset(ds, name, overwrite=overwrite)
    verb = "Remplacé" if overwrite else "Enregistré"
    return (f"{verb} dans la base : « {info.name} » ({_lines(info.n_rows)}), dans la liste "
            "« Jeux de données enregistrés » ci-dessous.")


def _dataset_save(kind: str) -> named_save.NamedSave:
    """Save under a new name only; a name taken (perhaps by another user) waits for « Remplacer »."""
    return named_save.NamedSave(
        pending_key=KEY_PENDING + kind,
        replace_key=f"import_replace_{kind}",
        cancel_key=f"import_replace_cancel_{kind}",
        write=_write_dataset,
        taken=lambda name: (f"Un jeu de données « {name} » ({_KIND_SHORT[kind]}) est déjà enregistré dans la base "
                            "partagée (peut-être par un autre utilisateur). Il n'a pas été modifié : choisissez un "
                            "autre nom, ou remplacez-le par les données en service."),
    )


def _render_templates(kind: str) -> None:
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.download_button("Modèle CSV", data=im.template_csv(kind), file_name=f"modele_{kind}.csv", mime="text/csv",
                       key=f"import_tpl_csv_{kind}")
    c2.download_button("Modèle Excel", data=im.template_xlsx(kind), file_name=f"modele_{kind}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"import_tpl_xlsx_{kind}")
    fields = ", ".join(f"{f.label}{' (obligatoire)' if f.required else ''}" for f in im.fields_of(kind))
    c3.caption(md_text(f"Colonnes reconnues : {fields}."))


def _signature(name: str, content: bytes) -> str:
    return hashlib.sha256(name.encode("utf-8", "replace") + b"\0" + content).hexdigest()[:16]


def _read_cached(kind: str, name: str, content: bytes, header_line: int | None, sheet: str | None) -> im.RawTable:
    key = (kind, _signature(name, content), header_line, sheet)
    cached = st.session_state.get(KEY_RAW_CACHE)
    if cached is not None and cached[0] == key:
        return cached[1]
    raw = im.read_table(content, name, kind, header_line=header_line, sheet=sheet)
    st.session_state[KEY_RAW_CACHE] = (key, raw)
    return raw


def _render_file(kind: str, name: str, content: bytes) -> None:
    """The three steps for an uploaded file: how it was read, its columns' mapping, its check.
    Every widget's key starts with the file's signature, so another file starts afresh."""
    sig = _signature(name, content)
    p = f"import_{kind}_{sig}_"
    try:
        raw = _read_cached(kind, name, content, st.session_state.get(p + "header"), st.session_state.get(p + "sheet"))
    except DataError as err:
        _show_rejected(err)
        del err
        im.release_memory()  # a large refused file leaves nothing behind
        return
    _render_reading(raw, p)
    mapping = _render_mapping(raw, kind, p)
    level, fixed_year, ds_name = _render_file_settings(raw, kind, mapping, name, p)
    _render_check(raw, kind, mapping, p, sig, level=level, name=ds_name, fixed_year=fixed_year)


def _render_reading(raw: im.RawTable, p: str) -> None:
    """Step 1: how the file was read (encoding, separator…), its sheet and header row, a preview."""
    st.markdown("**1. Lecture du fichier**")
    st.caption(md_text(" · ".join(raw.notes)))
    c1, c2 = st.columns(2)
    if len(raw.sheets) > 1:
        c1.selectbox("Feuille", raw.sheets, index=raw.sheets.index(raw.sheet) if raw.sheet in raw.sheets else 0,
                     key=p + "sheet")
    c2.number_input("Ligne des noms de colonnes", min_value=1, max_value=im.HEADER_SCAN_ROWS * 10,
                    value=raw.header_line, step=1, key=p + "header",
                    help="Le tableau de bord la cherche parmi les premières lignes ; corrigez-la si besoin.")
    with st.expander(f"Aperçu des {min(20, len(raw.frame))} premières lignes lues", expanded=False):
        tables.dataframe(_preview(raw.frame.head(20)), width="stretch")


def _render_mapping(raw: im.RawTable, kind: str, p: str) -> dict[str, str | None]:
    """Step 2: the column chosen for each field (proposed, corrected by the user)."""
    st.markdown("**2. Correspondance des colonnes** (proposée automatiquement, corrigez si besoin)")
    proposed = im.propose_mapping(raw, kind)
    options = [_NONE, *map(str, raw.frame.columns)]
    mapping: dict[str, str | None] = {}
    cols = st.columns(3)
    for i, f in enumerate(im.fields_of(kind)):
        default = proposed.get(f.key)
        choice = cols[i % 3].selectbox(
            f.label + (" (obligatoire)" if f.required else ""), options,
            index=options.index(default) if default in options else 0, key=p + "map_" + f.key,
            help=f.help or None)
        mapping[f.key] = None if choice == _NONE else choice
    return mapping


def _render_file_settings(raw: im.RawTable, kind: str, mapping: dict[str, str | None], name: str,
                          p: str) -> tuple[str, int | None, str]:
    """End of step 2: what the codes designate, the file's year when no column gives it, the
    dataset's name."""
    level_default = im.detect_level(raw, kind, mapping)
    levels = list(im.KIND_LEVELS[kind])
    c1, c2, c3 = st.columns(3)
    level = c1.selectbox("Les codes désignent", levels, index=levels.index(level_default),
                         format_func=lambda v: im.LEVEL_LABELS[v], key=p + "level",
                         help="Détecté d'après le nom de la colonne, les noms et les codes. Les régions issues des "
                              "fusions de 2016 (84, 27, 28, 32, 44, 75, 76) ne peuvent pas être réparties entre les "
                              "anciennes régions : utilisez un fichier par département.")
    fixed_year = None
    if kind != "organismes" and mapping.get("annee") is None:
        # no default: a file without a year column is refused until the user states its year
        chosen = c2.number_input("Année de tout le fichier (pas de colonne Année)", min_value=im.YEAR_MIN,
                                 max_value=im.YEAR_MAX, value=None, step=1, key=p + "year", placeholder="par exemple 2015",
                                 help="Le fichier n'a pas de colonne Année : indiquez l'année de toutes ses lignes, "
                                      "ou choisissez la colonne qui la porte ci-dessus.")
        fixed_year = int(chosen) if chosen is not None else None
    ds_name = c3.text_input("Nom du jeu de données", value=im.PurePath(name).stem[:datasets_store.NAME_MAX],
                            max_chars=datasets_store.NAME_MAX,
                            key=p + "name")
    return level, fixed_year, ds_name


def _render_check(raw: im.RawTable, kind: str, mapping: dict[str, str | None], p: str, sig: str, *,
                  level: str, name: str, fixed_year: int | None) -> None:
    """Step 3: the file validated (or its problems, line by line), its rows, « Utiliser ces données »."""
    st.markdown("**3. Vérification**")
    try:
        ds = im.build_dataset(raw, kind, mapping, level=level, name=name, fixed_year=fixed_year)
    except DataError as err:
        _show_rejected(err)
        return
    st.success(md_text(f"Fichier valide : {_lines(ds.rows)} prête{'s' if ds.rows > 1 else ''} "
                       f"({im.LEVEL_LABELS.get(ds.level, ds.level)})."))
    for w in ds.warnings:
        show_problem(w, warning=True)
    tables.dataframe(_preview(ds.frame.head(200)), hide_index=True, width="stretch")
    st.button("Utiliser ces données", type="primary", key=p + "apply", on_click=apply_dataset, args=(ds, sig))
    in_use = imported().get(kind)
    if in_use is not None and st.session_state.get(KEY_APPLIED + kind) == sig:
        st.success(md_text(f"Ces données (« {in_use.name} ») sont en service sur toutes les pages."),
                   icon=":material/check_circle:")
    st.caption("Les données importées restent en service pour cette session (tous les onglets et pages) ; "
               "enregistrez-les dans la base pour les retrouver plus tard.")


def _preview(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as text (st.dataframe shows text as text; mixed types would not serialise)."""
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: "" if v is None else str(v))
    return out


def _show_rejected(err: DataError) -> None:
    problems = getattr(err, "problems", ())
    if problems:
        show_problem(str(err).split("\n", 1)[0])
        table = pd.DataFrame([{"Ligne": "" if p.line is None else str(p.line), "Colonne": p.column or "",
                               "Problème et correction": p.message} for p in problems])
        tables.dataframe(table, hide_index=True, width="stretch",
                         column_config={"Problème et correction": st.column_config.TextColumn(width="large")})
    else:
        show_error(err)
        st.caption("Les données utilisées jusqu'ici restent en place.")


def _render_saved() -> None:
    st.markdown("**Jeux de données enregistrés dans la base**")
    try:
        saved = datasets_store.list_datasets()
    except DataError as err:
        show_problem(str(err), warning=True)
        return
    if not saved:
        st.caption("Aucun jeu de données enregistré pour l'instant.")
        return
    table = pd.DataFrame([{"Type": _KIND_SHORT.get(s.kind, s.kind), "Nom": s.name, "Fichier": s.source_file,
                           "Enregistré le": s.saved_at.replace("T", " ")[:16], "Lignes": s.n_rows} for s in saved])
    tables.dataframe(table, hide_index=True, width="stretch")
    labels = {f"{_KIND_SHORT.get(s.kind, s.kind)} — {s.name}": s for s in saved}
    choice = st.selectbox("Jeu de données", list(labels), key="import_saved_choice")
    s = labels[choice]
    c1, c2 = st.columns(2)
    c1.button("Utiliser ce jeu de données", key="import_saved_load", on_click=_load_saved, args=(s.kind, s.name))
    c2.button("Supprimer de la base", key="import_saved_delete", on_click=_delete_saved, args=(s.kind, s.name))
    feedback.confirm(KEY_LOADED)
