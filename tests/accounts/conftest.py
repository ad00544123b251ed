"""Sign-in scenes: second factors made the way a user makes them, codes computed the way an
authenticator app computes them (django-otp's own TOTP), and a client that signs in through the
real forms."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import recovery_codes_issue
from tests.reminders.conftest import smtp_inbox  # noqa: F401 - the local SMTP server, shared

PASSWORD = "correct-horse-battery"  # UserFactory's
EVERY_ROLE = ["front desk", "clinician", "manager"]


@pytest.fixture
def two_factor_required(settings) -> None:
    """Production's rule: every role must sign in with a second factor."""
    settings.TWO_FACTOR_REQUIRED_ROLES = EVERY_ROLE


def app_code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def app_enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """A user with a confirmed authenticator app and recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, recovery_codes_issue(user=user)


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_step(client: Client, code: str, **extra):
    return client.post(reverse("accounts:second_factor_verify"), {"code": code}, **extra)


def assert_sent_to(response, url_name: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response.url.split("?")[0] == reverse(url_name), response.url


def fully_signed_in(user) -> Client:
    """A client past both steps, for a user given an app if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or app_enrolled(user)[0]
    client = Client()
    password_step(client, user.username)
    assert code_step(client, app_code(device)).status_code == 302
    return client
