"""The first line of every page: check the data files it needs (``lib.integrity``) and, if one is
missing, empty, cut short or broken, say which, what is wrong and how to rebuild it, then stop
the page there, instead of a Python traceback or figures silently computed on half a file."""

from __future__ import annotations

import streamlit as st

from lib import integrity
from lib.ui import show_problem


def require_data(page: str) -> None:
    """Stop ``page`` (a key of ``integrity.PAGE_FILES``) when a file it needs is wrong; warn
    when a file one of its parts needs is wrong. Other pages are not affected."""
    needed, optional_problems = integrity.problems_for(page)
    for problem, part in optional_problems:
        show_problem(problem.message(f"Sans lui, {part} est indisponible ; le reste de la page fonctionne."),
                     warning=True)
    if not needed:
        return
    label = integrity.PAGE_LABELS.get(page, page)
    show_problem(f"La page « {label} » ne peut pas s'afficher : "
                 + ("un fichier de données est manquant ou abîmé" if len(needed) == 1
                    else "des fichiers de données sont manquants ou abîmés")
                 + ". Aucun chiffre n'est montré plutôt qu'un chiffre faux.",
                 icon=":material/error:")
    for problem in needed:
        others = [p for p in integrity.pages_needing(problem.name) if p != label]
        consequence = ("Les pages qui n'en dépendent pas restent utilisables"
                       + (f" (en dépendent aussi : {', '.join(others)})." if others else "."))
        show_problem(problem.message(consequence), icon=":material/description:")
    st.stop()


def part_available(page: str, name: str) -> bool:
    """Whether the part of ``page`` that reads ``name`` (declared in ``integrity.PAGE_OPTIONAL``)
    can be drawn; if not, the file's message is shown in its place: the part is left out rather
    than drawn from half a file."""
    problem = integrity.check_file(name)
    if problem is None:
        return True
    part = integrity.PAGE_OPTIONAL[page][name]
    show_problem(problem.message(f"{part[0].upper()}{part[1:]} est indisponible."), warning=True)
    return False


def sidebar_data_warning() -> None:
    """In the sidebar of every page: the shipped files to rebuild, if any (one line each)."""
    problems = integrity.all_problems()
    if problems:
        show_problem("Fichiers de données à reconstruire (« make data ») : "
                     + ", ".join(f"data/{p.name} ({p.short})" for p in problems) + ".",
                     warning=True, where=st.sidebar)
