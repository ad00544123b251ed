"""Per-client limits on the public patient endpoints and the password-reset form: past the limit
the client gets the friendly 429 page; another client is unaffected; behind a trusted proxy the
real client is counted. Counted in the cache the settings give (Redis when CACHE_URL says so)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .test_lockout import CLIENT_A, CLIENT_B, PROXY, _client_ip_settings

pytestmark = pytest.mark.django_db

LIMIT = 3
# (setting, method, path): tokens need not be valid, the limit is counted before the view runs.
ENDPOINTS = {
    "confirm link": ("RATELIMIT_PATIENT_LINKS", "get", "/p/c/not-a-token/"),
    "cancel link": ("RATELIMIT_PATIENT_LINKS", "post", "/p/x/not-a-token/"),
    "opt-out link": ("RATELIMIT_PATIENT_LINKS", "get", "/p/o/not-a-token/"),
    "questionnaire": ("RATELIMIT_QUESTIONNAIRE", "get", "/p/q/not-a-token/"),
    "sms webhook": ("RATELIMIT_SMS_WEBHOOK", "post", "/p/sms/inbound/"),
    "password reset": ("RATELIMIT_PASSWORD_RESET", "post", "/accounts/password/reset/"),
}


@pytest.fixture(params=ENDPOINTS, ids=list(ENDPOINTS))
def endpoint(request, settings, time_machine):
    setting, method, path = ENDPOINTS[request.param]
    setattr(settings, setting, f"{LIMIT}/m")
    time_machine.move_to("2026-06-15 10:00:05Z", tick=False)  # all in one rate window
    return method, path


def _call(endpoint, **headers):
    method, path = endpoint
    return getattr(Client(**headers), method)(path, {"email": "someone@clinic.example"} if method == "post" else {})


def _assert_too_many(response) -> None:
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert "Please wait a moment" in response.content.decode()


def test_past_the_limit_the_client_gets_the_friendly_429_page(endpoint):
    for _ in range(LIMIT):
        assert _call(endpoint, REMOTE_ADDR=CLIENT_A).status_code != 429
    _assert_too_many(_call(endpoint, REMOTE_ADDR=CLIENT_A))


def test_another_client_is_not_limited(endpoint):
    for _ in range(LIMIT + 1):
        _call(endpoint, REMOTE_ADDR=CLIENT_A)
    assert _call(endpoint, REMOTE_ADDR=CLIENT_B).status_code != 429


def test_behind_a_proxy_each_real_client_is_counted(monkeypatch, endpoint):
    with override_settings(**_client_ip_settings(monkeypatch, 1)):
        for _ in range(LIMIT):
            _call(endpoint, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
        _assert_too_many(_call(endpoint, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT_B}, {CLIENT_A}"))
        assert _call(endpoint, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B).status_code != 429


def test_reading_the_password_reset_form_is_not_counted(settings):
    settings.RATELIMIT_PASSWORD_RESET = f"{LIMIT}/m"
    client = Client(REMOTE_ADDR=CLIENT_A)
    for _ in range(LIMIT + 2):
        assert client.get(reverse("accounts:password_reset")).status_code == 200

