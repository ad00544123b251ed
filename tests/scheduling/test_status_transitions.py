"""The appointment lifecycle: booked → confirmed → checked in → completed, or cancelled / no-show.
Each step is guarded (a wrong one raises a clear error and changes nothing) and audited."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from scheduling.errors import InvalidTransition, SchedulingError, SlotTaken
from scheduling.models import AppointmentStatus, CancelledBy
from scheduling.services import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_reschedule,
)
from tests.factories import AppointmentFactory, PatientFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


@pytest.fixture
def appointment(front_desk_user, clinician, room, patient, follow_up):
    return appointment_book(actor=front_desk_user, patient=patient, clinician=clinician, room=room,
                            appointment_type=follow_up, start_at=local(MONDAY, "10:00"))


def test_the_happy_path_is_audited_step_by_step(appointment, front_desk_user, clinician, time_machine):
    appointment_confirm(actor=front_desk_user, appointment=appointment)
    time_machine.move_to(local(MONDAY, "09:50"), tick=False)
    checked_in = appointment_check_in(actor=front_desk_user, appointment=appointment)
    assert checked_in.checked_in_at == local(MONDAY, "09:50")
    done = appointment_complete(actor=clinician, appointment=appointment)
    assert done.status == AppointmentStatus.COMPLETED and done.updated_by == clinician
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "scheduling.appointment.booked", "scheduling.appointment.confirmed",
        "scheduling.appointment.checked_in", "scheduling.appointment.completed",
    ]
    assert AuditEvent.objects.get(action="scheduling.appointment.completed").changes["status"] == [
        "checked_in", "completed",
    ]


def test_a_booked_appointment_can_be_checked_in_without_confirming(appointment, front_desk_user):
    assert appointment_check_in(actor=front_desk_user, appointment=appointment).status == "checked_in"


def test_cancelling_records_who_why_and_when(appointment, front_desk_user):
    cancelled = appointment_cancel(actor=front_desk_user, appointment=appointment, by=CancelledBy.PATIENT,
                                   reason="Flu")
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == ("cancelled", "patient", "Flu")
    assert cancelled.cancelled_at == local(dt.date(2026, 6, 12), "12:00")


def test_cancelling_needs_a_reason(appointment, front_desk_user):
    with pytest.raises(SchedulingError, match="Say why"):
        appointment_cancel(actor=front_desk_user, appointment=appointment, by=CancelledBy.CLINIC, reason=" ")


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (AppointmentStatus.CANCELLED, appointment_confirm),
        (AppointmentStatus.CANCELLED, appointment_check_in),
        (AppointmentStatus.COMPLETED, appointment_check_in),
        (AppointmentStatus.BOOKED, appointment_complete),
        (AppointmentStatus.CONFIRMED, appointment_confirm),
        (AppointmentStatus.NO_SHOW, appointment_check_in),
    ],
)
def test_a_wrong_step_is_refused_and_changes_nothing(clinician, room, patient, front_desk_user, status, step):
    extra = {"cancelled_by": "clinic", "cancelled_at": local(MONDAY, "08:00")} if status == "cancelled" else {}
    appointment = AppointmentFactory(clinician=clinician, room=room, patient=patient,
                                     start_at=local(MONDAY, "10:00"), status=status, **extra)
    with pytest.raises(InvalidTransition, match="Cannot"):
        step(actor=front_desk_user, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == status
    assert not AuditEvent.objects.exists()


def test_a_stale_copy_cannot_undo_a_cancellation(appointment, front_desk_user):
    stale = type(appointment).objects.get(pk=appointment.pk)
    appointment_cancel(actor=front_desk_user, appointment=appointment, by=CancelledBy.CLINIC, reason="Ill")
    with pytest.raises(InvalidTransition, match="cancelled"):
        appointment_check_in(actor=front_desk_user, appointment=stale)


def test_no_show_only_once_the_appointment_has_started(appointment, front_desk_user, time_machine):
    with pytest.raises(InvalidTransition, match="once it has started"):
        appointment_mark_no_show(actor=front_desk_user, appointment=appointment)
    time_machine.move_to(local(MONDAY, "10:20"), tick=False)
    assert appointment_mark_no_show(actor=front_desk_user, appointment=appointment).status == "no_show"


def test_rescheduling_moves_the_time_and_asks_for_a_new_confirmation(appointment, front_desk_user):
    appointment_confirm(actor=front_desk_user, appointment=appointment)
    moved = appointment_reschedule(actor=front_desk_user, appointment=appointment, start_at=local(MONDAY, "14:00"))
    assert (moved.start_at, moved.end_at - moved.start_at) == (local(MONDAY, "14:00"), dt.timedelta(minutes=30))
    assert moved.status == AppointmentStatus.BOOKED
    event = AuditEvent.objects.get(action="scheduling.appointment.rescheduled")
    assert set(event.changes) == {"start_at", "end_at", "status"}


def test_rescheduling_by_a_few_minutes_does_not_clash_with_itself(appointment, front_desk_user):
    assert appointment_reschedule(actor=front_desk_user, appointment=appointment, start_at=local(MONDAY, "10:15")).pk


def test_rescheduling_into_another_appointment_is_refused(appointment, front_desk_user, room2, follow_up, clinician):
    appointment_book(actor=front_desk_user, patient=PatientFactory(), clinician=clinician, room=room2,
                     appointment_type=follow_up, start_at=local(MONDAY, "11:00"))
    with pytest.raises(SlotTaken, match=r"Dr\. Rivera already has an appointment 11:00 AM–11:30 AM"):
        appointment_reschedule(actor=front_desk_user, appointment=appointment, start_at=local(MONDAY, "11:15"))


def test_completing_an_injection_links_the_session(
    appointment, front_desk_user, clinician, make_plan, patient, sign_session
):
    session = sign_session(make_plan(patient), local(MONDAY, "10:05"))
    appointment_check_in(actor=front_desk_user, appointment=appointment)
    done = appointment_complete(actor=clinician, appointment=appointment, session=session)
    assert session.appointment == done
