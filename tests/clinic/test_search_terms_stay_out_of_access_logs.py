"""A patient search is a GET (bookmarkable), so its terms are in the URL: the access-log lines of
Django's server and of gunicorn drop a search page's query string; other pages keep theirs."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import urllib.request
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

TERM = "Lopez1958"


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def logged(request) -> Iterator[list[str]]:
    """What reaches the handlers of the named logger (after its filters)."""
    logger, handler = logging.getLogger(request.param), _Lines()
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def _runserver_get(path: str) -> None:
    """One request through Django's own development server, which writes the django.server line."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    # The redirect to the login page is an HTTPError here; the request line is logged all the same.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.build_opener(_NoRedirect).open(f"http://127.0.0.1:{server.server_port}{path}", timeout=30)
    thread.join(timeout=30)
    server.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("logged", ["django.server"], indirect=True)
@pytest.mark.parametrize("path", [f"/patients/?q={TERM}", f"/schedule/book/?q={TERM}&date=2026-06-15"])
def test_a_search_request_line_on_the_development_server_has_no_terms(logged, path):
    _runserver_get(path)
    assert len(logged) == 1 and TERM not in logged[0] and path.split("?")[0] in logged[0]


@pytest.mark.parametrize("logged", ["django.server"], indirect=True)
def test_another_pages_query_string_is_kept(logged):
    _runserver_get("/schedule/day/?date=2026-06-15")
    assert "date=2026-06-15" in logged[0]


def _gunicorn_access(path: str, query: str) -> None:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s?%(q)s %({raw_uri}e)s %({query_string}e)s')
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"{path}?{query}", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "10.0.0.7"}
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    GunicornLogger(config).access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=3))


@pytest.mark.parametrize("logged", ["gunicorn.access"], indirect=True)
def test_a_search_line_in_gunicorns_access_log_has_no_terms(logged):
    _gunicorn_access("/patients/", f"q={TERM}&archived=on")
    assert len(logged) == 1 and TERM not in logged[0] and '"GET /patients/ HTTP/1.1"' in logged[0]
