"""Keep patients' search terms out of access logs.

Search stays a GET, so that a search can be bookmarked and the back button returns to it; the
price is that the terms (a name, a date of birth, a phone number: PHI) are in the URL. This filter
drops the query string of a search page's request from the access-log records of Django's
development server (``django.server``) and of gunicorn (``gunicorn.access``) before any handler
writes them. A reverse proxy in front keeps its own log: configure it the same way (README).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

# The pages whose query string carries search terms (``?q=``).
SEARCH_URL_NAMES = frozenset({"patients:list", "scheduling:book"})


@lru_cache(maxsize=256)
def is_search_path(path: str) -> bool:
    try:
        return resolve(path).view_name in SEARCH_URL_NAMES
    except Resolver404:
        return False


def _scrub_request_line(line: str) -> str:
    """'GET /patients/?q=Lopez HTTP/1.1' -> 'GET /patients/ HTTP/1.1' on a search page."""
    method, _, rest = line.partition(" ")
    target, _, version = rest.partition(" ")
    path = urlsplit(target).path
    if "?" not in target or not is_search_path(path):
        return line
    return " ".join(part for part in (method, path, version) if part)


def _scrub_atoms(atoms: dict[str, object]) -> None:
    """gunicorn's atoms (a dict of its own type, changed in place): the query string also appears
    on its own and inside the raw URI and the environ values."""
    query, path = str(atoms.get("q") or ""), str(atoms.get("U") or "")
    if not query or query == "-" or not is_search_path(path):
        return
    for name, value in list(atoms.items()):
        if isinstance(value, str):
            atoms[name] = value.replace(f"?{query}", "").replace(query, "")


class SearchTermsOut(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            _scrub_atoms(record.args)
        elif isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_scrub_request_line(record.args[0]), *record.args[1:])
        return True
