"""The questionnaire link travels in the appointment reminder email (English and Spanish), in
words that name no product, diagnosis or dose; the SMS reminder stays one 160-character message
without it; a visit with no plan gets no link. Sent through the real outbox path."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from outcomes.models import QuestionnaireInvitation
from patients.models import Channel
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import reminder_send
from reminders.sms_encoding import sms_size
from reminders.sweep import reminders_create
from tests.factories import AppointmentFactory, ContactConsentFactory, PatientFactory

from .questionnaire_scene import local, visit, with_email_consent

pytestmark = pytest.mark.django_db
NOW = local(2030, 6, 3, 11)  # Monday morning; the visit is Tuesday 10:00, inside both lead times
VISIT = local(2030, 6, 4, 10)
LINK = re.compile(r"https://clinic\.example/p/q/[^/\s\"]+/")
NOT_IN_A_MESSAGE = ("botox", "toxin", "migraine", "dystonia", "units", "dose", "diagnosis", "phq", "depress")


@pytest.fixture(autouse=True)
def _now(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"


@pytest.fixture
def sms_file_lines(settings, tmp_path):
    settings.REMINDERS_SMS_TRANSPORT = "reminders.transports.sms.FileSms"
    settings.REMINDERS_SMS_FILE = tmp_path / "sms.jsonl"

    def read() -> list[str]:
        return [json.loads(line)["body"] for line in settings.REMINDERS_SMS_FILE.read_text().splitlines()]

    return read


def send_reminder(appointment, channel: str) -> Reminder:
    reminders_create(NOW)
    reminder = Reminder.objects.get(appointment=appointment, kind=ReminderKind.APPOINTMENT, channel=channel)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=NOW)  # whatever the clinic's daytime rules say
    reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.SENT, reminder.last_error
    return reminder


def reminder_email(mailoutbox):
    [email] = [m for m in mailoutbox if "reminder of your appointment" in m.body or "Le recordamos" in m.body]
    return email


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Before your visit, please answer a few questions:"),
    ("es", "Antes de su visita, por favor responda unas preguntas:"),
])
def test_the_appointment_reminder_email_carries_the_questionnaire_link(mailoutbox, plan, language, words):
    plan.patient.preferred_language = language
    plan.patient.save()
    with_email_consent(plan.patient)
    send_reminder(visit(plan, start_at=VISIT), Channel.EMAIL)

    email = reminder_email(mailoutbox)
    html = email.alternatives[0][0]
    assert words in email.body
    [url] = LINK.findall(email.body)
    assert url in html
    assert not [word for word in NOT_IN_A_MESSAGE if word in (email.body + html + email.subject).lower()]
    page = Client().get(url.removeprefix("https://clinic.example"))
    assert f"Hello {plan.patient.first_name}," in page.content.decode()


def test_the_sms_reminder_has_no_questionnaire_link_and_fits_one_message(plan, sms_file_lines):
    patient = plan.patient
    patient.preferred_channel = Channel.SMS
    patient.save()
    ContactConsentFactory(patient=patient, channel=Channel.SMS, given_at=NOW)
    send_reminder(visit(plan, start_at=VISIT), Channel.SMS)
    [body] = sms_file_lines()
    assert sms_size(body).segments == 1 and "/p/q/" not in body
    assert not QuestionnaireInvitation.objects.exists()  # no link sent, so no invitation


def test_a_visit_without_a_plan_gets_no_questionnaire_link(mailoutbox):
    patient = PatientFactory()
    with_email_consent(patient)
    send_reminder(AppointmentFactory(patient=patient, start_at=VISIT), Channel.EMAIL)
    email = reminder_email(mailoutbox)
    assert "answer a few questions" not in email.body and not QuestionnaireInvitation.objects.exists()
