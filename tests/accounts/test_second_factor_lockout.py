"""django-axes locks the second step as it locks the password: wrong codes count with wrong
passwords for the same client and username, and only a whole sign-in (both steps) clears them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import app_code, app_enrolled, assert_sent_to, code_step, password_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(clinician_user):
    return app_enrolled(clinician_user)[0]


def _assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def test_wrong_codes_lock_the_client_out_and_sign_it_out(device):
    client = Client()
    password_step(client, "clinician")
    responses = [code_step(client, "000000") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    _assert_locked_out(responses[-1])
    assert_sent_to(client.get(reverse("patients:list")), "login")  # the half-signed-in session is gone
    _assert_locked_out(password_step(Client(), "clinician"))  # and the right password does not help


def test_the_right_code_is_refused_while_locked_out(device):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(Client(), "clinician", password="wrong-password")
    client = Client()
    assert_sent_to(password_step(client, "clinician"), "accounts:second_factor_verify")
    _assert_locked_out(code_step(client, "000000"))
    retry = Client()
    _assert_locked_out(password_step(retry, "clinician"))


def test_passing_the_password_again_does_not_clear_wrong_codes(device):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client = Client()
        assert_sent_to(password_step(client, "clinician"), "accounts:second_factor_verify")
        code_step(client, "000000")
    client = Client()
    assert_sent_to(password_step(client, "clinician"), "accounts:second_factor_verify")
    _assert_locked_out(code_step(client, "000000"))


def test_a_whole_sign_in_clears_the_failures(device):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(Client(), "clinician", password="wrong-password")
    client = Client()
    password_step(client, "clinician")
    assert code_step(client, app_code(device)).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert password_step(Client(), "clinician", password="wrong-password").status_code == 200
    assert password_step(Client(), "clinician").status_code == 302
