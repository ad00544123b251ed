"""A manager resets someone else's second factor, with a reason, in the audit trail; nobody
removes their own without a current code."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent

from .conftest import app_enrolled, assert_sent_to, code_step, fully_signed_in, password_step

pytestmark = pytest.mark.django_db

REASON = "Phone lost; identity checked in person."


@pytest.fixture
def enrolled(clinician_user):
    return app_enrolled(clinician_user)


def _reset(client, user, reason: str = REASON):
    return client.post(reverse("accounts:second_factor_reset", args=[user.pk]), {"reason": reason})


def test_a_manager_resets_another_users_second_factor_with_a_reason(manager_client, manager_user, clinician_user,
                                                                     enrolled):
    staff_page = manager_client.get(reverse("accounts:staff")).content.decode()
    assert reverse("accounts:second_factor_reset", args=[clinician_user.pk]) in staff_page
    assert_sent_to(_reset(manager_client, clinician_user), "accounts:staff")
    assert not TOTPDevice.objects.filter(user=clinician_user).exists()
    assert not StaticDevice.objects.filter(user=clinician_user).exists()
    event = AuditEvent.objects.get(action="accounts.second_factor.reset")
    assert event.actor == manager_user and event.object_id == str(clinician_user.pk)
    assert event.changes == {"reason": REASON, "devices_removed": 2}


def test_without_a_reason_nothing_is_reset(manager_client, clinician_user, enrolled):
    response = _reset(manager_client, clinician_user, reason="  ")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert TOTPDevice.objects.filter(user=clinician_user, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="accounts.second_factor.reset").exists()


def test_a_manager_cannot_reset_their_own_here(manager_client, manager_user):
    app_enrolled(manager_user)
    response = _reset(manager_client, manager_user)
    assert response.status_code == 200
    assert "cannot reset your own" in response.content.decode()
    assert TOTPDevice.objects.filter(user=manager_user).exists()


@pytest.mark.parametrize("persona", ["front_desk_client", "clinician_client"])
def test_only_managers_reset(request, persona, manager_user):
    device, _ = app_enrolled(manager_user)
    client = request.getfixturevalue(persona)
    assert client.get(reverse("accounts:staff")).status_code == 403
    assert _reset(client, manager_user).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_after_a_reset_the_users_verified_session_is_sent_to_enrol(two_factor_required, manager_user,
                                                                  clinician_user, enrolled):
    client = fully_signed_in(clinician_user)
    assert client.get(reverse("patients:list")).status_code == 200
    assert_sent_to(_reset(fully_signed_in(manager_user), clinician_user), "accounts:staff")
    assert_sent_to(client.get(reverse("patients:list")), "accounts:second_factor_enrol")


def test_removing_ones_own_needs_a_current_code(clinician_user, enrolled):
    _, codes = enrolled
    client = Client()
    password_step(client, "clinician")
    code_step(client, codes[0])
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.post(reverse("accounts:second_factor_remove"), {"code": "999999"})
        assert TOTPDevice.objects.filter(user=clinician_user).exists()
        traveller.shift(2)  # past django-otp's throttle after a wrong code
        client.post(reverse("accounts:second_factor_remove"), {"code": codes[1]})
    assert not TOTPDevice.objects.filter(user=clinician_user).exists()
    assert AuditEvent.objects.filter(action="accounts.second_factor.removed", actor=clinician_user).exists()
