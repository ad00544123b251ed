"""Repeated bad logins lock out the client that made them, not everyone behind the same proxy."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.23"
PASSWORD = "correct-horse-battery"  # UserFactory's
SETTINGS_FILE = Path(settings.BASE_DIR) / "clinic" / "settings.py"
CLIENT_IP_SETTINGS = (
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "IPWARE_STRICT",
)


def _client_ip_settings(monkeypatch, proxies: int) -> dict:
    """The client-address settings exactly as settings.py makes them for ``proxies`` proxies.

    Settings are read at import, so the module is run again with that environment; a change
    to settings.py changes what these tests check.
    """
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", str(proxies))
    computed = runpy.run_path(str(SETTINGS_FILE))
    assert computed["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"
    return {name: computed[name] for name in CLIENT_IP_SETTINGS if name in computed}


@pytest.fixture
def behind_one_proxy(monkeypatch):
    with override_settings(**_client_ip_settings(monkeypatch, 1)):
        yield


@pytest.fixture
def staff_member():
    return UserFactory(username="reception")


def _login(*, forwarded_for: str | None, password: str, remote_addr: str = PROXY):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    # A fresh client each time: the lock must hold without any cookie from earlier attempts.
    return Client(**headers).post(reverse("login"), {"username": "reception", "password": password})


def _fail_until_locked(**where) -> None:
    responses = [_login(password="wrong-password", **where) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    _assert_locked_out(responses[-1])


def _assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def _assert_signed_in(response) -> None:
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_repeated_bad_logins_lock_out_that_client(behind_one_proxy, staff_member):
    _fail_until_locked(forwarded_for=CLIENT_A)
    _assert_locked_out(_login(forwarded_for=CLIENT_A, password=PASSWORD))


def test_another_client_behind_the_same_proxy_still_signs_in(behind_one_proxy, staff_member):
    _fail_until_locked(forwarded_for=CLIENT_A)
    _assert_signed_in(_login(forwarded_for=CLIENT_B, password=PASSWORD))


def test_a_spoofed_forwarded_for_entry_does_not_escape_the_lock(behind_one_proxy, staff_member):
    _fail_until_locked(forwarded_for=CLIENT_A)
    # A sends its own X-Forwarded-For; the proxy appends the address it really saw.
    for spoofed in (f"{CLIENT_B}, {CLIENT_A}", f"1.2.3.4, {CLIENT_B}, {CLIENT_A}", f"not-an-ip, {CLIENT_A}"):
        _assert_locked_out(_login(forwarded_for=spoofed, password=PASSWORD))


def test_spoofed_entries_do_not_lock_out_the_client_they_name(behind_one_proxy, staff_member):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(forwarded_for=f"{CLIENT_B}, {CLIENT_A}", password="wrong-password")
    _assert_signed_in(_login(forwarded_for=CLIENT_B, password=PASSWORD))


def test_without_a_proxy_the_lock_follows_the_remote_address(staff_member):
    _fail_until_locked(forwarded_for=None, remote_addr=CLIENT_A)
    _assert_locked_out(_login(forwarded_for=None, remote_addr=CLIENT_A, password=PASSWORD))
    # With no trusted proxy, X-Forwarded-For is whatever the client wrote: it is ignored.
    _assert_locked_out(_login(forwarded_for=CLIENT_B, remote_addr=CLIENT_A, password=PASSWORD))
    _assert_signed_in(_login(forwarded_for=None, remote_addr=CLIENT_B, password=PASSWORD))


def test_behind_two_proxies_the_client_is_the_address_the_outer_proxy_saw(monkeypatch):
    outer_proxy = "10.0.0.9"
    request = RequestFactory().post(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {CLIENT_A}, {outer_proxy}"
    )
    with override_settings(**_client_ip_settings(monkeypatch, 2)):
        assert get_client_ip_address(request) == CLIENT_A
