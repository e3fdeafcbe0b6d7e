"""The regional objectives of the session, shared by the map, the region page and the committee
packs: their rule, reading and reference years, the user's edits, and the widgets that set them.

Session keys (kept for the whole session, all prefixed ``carte_`` since the map page sets them):
- ``KEY_RULE``, ``KEY_READING``, ``KEY_REF``: the objectives' allocation rule, the reading of the
  national target and the reference years;
- ``KEY_EDITED``: the cells of the objectives table the user changed (long frame code, annee,
  objectif; ``lib.targets.changed_cells``), laid over the objectives of the current rule;
- ``KEY_EDITOR``: the st.data_editor state of the objectives table, with ``KEY_EDITOR_VERSION``
  (bumped by « Revenir aux objectifs calculés » so that the editor starts afresh).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import fmt, importer, targets
from lib.presentation import period_label
from lib.ui import active_figures, computed, imported, imported_fingerprint, load_params, load_regions, show_error
from lib.views import carte as carte_view

KEY_RULE = "carte_regle"
KEY_READING = "carte_lecture"
KEY_REF = "carte_reference"
KEY_EDITOR = "carte_objectifs_editeur"
KEY_EDITED = "carte_objectifs_modifies"
KEY_EDITOR_VERSION = "carte_objectifs_version"


# ---------------------------------------------------------------------------------------------
# The session's objectives


def objectives_settings() -> dict:
    """The objectives settings of this session (defaults: population share, all landlords)."""
    return {
        "rule": st.session_state.get(KEY_RULE, "population"),
        "reading": st.session_state.get(KEY_READING, "tous_bailleurs"),
        "reference_years": tuple(st.session_state.get(KEY_REF, (2013, 2014, 2015))),
    }


def objectives_key() -> tuple:
    """What the session's objectives depend on (settings, figures and objectives in use)."""
    st_ = objectives_settings()
    return (st_["rule"], st_["reading"], st_["reference_years"],
            imported_fingerprint("figures"), imported_fingerprint("objectifs"))


def base_objectives() -> pd.DataFrame:
    """Regional objectives of this session before the user's edits: rule + published ones +
    imported file (computed once for the same settings and data, ``lib.ui.computed``)."""

    def compute() -> pd.DataFrame:
        s = objectives_settings()
        obj = targets.regional_objectives(
            active_figures(),
            load_regions(),
            load_params(),
            rule=s["rule"],
            reading=s["reading"],
            reference_years=s["reference_years"],
        )
        imp = imported().get("objectifs")
        if imp is not None:
            obj = targets.apply_imported(obj, importer.objectives_for_targets(imp))
        return obj

    return computed(("objectifs", *objectives_key()), compute)


def edits_key() -> tuple:
    """The user's changed cells of the objectives table, as a key."""
    edits = st.session_state.get(KEY_EDITED)
    if edits is None or len(edits) == 0:
        return ()
    return tuple(map(tuple, edits[["code", "annee", "objectif"]].itertuples(index=False)))


def current_objectives() -> pd.DataFrame:
    """Regional objectives in use in this session: ``base_objectives`` with the cells the user
    changed in the table (``KEY_EDITED``) laid over them."""
    return computed(("objectifs modifiés", *objectives_key(), edits_key()),
                    lambda: targets.apply_edits(base_objectives(), st.session_state.get(KEY_EDITED)))


# ---------------------------------------------------------------------------------------------
# Widgets (on the map page)


def objectives_controls() -> None:
    """Rule, reading and reference period of the objectives (kept for the session)."""
    params = load_params()
    years = targets.pact_years(params)
    c1, c2, c3 = st.columns([2, 2, 2])
    c1.selectbox(
        "Répartition de l'objectif national",
        list(targets.ALLOCATION_RULES),
        format_func=lambda r: targets.ALLOCATION_RULES[r].capitalize(),
        key=KEY_RULE,
        persist_state="session",
        help="Le pacte ne fixe que des objectifs nationaux. Faute d'objectif régional publié, "
        "l'objectif national est réparti entre régions selon cette règle (chiffres « estimés »).",
    )
    c2.selectbox(
        "Lecture de l'objectif national",
        list(targets.READINGS),
        format_func=lambda r: (
            f"{targets.READING_LABELS[r][:1].upper()}{targets.READING_LABELS[r][1:]} : "
            f"{fmt.fmt_int(targets.national_target(params, years[0], r))} par an"
        ),
        key=KEY_READING,
        persist_state="session",
    )
    if st.session_state.get(KEY_RULE, "population") == "production":
        c3.multiselect(
            "Années de référence (production)",
            years,
            default=years,
            key=KEY_REF,
            persist_state="session",
            help="Si l'année jugée fait partie de la période de référence, les régions ont "
            "mécaniquement des taux proches du taux national.",
        )


def objectives_editor(base: pd.DataFrame) -> pd.DataFrame:
    """The editable objectives table over ``base`` (``base_objectives``); returns the objectives
    in use (base + the user's changed cells). Only the cells the user changed are kept
    (``KEY_EDITED``), so the other cells keep their nature and follow a change of rule."""
    params = load_params()
    shown = targets.editor_table(base, st.session_state.get(KEY_EDITED))
    years = [c for c in shown.columns if c.isdigit()]
    st.caption(
        "Modifiez une valeur pour tester un autre objectif : la carte et le tableau suivent. "
        "Une valeur saisie apparaît avec la nature « importé » (saisie de l'utilisateur) ; les "
        "autres restent calculées par la règle choisie."
    )
    edited = st.data_editor(
        shown,
        key=f"{KEY_EDITOR}_{st.session_state.get(KEY_EDITOR_VERSION, 0)}",
        hide_index=True,
        width="stretch",
        height=420,
        placeholder=fmt.MISSING,
        disabled=["region", "origine"],
        column_config={
            "region": st.column_config.TextColumn("Région"),
            **{
                y: st.column_config.NumberColumn(f"Objectif {y}", min_value=0, step=1, format="localized")
                for y in years
            },
            "origine": st.column_config.TextColumn("Origine (nature, règle)", width="large"),
        },
    )
    edited.index = shown.index
    changed = targets.changed_cells(targets.editor_table(base), edited)
    if changed.empty:
        st.session_state.pop(KEY_EDITED, None)
    else:
        st.session_state[KEY_EDITED] = changed
    objectives = targets.apply_edits(base, changed)
    st.caption(carte_view.objectives_total_caption(objectives, params, objectives_settings()["reading"]))
    if st.button("Revenir aux objectifs calculés", key="carte_reset_objectifs", disabled=changed.empty):
        st.session_state.pop(KEY_EDITED, None)
        st.session_state[KEY_EDITOR_VERSION] = st.session_state.get(KEY_EDITOR_VERSION, 0) + 1
        st.rerun()
    return objectives


def render_objectives(indicator: str) -> None:
    """The regional objectives' rule and table, built only while the expander is open (a lazy
    expander): the rule and the table are kept in the session."""
    editor = st.expander(
        f"Objectifs régionaux {period_label(targets.pact_years(load_params()))} "
        "(règle de répartition, tableau modifiable)",
        expanded=indicator == "taux",
        key="carte_objectifs_ouverts_taux" if indicator == "taux" else "carte_objectifs_ouverts",
        on_change="rerun",
    )
    with editor:
        if editor.open:
            objectives_controls()
            try:
                objectives_editor(base_objectives())
            except Exception as err:  # noqa: BLE001 - shown in French
                show_error(err)
                st.stop()
