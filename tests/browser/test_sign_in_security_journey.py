"""Sign-in with a second factor, in a real browser, with production's rule (every role must):
a clinician is sent to enrol, reads the key off the page into "their app" (django-otp's own TOTP),
signs out and in with password and code, uses a recovery code once and not twice; a manager
resets the clinician's second factor (audited), and the clinician is sent to enrol again."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _every_role_must(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["front desk", "clinician", "manager"]


def _code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret``; ``steps_ahead`` gives a later code, which
    django-otp accepts (one step of drift) when this step's code has been used already."""
    totp = TOTP(base64.b32decode(secret), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _second_step(page: Page, code: str) -> None:
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _enrol(page: Page, screenshot) -> tuple[str, list[str]]:
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    screenshot("enrol")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(_code(secret))
    page.get_by_role("button", name="Confirm the app").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    page.get_by_role("link", name="I have saved them").click()
    return secret, codes


def test_a_clinician_enrols_signs_in_with_a_code_and_a_recovery_code_once(
    page: Page, screenshot, clinician_user, manager_user
):
    _password(page, "clinician")
    page.goto("/patients/")  # nothing else is reachable before enrolling
    secret, codes = _enrol(page, screenshot)
    assert len(codes) == 10
    expect(page).to_have_url(re.compile(r"/patients/$"))  # where they were going
    screenshot("enrolled")

    _sign_out(page)
    _password(page, "clinician")
    _second_step(page, _code(secret, steps_ahead=1))
    expect(page).to_have_url(re.compile(rf"/schedule/day/\?clinician={clinician_user.pk}$"))

    _sign_out(page)
    _password(page, "clinician")
    _second_step(page, codes[0])
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("clinician")
    expect(page).to_have_url(re.compile(r"/schedule/day/"))

    _sign_out(page)
    _password(page, "clinician")
    _second_step(page, codes[0])
    expect(page.get_by_text("That code is not right, or has been used")).to_be_visible()
    page.goto("/patients/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    page.get_by_role("button", name="Sign out").click()

    # The manager, with an app of their own, resets the clinician's second factor.
    manager_device = TOTPDevice.objects.create(user=manager_user, name="Authenticator app", confirmed=True)
    _password(page, "manager")
    _second_step(page, _code(base64.b32encode(manager_device.bin_key).decode()))
    page.get_by_role("button", name="More").click()  # back-office pages share one menu
    page.get_by_role("link", name="Staff sign-in").click()
    page.get_by_test_id("staff-clinician").get_by_role("link", name="Reset second factor").click()
    page.get_by_label("Reason").fill("Phone lost; identity checked at the desk.")
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_role("alert")).to_contain_text("second factor was reset")
    expect(page.get_by_test_id("staff-clinician")).to_contain_text("none")
    event = AuditEvent.objects.get(action="accounts.second_factor.reset")
    assert event.actor == manager_user and event.changes["reason"] == "Phone lost; identity checked at the desk."
    page.goto(reverse("audit:list"))
    expect(page.get_by_text("accounts.second_factor.reset")).to_be_visible()
    _sign_out(page)

    # Without a second factor now, the clinician is sent to enrol again after the password.
    _password(page, "clinician")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
