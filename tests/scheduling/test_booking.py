"""Booking: what is stored, what is audited, and which overlaps are refused (both databases)."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from scheduling.errors import SchedulingError, SlotTaken
from scheduling.models import Appointment, AppointmentStatus
from scheduling.services import appointment_book
from tests.factories import AppointmentFactory, PatientFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


@pytest.fixture
def book(front_desk_user, clinician, room, patient, follow_up):
    def book(**overrides):
        args = dict(actor=front_desk_user, patient=patient, clinician=clinician, room=room,
                    appointment_type=follow_up, start_at=local(MONDAY, "10:00"))
        args.update(overrides)
        return appointment_book(**args)

    return book


def test_booking_stores_utc_times_and_the_type_duration(book, front_desk_user):
    appointment = book()
    appointment.refresh_from_db()
    assert appointment.start_at == dt.datetime(2026, 6, 15, 15, 0, tzinfo=dt.UTC)  # 10:00 CDT
    assert appointment.end_at - appointment.start_at == dt.timedelta(minutes=30)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.booked_by == front_desk_user == appointment.updated_by


def test_booking_is_audited_with_the_patient(book, front_desk_user, patient):
    appointment = book()
    event = AuditEvent.objects.get(action="scheduling.appointment.booked")
    assert (event.actor, event.patient, event.object_id) == (front_desk_user, patient, str(appointment.pk))
    assert event.changes["status"] == [None, "booked"]


def test_back_to_back_appointments_are_allowed(book, room2):
    booked = [book(start_at=local(MONDAY, "10:00")), book(start_at=local(MONDAY, "10:30"), room=room2),
              book(start_at=local(MONDAY, "09:30"))]

    saved = Appointment.objects.filter(status=AppointmentStatus.BOOKED).order_by("start_at")
    assert [(a.pk, a.start_at, a.end_at) for a in saved] == [
        (booked[2].pk, local(MONDAY, "09:30"), local(MONDAY, "10:00")),
        (booked[0].pk, local(MONDAY, "10:00"), local(MONDAY, "10:30")),
        (booked[1].pk, local(MONDAY, "10:30"), local(MONDAY, "11:00")),
    ]


def test_an_overlap_with_the_clinician_names_them_and_the_time(book, room2):
    book()
    with pytest.raises(SlotTaken) as refused:
        book(start_at=local(MONDAY, "10:15"), room=room2, patient=PatientFactory())
    assert str(refused.value) == "Dr. Rivera already has an appointment 10:00 AM–10:30 AM."


def test_an_overlap_in_the_room_says_the_room_is_taken(book, room, make_clinician_at):
    book()
    other = make_clinician_at(room.location, "Dr. Chen")
    with pytest.raises(SlotTaken) as refused:
        book(start_at=local(MONDAY, "10:15"), clinician=other, patient=PatientFactory())
    assert str(refused.value) == "Room 1 is taken 10:00 AM–10:30 AM."


def test_an_overlap_for_the_patient_is_refused(book, room2, make_clinician_at):
    book()
    other = make_clinician_at(room2.location, "Dr. Chen")
    with pytest.raises(SlotTaken) as refused:
        book(start_at=local(MONDAY, "10:29"), clinician=other, room=room2)
    assert str(refused.value) == "The patient already has an appointment 10:00 AM–10:30 AM."


@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
def test_cancelled_and_no_show_appointments_do_not_block(book, clinician, room, patient, status):
    AppointmentFactory(
        clinician=clinician, room=room, patient=patient, start_at=local(MONDAY, "10:00"), status=status,
        **({"cancelled_by": "patient", "cancelled_at": local(MONDAY, "08:00")} if status == "cancelled" else {}),
    )
    assert book().status == AppointmentStatus.BOOKED


def test_an_archived_patient_cannot_be_booked(book, patient):
    patient.is_archived = True
    patient.save()
    with pytest.raises(SchedulingError, match="archived"):
        book()


def test_a_plan_of_another_patient_is_refused(book, make_plan):
    with pytest.raises(SchedulingError, match="this patient's active plans"):
        book(plan=make_plan(PatientFactory()))
