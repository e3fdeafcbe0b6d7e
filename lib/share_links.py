"""Full addresses to send by mail: scheme, host, path and query of a view of the dashboard.

A recipient must open the very view the sender sees, so a link is the address the sender's
browser shows (Streamlit's ``st.context.url``, which already holds any prefix a proxy adds)
with the view's query. Without it (a test harness, an old front end), the request's headers
give the host as the proxy forwarded it. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit


def query_string(query: str | Mapping[str, object]) -> str:
    """« a=1&b=2 » from a mapping (empty values left out) or from a « ?a=1 » string."""
    if isinstance(query, str):
        return query.lstrip("?")
    return urlencode({k: v for k, v in query.items() if v is not None and v != ""})


def full_address(page_url: str | None, query: str | Mapping[str, object] = "",
                 headers: Mapping[str, str] | None = None, path: str = "") -> str | None:
    """The address to send, or None when neither the page's address nor a Host header is known.

    ``page_url``: the page's address without query (``st.context.url``); ``path`` is used only
    with ``headers`` (``Host``, ``X-Forwarded-Host``, ``X-Forwarded-Proto``, case-insensitive).
    Only http(s) addresses are returned.
    """
    q = query_string(query)
    if page_url:
        parts = urlsplit(page_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", q, ""))
    h = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    host = (h.get("x-forwarded-host") or h.get("host") or "").split(",")[0].strip()
    if not host or any(c in host for c in "/\\@ "):
        return None
    scheme = (h.get("x-forwarded-proto") or "http").split(",")[0].strip().lower()
    scheme = scheme if scheme in ("http", "https") else "http"
    return urlunsplit((scheme, host, "/" + path.lstrip("/"), q, ""))
