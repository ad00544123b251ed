"""The patient page lists upcoming and past appointments in one query, whatever their number."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.models import AppointmentStatus, CancelledBy
from tests.factories import AppointmentFactory, RoomFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


def _page(client, patient):
    return client.get(reverse("patients:detail", args=[patient.pk]))


def test_upcoming_soonest_first_and_past_latest_first(front_desk_client, patient, clinician, room, follow_up):
    AppointmentFactory(patient=patient, clinician=clinician, room=room, appointment_type=follow_up,
                       start_at=local(MONDAY + dt.timedelta(days=7), "10:00"))
    soon = AppointmentFactory(patient=patient, clinician=clinician, room=room, appointment_type=follow_up,
                              start_at=local(MONDAY, "11:00"))
    AppointmentFactory(patient=patient, clinician=clinician, room=room, appointment_type=follow_up,
                       start_at=local(MONDAY - dt.timedelta(days=30), "09:00"), status=AppointmentStatus.COMPLETED)
    AppointmentFactory(patient=patient, clinician=clinician, room=room, appointment_type=follow_up,
                       start_at=local(MONDAY + dt.timedelta(days=1), "09:00"), status=AppointmentStatus.CANCELLED,
                       cancelled_by=CancelledBy.PATIENT, cancel_reason="Away", cancelled_at=local(MONDAY, "08:00"))
    response = _page(front_desk_client, patient)
    upcoming, past = response.context["upcoming_appointments"], response.context["past_appointments"]
    assert upcoming[0] == soon and len(upcoming) == 2
    assert [a.status for a in past] == [AppointmentStatus.CANCELLED, AppointmentStatus.COMPLETED]
    page = response.content.decode()
    assert "Jun 15, 2026, 11:00 AM" in page and "Cancelled by patient: Away" in page
    assert reverse("scheduling:reschedule", args=[soon.pk]) in page
    assert f"{reverse('scheduling:book')}?patient={patient.pk}" in page


def test_a_clinician_sees_the_appointments_without_booking_buttons(clinician_client, patient, clinician, room):
    AppointmentFactory(patient=patient, clinician=clinician, room=room, start_at=local(MONDAY, "11:00"))
    page = _page(clinician_client, patient).content.decode()
    assert "Jun 15, 2026, 11:00 AM" in page and reverse("scheduling:book") not in page


def test_the_patient_page_query_count_stays_flat(front_desk_client, patient, clinician, location):
    rooms = [RoomFactory(location=location) for _ in range(3)]

    def fill(numbers):
        for n in numbers:
            AppointmentFactory(patient=patient, clinician=clinician, room=rooms[n % 3],
                               start_at=local(MONDAY + dt.timedelta(days=n - 20), "10:00"))

    fill(range(1))
    _page(front_desk_client, patient)  # the first view also starts the audit chain
    with CaptureQueriesContext(connection) as one:
        _page(front_desk_client, patient)
    fill(range(1, 40))
    with CaptureQueriesContext(connection) as forty:
        response = _page(front_desk_client, patient)
    assert len(response.context["upcoming_appointments"]) + len(response.context["past_appointments"]) == 40
    assert len(forty) == len(one), [q["sql"] for q in forty.captured_queries]
