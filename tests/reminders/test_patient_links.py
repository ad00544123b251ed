"""RELIABILITY "Patient links": tampered, expired and reused tokens are refused with a friendly
page and no PHI; a link does one thing, once; cancelling inside the notice period is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from reminders.links import LinkPurpose, link_url
from reminders.models import Reminder, ReminderKind
from reminders.sweep import reminders_create
from scheduling.models import Appointment

from .conftest import local

pytestmark = pytest.mark.django_db
NOW = local(2026, 6, 15, 11)


@pytest.fixture
def reminder(time_machine, make_patient, make_appointment, settings):
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"
    time_machine.move_to(NOW, tick=False)
    patient = make_patient(first_name="Quentina", last_name="Quillfeather")
    make_appointment(patient, local(2026, 6, 19, 10))
    reminders_create(NOW)
    return Reminder.objects.get(kind=ReminderKind.BOOKING_CONFIRMATION)


def path(purpose: LinkPurpose, reminder_id: int) -> str:
    return link_url(purpose, reminder_id).removeprefix("https://clinic.example")


def assert_refused_without_phi(response) -> None:
    body = response.content.decode()
    assert response.status_code == 200
    assert "This link no longer works" in body
    assert "Quentina" not in body and "Quillfeather" not in body and "June" not in body


def status(reminder) -> str:
    return Appointment.objects.get(pk=reminder.appointment_id).status


def test_the_page_shows_only_the_first_name_and_the_time(client, reminder):
    body = client.get(path(LinkPurpose.CONFIRM, reminder.pk)).content.decode()
    assert "Quentina" in body and "Friday 19 June 2026, 10:00" in body
    assert "Quillfeather" not in body and reminder.patient.mrn not in body


def test_confirm_works_once(client, reminder):
    url = path(LinkPurpose.CONFIRM, reminder.pk)
    assert client.post(url).status_code == 200
    assert status(reminder) == "confirmed"
    assert_refused_without_phi(client.post(url))
    assert_refused_without_phi(client.get(url))


def test_a_tampered_token_is_refused(client, reminder):
    url = path(LinkPurpose.CANCEL, reminder.pk)
    token = url.split("/")[-2]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert_refused_without_phi(client.post(url.replace(token, forged)))
    other_id = url.replace(token, path(LinkPurpose.CANCEL, reminder.pk + 1).split("/")[-2][:2] + token[2:])
    assert_refused_without_phi(client.post(other_id))
    assert status(reminder) == "booked"


def test_a_token_for_one_purpose_cannot_do_another(client, reminder):
    confirm_token = path(LinkPurpose.CONFIRM, reminder.pk).split("/")[-2]
    assert_refused_without_phi(client.post(f"/p/x/{confirm_token}/"))
    assert status(reminder) == "booked"


def test_an_expired_token_is_refused(client, reminder, time_machine):
    url = path(LinkPurpose.OPT_OUT, reminder.pk)
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)
    assert_refused_without_phi(client.get(url))


def test_cancelling_works_with_notice_and_cancels_the_pending_reminders(client, reminder):
    assert client.post(path(LinkPurpose.CANCEL, reminder.pk)).status_code == 200
    appointment = Appointment.objects.get(pk=reminder.appointment_id)
    assert (appointment.status, appointment.cancelled_by) == ("cancelled", "patient")
    assert Reminder.objects.get(pk=reminder.pk).state == "cancelled"


def test_cancelling_inside_the_notice_period_is_refused_with_the_clinic_phone(client, reminder, time_machine,
                                                                             settings):
    time_machine.move_to(local(2026, 6, 18, 12), tick=False)  # 22 hours before
    url = path(LinkPurpose.CANCEL, reminder.pk)
    body = client.post(url).content.decode()
    assert "too late to cancel online" in body and settings.CLINIC_PHONE in body
    assert status(reminder) == "booked"


def test_a_link_for_a_time_that_has_moved_is_refused(client, reminder):
    Appointment.objects.filter(pk=reminder.appointment_id).update(start_at=local(2026, 6, 22, 10),
                                                                  end_at=local(2026, 6, 22, 10, 30))
    assert_refused_without_phi(client.post(path(LinkPurpose.CONFIRM, reminder.pk)))
