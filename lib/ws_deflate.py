"""The WebSocket's compression with a window that spans a page's chart specs.

Everything a page shows after its bundles comes over one WebSocket, compressed by
permessage-deflate with the context kept between messages. uvicorn's websockets implementation
sets the server's LZ77 window to 4 KB (``server_max_window_bits=12``, ``memLevel=5``: websockets'
advice for servers of many small messages). A page here sends larger messages: a region page's
six Vega-Lite specs are 2 to 12 KB each and repeat their French locale, their DSFR config and
their field names; a 4 KB window cannot see the previous chart, so each compresses on its own.
With the full 32 KB window (15 bits) the region page's messages go from 31,5 to 21,5 KB
(``bench/bench_browser.py --only bytes``), for ~110 KB more zlib memory per open connection
(128 KB of window + 16 KB of hash table, instead of 16 + 16).

The client's window stays at 12 bits: what the browser sends (widget values) is small, and the
server's inflater needs the window the client uses.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

SERVER_WINDOW_BITS = 15
CLIENT_WINDOW_BITS = 12
MEM_LEVEL = 5  # the hash table's size; 8 (zlib's default) gains nothing on these messages


def deflate_factory() -> ServerPerMessageDeflateFactory:
    """permessage-deflate as this server offers it."""
    return ServerPerMessageDeflateFactory(
        server_max_window_bits=SERVER_WINDOW_BITS,
        client_max_window_bits=CLIENT_WINDOW_BITS,
        compress_settings={"memLevel": MEM_LEVEL},
    )


class WideWindowProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol (Streamlit's choice with uvicorn ≥ 0.44), its
    permessage-deflate offered with the server window of ``deflate_factory``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # an upgrade that renames what is replaced here keeps uvicorn's own 4 KB window
        if self.config.ws_per_message_deflate and isinstance(getattr(self.conn, "available_extensions", None), list):
            self.conn.available_extensions = [deflate_factory()]
