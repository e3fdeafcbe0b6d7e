"""What run.py asks of the server Streamlit starts."""

import uvicorn
from streamlit.web.server.starlette import starlette_server

import run


def test_uvicorn_sends_no_server_header_and_the_wrap_is_done_once():
    # importing run.py is what turns it off (python run.py imports it before the server starts)
    assert getattr(starlette_server._get_uvicorn_config_kwargs, "_pacte_hlm", False)
    assert run.without_server_header() and run.without_server_header()
    kwargs = starlette_server._get_uvicorn_config_kwargs()
    assert kwargs["server_header"] is False
    assert kwargs["access_log"] is False  # Streamlit's own settings are kept
    config = uvicorn.Config(lambda scope, receive, send: None, **kwargs)
    config.load()
    assert not any(name.lower() == b"server" for name, _ in config.encoded_headers)
    assert starlette_server._get_uvicorn_config_kwargs._pacte_hlm  # not wrapped twice over
