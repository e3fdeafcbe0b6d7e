"""Apply ``lib.url_state`` to the page's address before its widgets read it, and say once, in
French, what was wrong (each bad value is reported once per session, then it is gone from the
address anyway)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lib.ui import show_problem
from lib.url_state import UrlParam, check_query, summary

KEY_REPORTED = "url_reported"
KEY_PENDING = "url_pending_report"  # report kept across the rerun on the corrected address
KEY_RERAN = "url_reran"


def enforce(params: Sequence[UrlParam], where=None, rerun: bool = False) -> list[str]:
    """Remove or correct the bad values of ``params`` in ``st.query_params`` (call it before the
    widgets bound to them are drawn) and report them once, in ``where`` (default: the page).

    ``rerun``: for widgets bound to the URL (``bind="query-params"``), which read the address as
    it was when the run started: the run starts again on the corrected address, and the report
    is shown then."""
    scope = "_" + "_".join(sorted(p.name for p in params))[:60]  # each call keeps its own report
    pending = st.session_state.pop(KEY_PENDING + scope, None)
    reran = st.session_state.pop(KEY_RERAN + scope, False)
    present = {p.name for p in params} & set(st.query_params.keys())
    fixes = check_query({name: st.query_params.get_all(name) for name in present}, params) if present else []
    for fix in fixes:
        if fix.replacement is None:
            del st.query_params[fix.name]
        else:
            st.query_params[fix.name] = fix.replacement
    reported = st.session_state.setdefault(KEY_REPORTED, set())
    new = [f for f in fixes if (f.name, f.values) not in reported]
    reported.update((f.name, f.values) for f in fixes)
    if fixes and rerun and not reran:  # once: never a loop, whatever the address does
        st.session_state[KEY_PENDING + scope] = [*(pending or []), *((summary(new),) if new else ())]
        st.session_state[KEY_RERAN + scope] = True
        st.rerun()
    messages = [*(pending or []), *((summary(new),) if new else ())]
    for text in messages:
        show_problem(text, warning=True, icon=":material/link_off:", where=where)
    return messages
