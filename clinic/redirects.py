"""Where a POST goes afterwards when the page names its own ``next``: one of our pages, or a fallback.

``next`` is user input. It is accepted only as a local path that one of our URL patterns answers
(``url_has_allowed_host_and_scheme`` keeps other hosts, ``javascript:`` and ``//host`` out; the
resolve check keeps out words like ``email`` that ``django.shortcuts.redirect`` would otherwise try
to reverse as a URL name, failing after the action had committed). It is never reversed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the page posted (or put in the query string) if it is one of our pages; else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure(),
    ):
        return fallback
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return fallback
    return target


def redirect_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """A redirect to ``safe_next``: a plain Location, never a URL name to reverse."""
    return HttpResponseRedirect(safe_next(request, fallback))
