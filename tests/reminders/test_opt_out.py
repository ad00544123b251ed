"""Reliability row "Opt-out": "STOP", "stop please", "Cancel" by SMS and the web link stop further SMS
at once; at most one confirmation text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from patients.models import ContactConsent
from reminders.links import LinkPurpose
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.patient_actions import is_opt_out
from reminders.sending import reminder_send

from .conftest import link_path, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def daytime(time_machine):
    time_machine.move_to(local(2026, 6, 15, 11), tick=False)


def reply(client, settings, patient, body: str, *, signature: str | None = None):
    url = settings.REMINDERS_PUBLIC_BASE_URL + reverse("reminders:sms_inbound")
    form = {"From": str(patient.phone), "To": settings.TWILIO_FROM_NUMBER, "Body": body, "MessageSid": "SM1"}
    signature = signature or RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, form)
    return client.post(reverse("reminders:sms_inbound"), form, HTTP_X_TWILIO_SIGNATURE=signature)


def sms_consent(patient) -> bool:
    return ContactConsent.objects.filter(patient=patient, channel="sms", withdrawn_at__isnull=True).exists()


@pytest.mark.parametrize("body", ["STOP", "stop please", "Cancel", "  Opt out  ", "unsubscribe me", "QUIT."])
def test_an_opt_out_reply_stops_sms_at_once_with_one_confirmation(
    body, daytime, client, settings, sms_gateway, due_sms_reminder
):
    reminder = due_sms_reminder()

    assert reply(client, settings, reminder.patient, body).status_code == 200
    assert reply(client, settings, reminder.patient, body).status_code == 200  # a second STOP

    assert not sms_consent(reminder.patient)
    reminder.refresh_from_db()
    assert (reminder.state, reminder.skip_reason) == (ReminderState.CANCELLED, "patient opted out")
    confirmation = Reminder.objects.get(patient=reminder.patient, kind=ReminderKind.OPT_OUT_CONFIRMATION)
    assert reminder_send(reminder_id=confirmation.pk) == ReminderState.SENT
    assert reminder_send(reminder_id=reminder.pk) == "not claimed"
    assert len(sms_gateway.requests) == 1
    assert "no more texts" in sms_gateway.bodies[0]


def test_a_row_already_queued_is_not_sent_after_the_opt_out(daytime, client, settings, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    Reminder.objects.filter(pk=reminder.pk).update(state=ReminderState.SCHEDULED)
    ContactConsent.objects.filter(patient=reminder.patient, channel="sms").update(withdrawn_at=local(2026, 6, 15, 10))
    assert reminder_send(reminder_id=reminder.pk) == ReminderState.SKIPPED  # checked before every send
    assert sms_gateway.requests == []


def test_the_web_link_opts_out_with_no_text_sent(daytime, client, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    url = link_path(reminder, LinkPurpose.OPT_OUT)

    page = client.get(url)
    assert sms_consent(reminder.patient)  # opening the link (or a link preview) changes nothing
    assert reminder.patient.first_name in page.content.decode()
    assert client.post(url).status_code == 200

    assert not sms_consent(reminder.patient)
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.CANCELLED
    assert not Reminder.objects.filter(kind=ReminderKind.OPT_OUT_CONFIRMATION).exists()
    assert sms_gateway.requests == []


def test_a_forged_webhook_is_refused(daytime, client, settings, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    assert reply(client, settings, reminder.patient, "STOP", signature="forged").status_code == 403
    assert sms_consent(reminder.patient)


def test_replying_c_confirms_the_next_appointment(daytime, client, settings, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    reply(client, settings, reminder.patient, "c")
    assert reminder.appointment.__class__.objects.get(pk=reminder.appointment_id).status == "confirmed"
    assert sms_consent(reminder.patient)


@pytest.mark.parametrize("body", ["Yes see you then", "C you soon", "Thanks"])
def test_other_replies_change_nothing(body):
    assert not is_opt_out(body)
