"""The database itself refuses overlaps on PostgreSQL, even for a write that skips the service;
on SQLite the constraints are not created (migrations still apply) and the service guards alone."""

import pytest
from django.db import IntegrityError, connection, transaction

from scheduling.models import Appointment, AppointmentStatus
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory

from .conftest import MONDAY, local

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's")


def _exclusion_constraint_names() -> set[str]:
    with connection.cursor() as cursor:
        return {
            name for name, kind in connection.introspection.get_constraints(cursor, "scheduling_appointment").items()
            if kind.get("type") == "gist" or name.startswith("no_overlapping_")
        }


@on_postgres
def test_postgres_has_the_three_exclusion_constraints():
    assert _exclusion_constraint_names() >= {
        "no_overlapping_appointments_per_clinician",
        "no_overlapping_appointments_per_room",
        "no_overlapping_appointments_per_patient",
    }


@on_postgres
def test_postgres_refuses_an_overlapping_row_written_around_the_service(clinician, room, patient):
    AppointmentFactory(clinician=clinician, room=room, patient=patient, start_at=local(MONDAY, "10:00"))
    with pytest.raises(IntegrityError, match="no_overlapping_appointments_per_clinician"), transaction.atomic():
        AppointmentFactory(clinician=clinician, room=RoomFactory(location=room.location), patient=PatientFactory(),
                           start_at=local(MONDAY, "10:15"))


@on_postgres
def test_postgres_allows_back_to_back_and_cancelled_rows(clinician, room, patient):
    AppointmentFactory(clinician=clinician, room=room, patient=patient, start_at=local(MONDAY, "10:00"))
    AppointmentFactory(clinician=clinician, room=room, patient=patient, start_at=local(MONDAY, "10:30"))
    AppointmentFactory(clinician=clinician, room=room, patient=patient, start_at=local(MONDAY, "10:00"),
                       status=AppointmentStatus.NO_SHOW)

    rows = Appointment.objects.filter(clinician=clinician).order_by("start_at", "status")
    assert [(row.start_at, row.status) for row in rows] == [
        (local(MONDAY, "10:00"), AppointmentStatus.BOOKED),
        (local(MONDAY, "10:00"), AppointmentStatus.NO_SHOW),
        (local(MONDAY, "10:30"), AppointmentStatus.BOOKED),
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_has_no_exclusion_constraints():
    assert not _exclusion_constraint_names()
