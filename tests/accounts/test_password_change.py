"""Every staff member can change their own password; the change is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent

from .conftest import assert_sent_to, password_step

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet-93"


def test_a_signed_in_user_changes_their_password_and_it_is_audited(front_desk_client, front_desk_user):
    response = front_desk_client.post(reverse("accounts:password_change"), {
        "old_password": "correct-horse-battery", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert_sent_to(response, "accounts:password_change_done")
    assert front_desk_client.get(reverse("patients:list")).status_code == 200  # still signed in
    assert password_step(Client(), "frontdesk", NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password.changed", actor=front_desk_user).exists()


def test_a_wrong_old_password_changes_nothing(front_desk_client):
    response = front_desk_client.post(reverse("accounts:password_change"), {
        "old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    assert password_step(Client(), "frontdesk").status_code == 302
