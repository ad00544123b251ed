"""A passkey as the second factor, in a real browser: Chromium's virtual authenticator (the
DevTools WebAuthn domain) plays the security key. The clinician, made to enrol, adds a passkey,
is shown recovery codes, then signs in with password and passkey."""

from __future__ import annotations

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect

from audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def security_key(page: Page) -> None:
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True,
    }})


@pytest.fixture(autouse=True)
def _passkeys_for_the_live_server(settings, live_server):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["clinician"]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def _password(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_clinician_adds_a_passkey_and_signs_in_with_it(page: Page, security_key, screenshot, clinician_user):
    _password(page)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    assert WebAuthnCredential.objects.filter(user=clinician_user, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="accounts.second_factor.enrolled", changes__kind="passkey").exists()
    page.get_by_role("link", name="I have saved them").click()
    page.get_by_role("button", name="Sign out").click()

    _password(page)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    screenshot("passkey-step")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(re.compile(rf"/schedule/day/\?clinician={clinician_user.pk}$"))
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("clinician")
