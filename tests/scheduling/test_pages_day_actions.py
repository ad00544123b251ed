"""The day view's buttons: confirm, check in, cancel with a reason, no-show, reschedule; the front
desk and managers may press them, clinicians see the day but not the buttons."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from scheduling.models import Appointment, AppointmentStatus, CancelledBy
from tests.factories import AppointmentFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


@pytest.fixture
def appointment(clinician, room, patient, follow_up):
    return AppointmentFactory(clinician=clinician, room=room, patient=patient, appointment_type=follow_up,
                              start_at=local(MONDAY, "10:00"))


def _post(client, name, appointment, **data):
    return client.post(reverse(f"scheduling:{name}", args=[appointment.pk]), data)


def _status(appointment) -> str:
    return Appointment.objects.get(pk=appointment.pk).status


def test_the_front_desk_confirms_then_checks_in_and_lands_back_on_that_day(front_desk_client, appointment):
    response = _post(front_desk_client, "confirm", appointment)
    assert response.status_code == 302 and response.url.endswith(f"?date={MONDAY.isoformat()}")
    assert _status(appointment) == AppointmentStatus.CONFIRMED
    page = front_desk_client.get(response.url).content.decode()
    assert "Maria Lopez (10:00 AM–10:30 AM, Dr. Rivera): confirmed." in page
    _post(front_desk_client, "check_in", appointment)
    assert _status(appointment) == AppointmentStatus.CHECKED_IN


def test_a_cancellation_records_who_and_why(front_desk_client, appointment, front_desk_user):
    _post(front_desk_client, "cancel", appointment, by=CancelledBy.CLINIC, reason="Dr. Rivera is unwell")
    cancelled = Appointment.objects.get(pk=appointment.pk)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (
        AppointmentStatus.CANCELLED, CancelledBy.CLINIC, "Dr. Rivera is unwell")
    assert AuditEvent.objects.filter(action="scheduling.appointment.cancelled", actor=front_desk_user).exists()


def test_a_cancellation_without_a_reason_changes_nothing_and_says_why(front_desk_client, appointment):
    response = _post(front_desk_client, "cancel", appointment, by=CancelledBy.PATIENT, reason="  ")
    assert _status(appointment) == AppointmentStatus.BOOKED
    assert "say who cancelled and why" in front_desk_client.get(response.url).content.decode()


def test_a_no_show_before_the_start_is_refused_with_a_message(front_desk_client, appointment):
    response = _post(front_desk_client, "no_show", appointment)
    assert _status(appointment) == AppointmentStatus.BOOKED
    assert "only once it has started" in front_desk_client.get(response.url).content.decode()


def test_a_no_show_once_started(front_desk_client, front_desk_user, appointment, time_machine):
    time_machine.move_to(local(MONDAY, "10:20"), tick=False)
    front_desk_client.force_login(front_desk_user)  # a fresh session: the old one idled out
    _post(front_desk_client, "no_show", appointment)
    assert _status(appointment) == AppointmentStatus.NO_SHOW


def test_checking_in_a_cancelled_appointment_is_refused(front_desk_client, appointment):
    _post(front_desk_client, "cancel", appointment, by=CancelledBy.PATIENT, reason="Flu")
    response = _post(front_desk_client, "check_in", appointment, next=reverse("scheduling:recall"))
    assert response.url == reverse("scheduling:recall")  # back to the page the button was on
    assert "Cannot check in an appointment that is cancelled." in front_desk_client.get(response.url).content.decode()


def test_an_outside_next_is_ignored(front_desk_client, appointment):
    response = _post(front_desk_client, "confirm", appointment, next="https://evil.example/")
    assert response.url.startswith(reverse("scheduling:day"))


def test_a_manager_may_press_the_buttons(manager_client, appointment):
    _post(manager_client, "check_in", appointment)
    assert _status(appointment) == AppointmentStatus.CHECKED_IN


def test_a_clinician_sees_the_day_but_no_buttons_and_cannot_post_them(clinician_client, appointment):
    page = clinician_client.get(f"{reverse('scheduling:day')}?date={MONDAY.isoformat()}").content.decode()
    assert "Maria Lopez" in page and "Check in" not in page
    for name in ("confirm", "check_in", "no_show", "cancel"):
        assert _post(clinician_client, name, appointment, by="patient", reason="x").status_code == 403
    assert _status(appointment) == AppointmentStatus.BOOKED


def test_the_day_view_offers_buttons_that_fit_each_status_and_free_time_to_book(front_desk_client, appointment):
    page = front_desk_client.get(f"{reverse('scheduling:day')}?date={MONDAY.isoformat()}").content.decode()
    for label in ("Confirm", "Check in", "Reschedule", "Cancel appointment"):
        assert label in page
    assert "No-show" not in page  # not started yet
    assert "Free 9:00 AM–10:00 AM" in page and "Free 10:30 AM–5:00 PM" in page
    assert f"{reverse('scheduling:book')}?clinician={appointment.clinician_id}" in page
    assert reverse("scheduling:reschedule", args=[appointment.pk]) in page
