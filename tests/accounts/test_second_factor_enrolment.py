"""A user whose role must have a second factor and has none is sent to set one up after the
password, reaches nothing else until it is done, and sees their recovery codes once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import totp_secret
from audit.models import AuditEvent

from .conftest import app_code, assert_sent_to, password_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_unenrolled(two_factor_required, clinician_user) -> Client:
    client = Client()
    response = password_step(client, "clinician")
    assert response.status_code == 302
    return client


def test_the_password_step_leads_to_enrolment(signed_in_unenrolled):
    response = signed_in_unenrolled.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_enrol"))
    assert b"Set up a second sign-in factor" in response.content


@pytest.mark.parametrize(
    "url_name", ["patients:list", "scheduling:day", "accounts:security", "accounts:password_change"]
)
def test_nothing_else_is_reachable_before_enrolling(signed_in_unenrolled, url_name):
    assert_sent_to(signed_in_unenrolled.get(reverse(url_name)), "accounts:second_factor_enrol")


def test_the_page_shows_the_secret_and_a_qr_code_as_an_image_the_csp_allows(signed_in_unenrolled, clinician_user):
    html = signed_in_unenrolled.get(reverse("accounts:second_factor_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=clinician_user, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in html  # img-src allows 'self' and data: only
    assert "<script>" not in html  # script-src 'self': no inline script
    assert totp_secret(device) in html


def test_reloading_the_page_keeps_the_secret_already_scanned(signed_in_unenrolled, clinician_user):
    signed_in_unenrolled.get(reverse("accounts:second_factor_enrol"))
    signed_in_unenrolled.get(reverse("accounts:second_factor_enrol"))
    assert TOTPDevice.objects.filter(user=clinician_user).count() == 1


def test_a_wrong_code_enrols_nothing(signed_in_unenrolled, clinician_user):
    signed_in_unenrolled.get(reverse("accounts:second_factor_enrol"))
    response = signed_in_unenrolled.post(reverse("accounts:second_factor_enrol"), {"code": "000000"})
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician_user, confirmed=True).exists()
    assert_sent_to(signed_in_unenrolled.get(reverse("patients:list")), "accounts:second_factor_enrol")


def test_the_right_code_enrols_shows_recovery_codes_once_and_opens_the_clinic(signed_in_unenrolled, clinician_user):
    signed_in_unenrolled.get(reverse("accounts:second_factor_enrol"))
    device = TOTPDevice.objects.get(user=clinician_user)
    response = signed_in_unenrolled.post(reverse("accounts:second_factor_enrol"), {"code": app_code(device)})
    assert_sent_to(response, "accounts:recovery_codes")

    page = signed_in_unenrolled.get(response.url)
    codes = set(StaticToken.objects.filter(device__user=clinician_user).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in page.content.decode() for code in codes)
    again = signed_in_unenrolled.get(response.url).content.decode()
    assert not any(code in again for code in codes)

    assert signed_in_unenrolled.get(reverse("patients:list")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.second_factor.enrolled", actor=clinician_user).exists()


def test_in_the_demo_nobody_is_sent_to_enrol(clinician_user):
    client = Client()
    password_step(client, "clinician")
    assert client.get(reverse("patients:list")).status_code == 200
