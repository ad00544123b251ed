"""One client trying one password on many usernames is locked out by its address alone, at a
higher count than one username's; other clients sign in as usual, behind a proxy too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory

from .test_lockout import CLIENT_A, CLIENT_B, PASSWORD, PROXY, _client_ip_settings

pytestmark = pytest.mark.django_db

USERNAMES = [f"staff{n:02d}" for n in range(40)]


@pytest.fixture
def forty_staff():
    return [UserFactory(username=name) for name in USERNAMES]


def _login(username: str, password: str, **headers):
    return Client(**headers).post(reverse("login"), {"username": username, "password": password})


def _spray(**headers) -> list[int]:
    return [_login(name, "Winter2026!", **headers).status_code for name in USERNAMES]


def test_the_address_limit_is_higher_than_the_pairs():
    assert settings.AXES_FAILURE_LIMIT < settings.AXES_ADDRESS_FAILURE_LIMIT < len(USERNAMES)


def test_forty_usernames_with_one_password_lock_the_client_out(forty_staff):
    statuses = _spray(REMOTE_ADDR=CLIENT_A)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # each username failed once only
    assert set(statuses[limit - 1:]) == {429}
    # Locked as an address: even a right password for a username it never tried is refused.
    late_joiner = UserFactory(username="latejoiner")
    assert _login(late_joiner.username, PASSWORD, REMOTE_ADDR=CLIENT_A).status_code == 429


def test_another_client_still_signs_in(forty_staff):
    _spray(REMOTE_ADDR=CLIENT_A)
    response = _login(USERNAMES[0], PASSWORD, REMOTE_ADDR=CLIENT_B)
    assert response.status_code == 302 and response.url == reverse("home")


def test_behind_a_proxy_the_real_client_is_counted(monkeypatch, forty_staff):
    with override_settings(**_client_ip_settings(monkeypatch, 1)):
        statuses = _spray(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
        assert statuses[-1] == 429
        other = _login(USERNAMES[0], PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
        assert other.status_code == 302


def test_a_successful_sign_in_does_not_clear_the_address_count(forty_staff):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for name in USERNAMES[: limit - 1]:
        _login(name, "Winter2026!", REMOTE_ADDR=CLIENT_A)
    assert _login(USERNAMES[-1], PASSWORD, REMOTE_ADDR=CLIENT_A).status_code == 302  # a sprayer's own account
    assert _login(USERNAMES[-2], "Winter2026!", REMOTE_ADDR=CLIENT_A).status_code == 429
