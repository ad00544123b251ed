"""Sign-in lockout (django-axes) with two thresholds, and the second step's share of it.

django-axes counts failures per lockout parameter but compares them all with one limit. We want
two: a client address trying one username is locked after AXES_FAILURE_LIMIT failures; a client
address trying many usernames (password spraying) after AXES_ADDRESS_FAILURE_LIMIT, higher,
because a whole clinic may sign in from one address.

Success resets only the (address, username) pair, and only when the whole sign-in succeeds
(password and, where the user has one, second factor): resetting at the password step would let
whoever knows the password try codes forever, and resetting the address would let a sprayer who
holds one valid account wipe the count.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse


class ClinicAxesHandler(AxesDatabaseHandler):
    """``AXES_LOCKOUT_PARAMETERS`` is ``[["ip_address", "username"], "ip_address"]``: the pair
    first, the address alone second, each with its own limit."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair, settings.AXES_FAILURE_LIMIT)  # axes compares with AXES_FAILURE_LIMIT
        return pair


def _credentials(username: str) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: username}


def sign_in_allowed(request: HttpRequest, username: str) -> bool:
    """False while this client is locked out for this username (or as an address)."""
    return AxesProxyHandler.is_allowed(request, _credentials(username))


def sign_in_failed(request: HttpRequest, username: str) -> None:
    """Count a failed second step exactly as axes counts a wrong password."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)


def sign_in_succeeded(request: HttpRequest, username: str) -> None:
    """Forget this pair's failures now that both steps are done (the address count stays)."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_attempts(
        ip_address=request.axes_ip_address, username=get_client_username(request, _credentials(username))
    )


def locked_out_response(request: HttpRequest, username: str) -> HttpResponse:
    return get_lockout_response(request, None, _credentials(username))
