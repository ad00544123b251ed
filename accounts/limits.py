"""Per-client request limits (django-ratelimit over the cache) for pages anyone can reach: the
patients' links, questionnaires and SMS webhook, and the password-reset form.

Each limit is a decorator; the rate is read from settings on every request (RATELIMIT_*), so it
is configured in one place. A client over a limit gets ``too_many_requests`` (RATELIMIT_VIEW).
"""

from __future__ import annotations

from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit


def client_address(request: HttpRequest) -> str:
    """The client's address as the sign-in lockout sees it: behind TRUSTED_PROXY_COUNT proxies,
    the address the outermost trusted proxy saw, not one the client wrote itself."""
    return get_client_ip_address(request) or request.META["REMOTE_ADDR"]


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The friendly page for patients (and staff) who went over a limit: who to call instead."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def _limit(group: str, setting: str, method: str | tuple | None = ALL) -> Callable:
    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, setting)

    return ratelimit(group=group, key="ip", rate=rate, method=method, block=True)


patient_link_limit = _limit("patient-links", "RATELIMIT_PATIENT_LINKS")
questionnaire_limit = _limit("questionnaire", "RATELIMIT_QUESTIONNAIRE")
sms_webhook_limit = _limit("sms-webhook", "RATELIMIT_SMS_WEBHOOK")
# Only asking for an e-mail counts; reading the form does not.
password_reset_limit = _limit("password-reset", "RATELIMIT_PASSWORD_RESET", method="POST")
