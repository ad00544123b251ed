"""A patient reminded by SMS, whose 160 characters hold only the confirm link, confirms from it
and is then offered the visit's questionnaire: one invitation per visit, shared with the email
path, made only by the confirming POST (never by a link scanner's GET), in generic words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from outcomes.links import questionnaire_token_read
from outcomes.models import QuestionnaireInvitation
from outcomes.services import questionnaire_invitation_for_appointment
from reminders.models import Reminder, ReminderState
from reminders.sending import reminder_send
from reminders.sweep import reminders_create
from tests.outcomes.questionnaire_scene import MIGRAINE_ANSWERS, send_step

from .conftest import PRODUCT_AND_DIAGNOSIS_WORDS

pytestmark = pytest.mark.django_db
BASE = "https://clinic.example"
CONFIRM_LINK = re.compile(r"https://clinic\.example/p/c/[^/\s]+/")
QUESTIONNAIRE_LINK = re.compile(r"https://clinic\.example/p/q/[^/\s\"]+/")


@pytest.fixture
def visit(make_patient, make_plan, make_appointment, sms_gateway):
    """A visit on a plan in 20 hours, for a patient reminded by SMS (email consent too), its
    reminders written by the sweep and due now."""
    now = timezone.now()
    patient = make_patient(first_name="Quentina", last_name="Quillfeather")
    appointment = make_appointment(patient, now + dt.timedelta(hours=20), plan=make_plan(patient))
    reminders_create(now)
    Reminder.objects.filter(appointment=appointment).update(due_at=now)  # whatever the hour the suite runs at
    return appointment


def send(appointment, channel: str) -> Reminder:
    reminder = Reminder.objects.get(appointment=appointment, kind="appointment", channel=channel)
    reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.SENT, reminder.last_error
    return reminder


def confirm_path(sms_gateway) -> str:
    [body] = sms_gateway.bodies
    [url] = CONFIRM_LINK.findall(body)
    return url.removeprefix(BASE)


def test_confirming_from_the_sms_offers_a_working_questionnaire_link(visit, sms_gateway):
    send(visit, "sms")
    assert "/p/q/" not in sms_gateway.bodies[0]  # still one message, still no room for it
    page = Client().post(confirm_path(sms_gateway)).content.decode()

    assert "your appointment is confirmed" in page
    assert "Before your visit, please answer a few questions." in page
    assert "Quillfeather" not in page
    assert not [word for word in PRODUCT_AND_DIAGNOSIS_WORDS if word in page.lower()]
    [url] = QUESTIONNAIRE_LINK.findall(page)
    questionnaire = Client().get(url.removeprefix(BASE)).content.decode()
    assert "Hello Quentina," in questionnaire and "Over the last 2 weeks" in questionnaire
    assert QuestionnaireInvitation.objects.get().appointment_id == visit.pk


def test_the_email_path_and_the_sms_confirmation_share_one_invitation(visit, sms_gateway, mailoutbox):
    send(visit, "email")
    [emailed] = QUESTIONNAIRE_LINK.findall(mailoutbox[-1].body)
    send(visit, "sms")
    page = Client().post(confirm_path(sms_gateway)).content.decode()

    [offered] = QUESTIONNAIRE_LINK.findall(page)
    token = re.compile(r"/p/q/([^/]+)/")
    assert questionnaire_token_read(token.search(offered)[1]) == questionnaire_token_read(token.search(emailed)[1])
    assert QuestionnaireInvitation.objects.count() == 1


def test_opening_the_confirm_link_makes_no_invitation(visit, sms_gateway):
    send(visit, "sms")
    page = Client().get(confirm_path(sms_gateway)).content.decode()  # a link preview, or the patient looking
    assert "Confirm your appointment" in page and "answer a few questions" not in page
    assert not QuestionnaireInvitation.objects.exists()


def test_no_offer_once_the_questions_are_answered(visit, sms_gateway):
    invitation = questionnaire_invitation_for_appointment(appointment=visit)  # as the email made it
    for code in invitation.instruments_asked:  # answered in full from the emailed link
        send_step(Client(), invitation, code, MIGRAINE_ANSWERS[code])
    invitation.refresh_from_db()
    assert invitation.completed_at is not None
    send(visit, "sms")
    page = Client().post(confirm_path(sms_gateway)).content.decode()
    assert "your appointment is confirmed" in page and "/p/q/" not in page
