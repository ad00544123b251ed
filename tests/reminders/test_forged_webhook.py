"""Reliability row "Forged webhook": with no Twilio auth token, every inbound SMS is refused (403) and
the log says why, since a signature made with the same empty key would otherwise pass; with a
token, a request signed with another key is refused. Neither opts anyone out nor confirms."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from patients.models import ContactConsent
from scheduling.models import Appointment

from .conftest import local

pytestmark = pytest.mark.django_db
PUBLIC_URL = "https://clinic.example"


@pytest.fixture
def appointment(time_machine, make_patient, make_appointment, settings):
    settings.REMINDERS_PUBLIC_BASE_URL = PUBLIC_URL
    time_machine.move_to(local(2026, 6, 15, 11), tick=False)
    return make_appointment(make_patient(), local(2026, 6, 16, 10))


def post_signed(client, patient, body: str, *, key: str):
    """A POST as Twilio makes it: form fields, signed over our public URL with ``key``."""
    form = {"From": str(patient.phone), "To": "+13125550100", "Body": body, "MessageSid": "SM1"}
    signature = RequestValidator(key).compute_signature(PUBLIC_URL + reverse("reminders:sms_inbound"), form)
    return client.post(reverse("reminders:sms_inbound"), form, HTTP_X_TWILIO_SIGNATURE=signature)


def nothing_changed(appointment) -> bool:
    consent = ContactConsent.objects.filter(patient=appointment.patient, channel="sms", withdrawn_at__isnull=True)
    return consent.exists() and Appointment.objects.get(pk=appointment.pk).status == "booked"


@pytest.mark.parametrize("token", ["", "   "], ids=["empty", "blank"])
@pytest.mark.parametrize("key", ["", "a-guessed-key"], ids=["signed-with-an-empty-key", "signed-with-a-wrong-key"])
def test_without_a_token_every_inbound_sms_is_refused_and_logged(client, appointment, settings, caplog, token, key):
    settings.TWILIO_AUTH_TOKEN = token
    with caplog.at_level(logging.WARNING, logger="reminders.views"):
        for body in ("STOP", "C"):
            assert post_signed(client, appointment.patient, body, key=key).status_code == 403
    assert nothing_changed(appointment)
    assert "TWILIO_AUTH_TOKEN is not set" in caplog.text


def test_with_no_token_setting_at_all_the_webhook_refuses(client, appointment, settings):
    del settings.TWILIO_AUTH_TOKEN
    assert post_signed(client, appointment.patient, "STOP", key="").status_code == 403
    assert nothing_changed(appointment)


def test_with_a_token_a_request_signed_with_another_key_is_refused_and_logged(client, appointment, settings, caplog):
    settings.TWILIO_AUTH_TOKEN = "the-real-token"
    with caplog.at_level(logging.WARNING, logger="reminders.views"):
        assert post_signed(client, appointment.patient, "STOP", key="").status_code == 403
        assert post_signed(client, appointment.patient, "C", key="another-token").status_code == 403
    assert nothing_changed(appointment)
    assert "X-Twilio-Signature does not match" in caplog.text
    assert post_signed(client, appointment.patient, "C", key="the-real-token").status_code == 200  # the real one
    assert Appointment.objects.get(pk=appointment.pk).status == "confirmed"
