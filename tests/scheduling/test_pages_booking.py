"""Booking from a patient, from an empty slot and by a set time: free times as buttons, clear
refusals (a clash names the clash), the early-injection checkbox, a manager's override, and
field errors for bad input with nothing saved."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from scheduling.models import Appointment
from tests.factories import AppointmentFactory, PatientFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

BOOK = reverse("scheduling:book")


def _set_time(patient, appointment_type, clinician, room, day=MONDAY, at="10:00", **extra):
    return {"patient": patient.pk, "appointment_type": appointment_type.pk, "clinician": clinician.pk,
            "room": room.pk, "date": day.isoformat(), "time": at, **extra}


def test_without_a_patient_the_page_asks_for_one_and_keeps_the_slot(front_desk_client, clinician, patient):
    page = front_desk_client.get(BOOK, {"q": "Lopez", "clinician": clinician.pk, "date": "2026-06-15",
                                        "time": "11:00"}).content.decode()
    assert "Maria Lopez" in page
    assert f"clinician={clinician.pk}&amp;date=2026-06-15&amp;time=11%3A00&amp;patient={patient.pk}" in page


def test_from_a_patient_the_free_times_are_buttons_and_one_click_books(
    front_desk_client, front_desk_user, patient, clinician, room, follow_up
):
    response = front_desk_client.get(BOOK, {"patient": patient.pk, "appointment_type": follow_up.pk})
    page = response.content.decode()
    assert page.count('data-testid="slot"') == 12
    assert "Fri, Jun 12, 12:00 PM" in page and "Fri, Jun 12, 11:45 AM" not in page  # from now (Friday noon)
    response = front_desk_client.post(BOOK, _set_time(patient, follow_up, clinician, room, at="09:00"))
    assert response.status_code == 302 and response.url.endswith("?date=2026-06-15")
    booked = Appointment.objects.get()
    assert (booked.patient, booked.clinician, booked.start_at) == (patient, clinician, local(MONDAY, "09:00"))
    assert booked.booked_by == front_desk_user
    assert "Booked: Maria Lopez, Follow-up with Dr. Rivera on Jun 15, 2026, 9:00 AM" in \
        front_desk_client.get(response.url).content.decode()


def test_from_an_empty_slot_the_free_times_start_at_the_clicked_time(
    front_desk_client, patient, clinician, room, follow_up
):
    page = front_desk_client.get(BOOK, {"patient": patient.pk, "clinician": clinician.pk, "date": "2026-06-15",
                                        "time": "14:00"}).content.decode()
    assert "Mon, Jun 15, 2:00 PM" in page and "Mon, Jun 15, 1:45 PM" not in page


def test_an_overlap_is_refused_naming_the_clash_and_nothing_is_saved(
    front_desk_client, patient, clinician, room, room2, follow_up
):
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "10:00"), appointment_type=follow_up)
    response = front_desk_client.post(BOOK, _set_time(patient, follow_up, clinician, room2, at="10:15"))
    assert response.status_code == 200
    assert "Dr. Rivera already has an appointment 10:00 AM–10:30 AM." in response.content.decode()
    assert Appointment.objects.count() == 1


def test_an_early_injection_needs_the_confirm_checkbox(
    front_desk_client, patient, clinician, room, injection, make_plan, sign_session
):
    plan = make_plan(patient, minimum_interval_weeks=10)
    sign_session(plan, local(MONDAY - dt.timedelta(weeks=8), "10:00"))
    data = _set_time(patient, injection, clinician, room, plan=plan.pk)
    response = front_desk_client.post(BOOK, data)
    assert "earlier than the plan&#x27;s minimum re-treatment interval" in response.content.decode()
    assert 'name="confirm_early"' in response.content.decode()
    assert not Appointment.objects.exists()
    assert front_desk_client.post(BOOK, {**data, "confirm_early": "on"}).status_code == 302
    assert Appointment.objects.get().plan == plan
    event = AuditEvent.objects.get(action="scheduling.appointment.booked")
    assert "confirmed_before_minimum_interval" in event.changes


def test_outside_hours_the_front_desk_is_refused_and_sees_no_override(front_desk_client, patient, clinician, room,
                                                                        follow_up):
    response = front_desk_client.post(BOOK, _set_time(patient, follow_up, clinician, room, at="18:00"))
    page = response.content.decode()
    assert "Dr. Rivera does not work at Lakeside Main on Monday 6:00 PM–6:30 PM" in page
    assert 'name="override_reason"' not in page
    assert not Appointment.objects.exists()


def test_a_manager_overrides_hours_only_with_a_reason(manager_client, patient, clinician, room, follow_up):
    data = _set_time(patient, follow_up, clinician, room, at="18:00")
    response = manager_client.post(BOOK, data)
    assert 'name="override_reason"' in response.content.decode()
    assert "A manager may book it anyway" in response.content.decode()
    assert not Appointment.objects.exists()
    manager_client.post(BOOK, {**data, "override_reason": "Patient works days; Dr. Rivera agreed"})
    assert Appointment.objects.get().override_reason == "Patient works days; Dr. Rivera agreed"


@pytest.mark.parametrize("bad", [
    {"date": "not a date"}, {"time": "25:99"}, {"clinician": "999999"}, {"room": "x"}, {"appointment_type": ""},
    {"plan": "424242"}, {"date": "2020-01-01"},
])
def test_bad_input_shows_field_errors_and_saves_nothing(front_desk_client, patient, clinician, room, follow_up, bad):
    response = front_desk_client.post(BOOK, {**_set_time(patient, follow_up, clinician, room), **bad})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Appointment.objects.exists()


def test_another_patients_plan_cannot_be_attached(front_desk_client, patient, clinician, room, injection, make_plan):
    theirs = make_plan(PatientFactory())
    response = front_desk_client.post(BOOK, _set_time(patient, injection, clinician, room, plan=theirs.pk))
    assert "plan" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_a_clinician_cannot_book(clinician_client, patient, clinician, room, follow_up):
    assert clinician_client.get(BOOK, {"patient": patient.pk}).status_code == 403
    assert clinician_client.post(BOOK, _set_time(patient, follow_up, clinician, room)).status_code == 403
    assert not Appointment.objects.exists()
