"""Reliability row "Patient links": a link does one thing, once, for its appointment time; a tampered
or unknown link answers 404 and an expired, used or outdated one 410, each with the friendly
page and no PHI; a used confirm link says the visit is already confirmed; a cancel link inside
the notice period says so before it offers any button."""

from __future__ import annotations

import datetime as dt

import pytest

from reminders.links import LinkPurpose
from reminders.models import Reminder, ReminderKind
from reminders.sweep import reminders_create
from scheduling.models import Appointment

from .conftest import link_path, local

pytestmark = pytest.mark.django_db
NOW = local(2026, 6, 15, 11)
REFUSED = "This link no longer works"


@pytest.fixture
def reminder(time_machine, make_patient, make_appointment, settings):
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"
    time_machine.move_to(NOW, tick=False)
    patient = make_patient(first_name="Quentina", last_name="Quillfeather")
    make_appointment(patient, local(2026, 6, 19, 10))
    reminders_create(NOW)
    return Reminder.objects.get(kind=ReminderKind.BOOKING_CONFIRMATION)


def assert_no_phi(response) -> str:
    body = response.content.decode()
    assert "Quentina" not in body and "Quillfeather" not in body and "June" not in body
    return body


def assert_refused(response, status: int) -> None:
    assert response.status_code == status
    assert REFUSED in assert_no_phi(response)


def status(reminder) -> str:
    return Appointment.objects.get(pk=reminder.appointment_id).status


def test_the_page_shows_only_the_first_name_and_the_time(client, reminder):
    body = client.get(link_path(reminder, LinkPurpose.CONFIRM)).content.decode()
    assert "Quentina" in body and "Jun 19, 2026, 10:00 AM" in body
    assert "Quillfeather" not in body and reminder.patient.mrn not in body


def test_confirm_works_once_then_says_already_confirmed_with_410(client, reminder):
    url = link_path(reminder, LinkPurpose.CONFIRM)
    assert client.post(url).status_code == 200
    assert status(reminder) == "confirmed"
    for again in (client.post(url), client.get(url)):
        assert again.status_code == 410
        assert "already confirmed" in assert_no_phi(again)


def test_a_used_cancel_or_opt_out_link_answers_410(client, reminder):
    opt_out = link_path(reminder, LinkPurpose.OPT_OUT)
    assert client.post(opt_out).status_code == 200
    assert_refused(client.get(opt_out), 410)
    cancel = link_path(reminder, LinkPurpose.CANCEL)
    assert client.post(cancel).status_code == 200
    assert_refused(client.post(cancel), 410)


def test_a_tampered_or_unknown_code_answers_404_and_changes_nothing(client, reminder):
    url = link_path(reminder, LinkPurpose.CANCEL)
    code = url.split("/")[-2]
    forged = code[:-1] + ("a" if code[-1] != "a" else "b")
    assert_refused(client.post(url.replace(code, forged)), 404)
    assert_refused(client.get(url.replace(code, "not-a-code")), 404)
    assert status(reminder) == "booked"


def test_a_code_for_one_purpose_cannot_do_another(client, reminder):
    confirm_code = link_path(reminder, LinkPurpose.CONFIRM).split("/")[-2]
    assert_refused(client.post(f"/p/x/{confirm_code}/"), 404)
    assert status(reminder) == "booked"


def test_an_expired_link_answers_410(client, reminder, time_machine):
    url = link_path(reminder, LinkPurpose.OPT_OUT)
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)
    assert_refused(client.get(url), 410)


def test_cancelling_works_with_notice_and_cancels_the_pending_reminders(client, reminder):
    assert client.post(link_path(reminder, LinkPurpose.CANCEL)).status_code == 200
    appointment = Appointment.objects.get(pk=reminder.appointment_id)
    assert (appointment.status, appointment.cancelled_by) == ("cancelled", "patient")
    assert Reminder.objects.get(pk=reminder.pk).state == "cancelled"


def test_a_cancel_link_inside_the_notice_period_says_so_before_offering_a_button(client, reminder, time_machine,
                                                                                 settings):
    url = link_path(reminder, LinkPurpose.CANCEL)
    assert "<button" in client.get(url).content.decode()  # with notice: the button
    time_machine.move_to(local(2026, 6, 18, 12), tick=False)  # 22 hours before
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "too late to cancel online" in body and settings.CLINIC_PHONE in body
    assert "<button" not in body
    assert "too late to cancel online" in client.post(url).content.decode()  # a page opened earlier
    assert status(reminder) == "booked"


def test_a_link_for_a_time_that_has_moved_answers_410(client, reminder):
    url = link_path(reminder, LinkPurpose.CONFIRM)
    Appointment.objects.filter(pk=reminder.appointment_id).update(start_at=local(2026, 6, 22, 10),
                                                                  end_at=local(2026, 6, 22, 10, 30))
    assert_refused(client.post(url), 410)
