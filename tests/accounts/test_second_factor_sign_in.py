"""Signing in with a second factor: the password, then a code from the app or a recovery code
(each recovery code once). Until then the session reaches nothing but the second step."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from audit.models import AuditEvent

from .conftest import app_code, app_enrolled, assert_sent_to, code_step, password_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(clinician_user):
    return app_enrolled(clinician_user)


@pytest.fixture
def after_password(enrolled) -> Client:
    client = Client()
    assert_sent_to(password_step(client, "clinician"), "accounts:second_factor_verify")
    return client


@pytest.mark.parametrize("required", [True, False], ids=["required", "offered-in-the-demo"])
def test_a_user_with_a_second_factor_must_pass_it_whether_or_not_their_role_must(settings, enrolled, required):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["clinician"] if required else []
    client = Client()
    assert_sent_to(password_step(client, "clinician"), "accounts:second_factor_verify")
    for url_name in ("patients:list", "scheduling:day", "accounts:second_factor_enrol", "accounts:security"):
        assert_sent_to(client.get(reverse(url_name)), "accounts:second_factor_verify")


def test_the_app_code_completes_the_sign_in_and_lands_on_the_clinicians_day(after_password, enrolled, clinician_user):
    device, _ = enrolled
    response = code_step(after_password, app_code(device), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('scheduling:day')}?clinician={clinician_user.pk}"
    assert after_password.get(reverse("patients:list")).status_code == 200


def test_a_wrong_code_is_refused_with_a_field_error(after_password):
    response = code_step(after_password, "123456")
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert_sent_to(after_password.get(reverse("patients:list")), "accounts:second_factor_verify")


def test_an_app_code_works_once(after_password, enrolled):
    device, _ = enrolled
    with time_machine.travel(time.time(), tick=False) as traveller:
        code = app_code(device)
        assert code_step(after_password, code).status_code == 302
        replay = Client()
        password_step(replay, "clinician")
        assert code_step(replay, code).status_code == 200  # refused: that step's code is spent
        traveller.shift(device.step)  # past django-otp's one-second throttle too
        assert code_step(replay, app_code(device)).status_code == 302


def test_a_recovery_code_signs_in_once_and_is_audited(enrolled, clinician_user):
    _, codes = enrolled
    first = Client()
    password_step(first, "clinician")
    assert code_step(first, codes[0].upper()).status_code == 302  # typed in capitals: still accepted
    assert first.get(reverse("patients:list")).status_code == 200
    event = AuditEvent.objects.get(action="accounts.second_factor.recovery_code_used")
    assert event.actor == clinician_user and event.changes == {"codes_left": 9}

    second = Client()
    password_step(second, "clinician")
    assert code_step(second, codes[0]).status_code == 200
    assert_sent_to(second.get(reverse("patients:list")), "accounts:second_factor_verify")


def test_signing_out_is_allowed_before_the_second_step(after_password):
    assert_sent_to(after_password.post(reverse("logout")), "login")
    assert_sent_to(after_password.get(reverse("patients:list")), "login")


def test_the_admin_site_signs_in_through_the_same_two_steps(client):
    response = client.get("/admin/login/?next=/admin/")
    assert_sent_to(response, "login")
    assert "next=/admin/" in response.url


def test_new_recovery_codes_replace_the_old_ones_only_for_a_verified_session(enrolled, clinician_user,
                                                                            clinician_client):
    _, old_codes = enrolled
    clinician_client.post(reverse("accounts:recovery_codes"))  # signed in without the second step
    assert StaticToken.objects.filter(device__user=clinician_user, token=old_codes[0]).exists()

    client = Client()
    password_step(client, "clinician")
    code_step(client, old_codes[0])
    response = client.post(reverse("accounts:recovery_codes"), follow=True)
    new_codes = set(StaticToken.objects.filter(device__user=clinician_user).values_list("token", flat=True))
    assert len(new_codes) == 10 and not new_codes & set(old_codes)
    assert all(code in response.content.decode() for code in new_codes)


def test_a_signed_in_user_without_the_admin_is_refused_not_sent_round_in_circles(clinician_client):
    response = clinician_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # /admin/ -> the admin's sign-in, which refuses
