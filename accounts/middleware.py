"""Two rules every staff request passes: idle logoff, and the second factor before anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import has_second_factor, second_factor_required

LAST_SEEN_KEY = "accounts.last_seen"
# Set at the password step for a user who has a second factor: the session owes the second step
# even where the user's roles do not make one compulsory.
SECOND_STEP_DUE_KEY = "accounts.second_step_due"


class IdleLogoffMiddleware:
    """Sign out after SESSION_COOKIE_AGE without a request, saving the session at most once every
    IDLE_LOGOFF_RESOLUTION_SECONDS (each save pushes its expiry on) rather than on every request:
    saving costs three queries (savepoint, update, release)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        idle = now - request.session.get(LAST_SEEN_KEY, now)
        if idle > settings.SESSION_COOKIE_AGE and request.user.is_authenticated:
            # Stores that keep an expired session (signed cookies, a cache with a longer timeout)
            # would let it through: the time last seen decides.
            logout(request)
            return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # After the view, so that a sign-in starts the clock and a sign-out does not restart it.
        if request.user.is_authenticated and (
            now - request.session.get(LAST_SEEN_KEY, 0) >= settings.IDLE_LOGOFF_RESOLUTION_SECONDS
        ):
            request.session[LAST_SEEN_KEY] = now
        return response


def second_factor_exempt(view: Callable) -> Callable:
    """Mark a view a signed-in user may reach before the second step (the step's own pages)."""
    view.second_factor_exempt = True
    return view


def second_step_due(request: HttpRequest) -> str | None:
    """The URL name of the page this signed-in, not yet verified session must go to, if any."""
    user = request.user
    required = second_factor_required(user)
    if not (required or request.session.get(SECOND_STEP_DUE_KEY)):
        return None
    if has_second_factor(user):
        return "accounts:second_factor_verify"
    request.session.pop(SECOND_STEP_DUE_KEY, None)  # the factor was reset since the password step
    return "accounts:second_factor_enrol" if required else None


class SecondFactorMiddleware:
    """After the password step, a user who has a second factor (or whose role must have one)
    reaches only the second step's pages until it is passed: the code or passkey if they have
    one, enrolment if they have none. Public pages (``login_not_required``) are left alone."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True) or getattr(view_func, "second_factor_exempt", False):
            return None
        if request.resolver_match and request.resolver_match.namespace == "otp_webauthn":
            return None  # the passkey ceremonies, which check the session themselves
        if not request.user.is_authenticated or request.user.is_verified():
            return None
        step = second_step_due(request)
        if step is None:
            return None
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
