"""What run.py asks of the server Streamlit starts."""

import asyncio

import uvicorn
from streamlit.web.server.starlette import starlette_server
from websockets.extensions.permessage_deflate import PerMessageDeflate, ServerPerMessageDeflateFactory
from websockets.frames import Frame, Opcode

import run
from lib import ws_deflate


def test_uvicorn_sends_no_server_header_and_the_wrap_is_done_once():
    # importing run.py is what turns it off (python run.py imports it before the server starts)
    assert getattr(starlette_server._get_uvicorn_config_kwargs, "_pacte_hlm", False)
    assert run.tune_uvicorn() and run.tune_uvicorn()
    kwargs = starlette_server._get_uvicorn_config_kwargs()
    assert kwargs["server_header"] is False
    assert kwargs["access_log"] is False  # Streamlit's own settings are kept
    config = uvicorn.Config(lambda scope, receive, send: None, **kwargs)
    config.load()
    assert not any(name.lower() == b"server" for name, _ in config.encoded_headers)
    assert starlette_server._get_uvicorn_config_kwargs._pacte_hlm  # not wrapped twice over


def test_the_websocket_protocol_is_the_wide_window_one_only_where_streamlit_chose_sansio():
    kwargs = starlette_server._get_uvicorn_config_kwargs()
    assert kwargs["ws"] is ws_deflate.WideWindowProtocol  # Streamlit 1.67 with uvicorn ≥ 0.44
    assert run.uvicorn_settings({"ws": "auto", "ws_per_message_deflate": True})["ws"] == "auto"
    assert run.uvicorn_settings({"ws": "websockets-sansio", "ws_per_message_deflate": False})["ws"] \
        == "websockets-sansio"  # compression off (server.enableWebsocketCompression): nothing to widen


def _protocol(deflate: bool) -> ws_deflate.WideWindowProtocol:
    config = uvicorn.Config(lambda scope, receive, send: None, ws=ws_deflate.WideWindowProtocol,
                            ws_per_message_deflate=deflate)
    config.load()
    loop = asyncio.new_event_loop()
    try:
        return ws_deflate.WideWindowProtocol(config, uvicorn.server.ServerState(), app_state={}, _loop=loop)
    finally:
        loop.close()


def test_the_protocol_offers_deflate_with_the_wide_server_window():
    offered = _protocol(True).conn.available_extensions
    assert len(offered) == 1
    assert offered[0].server_max_window_bits == 15 and offered[0].client_max_window_bits == 12
    assert _protocol(False).conn.available_extensions == []


def _negotiated(factory) -> PerMessageDeflate:
    """The extension a factory settles on for Chromium's offer (permessage-deflate; client_max_window_bits)."""
    _, extension = factory.process_request_params([("client_max_window_bits", None)], [])
    return extension


def test_the_wide_window_compresses_a_message_against_the_one_before():
    # two chart specs sharing a 6 KB config: under the negotiated 32 KB window the second costs a
    # third of what it costs under uvicorn's own 4 KB one
    shared = "".join(f'"champ_{i}": {{"format": ",.0f", "titre": "Logements {i}"}}, ' for i in range(150))
    first, second = (f'{{"spec": {n}, {shared}}}'.encode() for n in (1, 2))

    def second_size(factory) -> int:
        ext = _negotiated(factory)
        ext.encode(Frame(Opcode.TEXT, first))
        return len(ext.encode(Frame(Opcode.TEXT, second)).data)

    ours = _protocol(True).conn.available_extensions[0]
    assert _negotiated(ours).local_max_window_bits == 15
    uvicorns = ServerPerMessageDeflateFactory(server_max_window_bits=12, client_max_window_bits=12,
                                              compress_settings={"memLevel": 5})
    assert len(shared) > 6_000
    assert second_size(ours) * 3 < second_size(uvicorns)


def test_without_uvicorns_sansio_module_the_server_keeps_the_protocol_streamlit_chose(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sansio(name, *args, **kwargs):
        if name == "lib" and "ws_deflate" in (args[2] or ()) or name == "lib.ws_deflate":
            raise ImportError("uvicorn without websockets_sansio_impl")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sansio)
    out = run.uvicorn_settings({"ws": "websockets-sansio", "ws_per_message_deflate": True})
    assert out["ws"] == "websockets-sansio" and out["server_header"] is False


def test_a_connection_whose_protocol_lacks_the_extensions_list_keeps_uvicorns_own(monkeypatch):
    from uvicorn.protocols.websockets import websockets_sansio_impl

    class Renamed:  # a future websockets whose ServerProtocol names its extensions otherwise
        def __init__(self, *args, **kwargs):
            self.offered = kwargs.get("extensions")

    monkeypatch.setattr(websockets_sansio_impl, "ServerProtocol", Renamed)
    conn = _protocol(True).conn
    assert isinstance(conn, Renamed) and not hasattr(conn, "available_extensions")
    assert conn.offered[0].server_max_window_bits == 12  # uvicorn's, untouched
