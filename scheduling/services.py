"""Writes to the schedule. Each is atomic and audited; refusals raise ``scheduling.errors``.

No double booking, on two databases:
- PostgreSQL: three exclusion constraints (clinician, room, patient) make an overlapping insert
  fail even when two requests pass the pre-check at the same moment; we turn that
  IntegrityError into the same clear ``SlotTaken`` message.
- SQLite: ``transaction_mode=IMMEDIATE`` takes the write lock at BEGIN, so the check and the
  insert below run with no other writer in between.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.roles import Role, roles_of
from audit.services import audit_record, changes_between, configuration_save, field_values
from clinic.clock import local_date, local_instant
from patients.models import Patient
from treatments.models import InjectionSession, PlanStatus, TreatmentPlan
from treatments.selectors import plan_earliest_retreatment_date

from .errors import (
    EarlyRetreatmentNeedsConfirmation,
    InvalidTransition,
    NeedsManagerOverride,
    SchedulingError,
    SlotTaken,
)
from .hooks import AppointmentChanged, appointment_changed
from .models import (
    MAX_APPOINTMENT_LENGTH,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CancelledBy,
    Location,
    Room,
    TimeOff,
    WorkingHours,
)
from .selectors import appointment_conflicts, clinician_unavailability

# What an appointment's audit entries show, before and after.
AUDITED_FIELDS = (
    "patient_id", "clinician_id", "room_id", "appointment_type_id", "plan_id", "session_id", "start_at", "end_at",
    "status", "override_reason", "checked_in_at", "cancelled_by", "cancel_reason", "cancelled_at",
)


def _check_when(start_at: dt.datetime, end_at: dt.datetime) -> None:
    if timezone.is_naive(start_at) or timezone.is_naive(end_at):
        raise ValueError("Appointment times must be timezone-aware.")
    if end_at <= start_at:
        raise SchedulingError("The appointment must end after it starts.")
    if end_at - start_at > MAX_APPOINTMENT_LENGTH:
        raise SchedulingError(f"An appointment lasts at most {MAX_APPOINTMENT_LENGTH.seconds // 3600} hours.")


def _check_can_book(*, patient: Patient, room: Room, appointment_type: AppointmentType, plan) -> None:
    if patient.is_archived:
        raise SchedulingError("This patient is archived; restore them before booking.")
    if not (room.is_active and room.location.is_active):
        raise SchedulingError(f"{room} at {room.location} is not in use.")
    if not appointment_type.is_active:
        raise SchedulingError(f"'{appointment_type}' appointments are no longer booked.")
    if plan is not None and (plan.patient_id != patient.pk or plan.status != PlanStatus.ACTIVE):
        raise SchedulingError("The treatment plan must be one of this patient's active plans.")


def _check_availability(
    *, actor: Any, clinician, room: Room, start_at: dt.datetime, end_at: dt.datetime, override_reason: str | None
) -> str:
    """Hours and time off. Returns the override reason to store ('' when none was needed)."""
    reasons = clinician_unavailability(clinician=clinician, location=room.location, start_at=start_at, end_at=end_at)
    if not reasons:
        return ""
    override_reason = (override_reason or "").strip()
    if not override_reason or Role.MANAGER not in roles_of(actor):
        raise NeedsManagerOverride(
            "; ".join(reasons) + ". A manager may book it anyway, giving a reason."
        )
    return override_reason


def _check_interval(*, plan: TreatmentPlan | None, appointment_type: AppointmentType, start_at, confirm_early: bool):
    """The plan's minimum re-treatment interval: returns the earliest date when confirmed early."""
    if plan is None or not appointment_type.is_injection:
        return None
    earliest = plan_earliest_retreatment_date(plan, before=start_at)
    if earliest is None or local_date(start_at) >= earliest:
        return None
    if not confirm_early:
        raise EarlyRetreatmentNeedsConfirmation(earliest)
    return earliest


def _save_without_overlap(appointment: Appointment, *, update_fields: list[str] | None = None) -> None:
    """Save, turning a PostgreSQL exclusion violation (a racing booking won) into ``SlotTaken``."""
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction can still ask why
            appointment.save(update_fields=update_fields)
    except IntegrityError as error:
        if "overlapping" not in str(error):
            raise
        reasons = appointment_conflicts(
            start_at=appointment.start_at, end_at=appointment.end_at, clinician=appointment.clinician,
            room=appointment.room, patient=appointment.patient, exclude_pk=appointment.pk,
        )
        raise SlotTaken(reasons or ["That time was just taken"]) from error


@transaction.atomic
def appointment_book(
    *,
    actor: Any,
    patient: Patient,
    clinician: Any,
    room: Room,
    appointment_type: AppointmentType,
    start_at: dt.datetime,
    end_at: dt.datetime | None = None,
    plan: TreatmentPlan | None = None,
    override_reason: str | None = None,
    confirm_early: bool = False,
) -> Appointment:
    """Book an appointment, or raise a ``SchedulingError`` saying why not.

    Refused: an overlap with the clinician's, the room's or the patient's active appointments
    (``SlotTaken``); outside the clinician's hours at the room's location or in their time off,
    unless a manager gives ``override_reason`` (``NeedsManagerOverride``); an injection before
    the plan's minimum re-treatment date unless ``confirm_early`` (``EarlyRetreatmentNeedsConfirmation``).
    """
    end_at = end_at or start_at + dt.timedelta(minutes=appointment_type.default_duration_minutes)
    _check_when(start_at, end_at)
    _check_can_book(patient=patient, room=room, appointment_type=appointment_type, plan=plan)
    if reasons := appointment_conflicts(
        start_at=start_at, end_at=end_at, clinician=clinician, room=room, patient=patient
    ):
        raise SlotTaken(reasons)
    override = _check_availability(
        actor=actor, clinician=clinician, room=room, start_at=start_at, end_at=end_at, override_reason=override_reason
    )
    early_from = _check_interval(plan=plan, appointment_type=appointment_type, start_at=start_at,
                                 confirm_early=confirm_early)
    appointment = Appointment(
        patient=patient, clinician=clinician, room=room, appointment_type=appointment_type, plan=plan,
        start_at=start_at, end_at=end_at, override_reason=override, booked_by=actor, updated_by=actor,
    )
    _save_without_overlap(appointment)
    changes = changes_between({}, field_values(appointment, AUDITED_FIELDS))
    if early_from is not None:
        changes["confirmed_before_minimum_interval"] = [None, early_from.isoformat()]
    audit_record(actor=actor, action="scheduling.appointment.booked", patient=patient, target=appointment,
                 changes=changes)
    appointment_changed.send(AppointmentChanged(appointment_id=appointment.pk, change="booked"))
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    """The row, locked for this transaction (PostgreSQL; SQLite's IMMEDIATE already serializes)."""
    return Appointment.objects.select_for_update().select_related("room__location").get(pk=appointment.pk)


def _check_move(
    *, actor: Any, appointment: Appointment, start_at: dt.datetime, end_at: dt.datetime, clinician, room: Room,
    override_reason: str | None, confirm_early: bool,
) -> tuple[str, dt.date | None]:
    """Booking's checks for the new time, clinician and room, the appointment's own time aside.
    Returns the override reason to store and the earliest re-treatment date when confirmed early."""
    _check_when(start_at, end_at)
    _check_can_book(patient=appointment.patient, room=room, appointment_type=appointment.appointment_type,
                    plan=appointment.plan)
    if reasons := appointment_conflicts(start_at=start_at, end_at=end_at, clinician=clinician, room=room,
                                        patient=appointment.patient, exclude_pk=appointment.pk):
        raise SlotTaken(reasons)
    override = _check_availability(actor=actor, clinician=clinician, room=room, start_at=start_at, end_at=end_at,
                                   override_reason=override_reason)
    early_from = _check_interval(plan=appointment.plan, appointment_type=appointment.appointment_type,
                                 start_at=start_at, confirm_early=confirm_early)
    return override, early_from


@transaction.atomic
def appointment_reschedule(
    *,
    actor: Any,
    appointment: Appointment,
    start_at: dt.datetime,
    end_at: dt.datetime | None = None,
    clinician: Any = None,
    room: Room | None = None,
    override_reason: str | None = None,
    confirm_early: bool = False,
) -> Appointment:
    """Move a booked or confirmed appointment (optionally to another clinician or room), with
    the same checks as booking. A confirmed appointment goes back to booked: the new time has
    not been confirmed with the patient."""
    appointment = _locked(appointment)
    _require(appointment, (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED), "reschedule")
    before = field_values(appointment, AUDITED_FIELDS)
    end_at = end_at or start_at + (appointment.end_at - appointment.start_at)
    clinician, room = clinician or appointment.clinician, room or appointment.room
    override, early_from = _check_move(actor=actor, appointment=appointment, start_at=start_at, end_at=end_at,
                                       clinician=clinician, room=room, override_reason=override_reason,
                                       confirm_early=confirm_early)
    appointment.start_at, appointment.end_at = start_at, end_at
    appointment.clinician, appointment.room = clinician, room
    appointment.override_reason = override
    appointment.status = AppointmentStatus.BOOKED
    appointment.updated_by = actor
    _save_without_overlap(appointment)
    changes = changes_between(before, field_values(appointment, AUDITED_FIELDS))
    if early_from is not None:
        changes["confirmed_before_minimum_interval"] = [None, early_from.isoformat()]
    audit_record(actor=actor, action="scheduling.appointment.rescheduled", patient=appointment.patient,
                 target=appointment, changes=changes)
    appointment_changed.send(AppointmentChanged(appointment_id=appointment.pk, change="rescheduled"))
    return appointment


def _require(appointment: Appointment, allowed: tuple[str, ...], action: str) -> None:
    if appointment.status not in allowed:
        raise InvalidTransition(
            f"Cannot {action} an appointment that is {appointment.get_status_display().lower()}."
        )


def _transition(
    *, actor: Any, appointment: Appointment, allowed: tuple[str, ...], to: str, action: str, **fields: Any
) -> Appointment:
    """Move ``appointment`` to ``to`` if its current status (read under a row lock) allows it."""
    appointment = _locked(appointment)
    _require(appointment, allowed, action)
    before = field_values(appointment, AUDITED_FIELDS)
    appointment.status = to
    appointment.updated_by = actor
    for name, value in fields.items():
        setattr(appointment, name, value)
    # Leaving the active states never creates an overlap, and re-entering them is not a
    # transition we offer, so a plain save is enough here.
    appointment.save(update_fields=["status", "updated_by", "updated_at", *fields])
    audit_record(
        actor=actor, action=f"scheduling.appointment.{to}", patient=appointment.patient, target=appointment,
        changes=changes_between(before, field_values(appointment, AUDITED_FIELDS)),
    )
    return appointment


@transaction.atomic
def appointment_confirm(*, actor: Any, appointment: Appointment) -> Appointment:
    """The patient has confirmed they will come."""
    return _transition(actor=actor, appointment=appointment, allowed=(AppointmentStatus.BOOKED,),
                       to=AppointmentStatus.CONFIRMED, action="confirm")


@transaction.atomic
def appointment_check_in(*, actor: Any, appointment: Appointment) -> Appointment:
    """The patient has arrived."""
    return _transition(actor=actor, appointment=appointment,
                       allowed=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED),
                       to=AppointmentStatus.CHECKED_IN, action="check in", checked_in_at=timezone.now())


@transaction.atomic
def appointment_complete(
    *, actor: Any, appointment: Appointment, session: InjectionSession | None = None
) -> Appointment:
    """The visit is over; for an injection, ``session`` is the clinician's record of it."""
    fields: dict[str, Any] = {}
    if session is not None:
        if session.patient_id != appointment.patient_id:
            raise SchedulingError("That injection session belongs to another patient.")
        fields["session"] = session
    return _transition(actor=actor, appointment=appointment, allowed=(AppointmentStatus.CHECKED_IN,),
                       to=AppointmentStatus.COMPLETED, action="complete", **fields)


@transaction.atomic
def appointment_complete_for_session(*, actor: Any, session: InjectionSession) -> Appointment | None:
    """Complete the checked-in injection appointment that a signed session records, if any.

    The patient's checked-in injection appointment on the session's clinic day, for the session's
    plan or one booked without a plan; ``None`` when the session was recorded without one."""
    day = local_date(session.performed_at)
    appointment = (
        Appointment.objects.filter(
            patient_id=session.patient_id, status=AppointmentStatus.CHECKED_IN, session__isnull=True,
            appointment_type__is_injection=True, start_at__gte=local_instant(day, dt.time.min),
            start_at__lt=local_instant(day + dt.timedelta(days=1), dt.time.min),
        )
        .filter(Q(plan_id=session.plan_id) | Q(plan__isnull=True))
        .order_by(F("plan_id").desc(nulls_last=True), "start_at")
        .first()
    )
    if appointment is None:
        return None
    return appointment_complete(actor=actor, appointment=appointment, session=session)


@transaction.atomic
def appointment_cancel(*, actor: Any, appointment: Appointment, by: CancelledBy, reason: str) -> Appointment:
    """Cancel (by the patient or by the clinic, with a reason); the time becomes free."""
    reason = reason.strip()
    if not reason:
        raise SchedulingError("Say why the appointment is cancelled.")
    appointment = _transition(actor=actor, appointment=appointment,
                              allowed=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED),
                              to=AppointmentStatus.CANCELLED, action="cancel",
                              cancelled_by=CancelledBy(by), cancel_reason=reason, cancelled_at=timezone.now())
    appointment_changed.send(AppointmentChanged(appointment_id=appointment.pk, change="cancelled"))
    return appointment


@transaction.atomic
def appointment_mark_no_show(*, actor: Any, appointment: Appointment) -> Appointment:
    """The patient did not come. Only once the appointment has started: not a way to cancel."""
    if timezone.now() < appointment.start_at:
        raise InvalidTransition("An appointment can be marked as a no-show only once it has started.")
    return _transition(actor=actor, appointment=appointment,
                       allowed=(AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED),
                       to=AppointmentStatus.NO_SHOW, action="mark as a no-show")


# --- A manager's settings: locations, rooms, appointment types, working hours, time off ------

ScheduleSetting = Location | Room | AppointmentType | WorkingHours | TimeOff


@transaction.atomic
def schedule_setting_save(*, actor: Any, instance: ScheduleSetting) -> ScheduleSetting:
    """Create or change a location, room, appointment type, working-hours block or time off,
    audited with each changed field. (Time off does not move existing appointments: the day
    view shows them for the front desk to rebook.)"""
    if instance._state.adding and isinstance(instance, TimeOff) and getattr(actor, "is_authenticated", False):
        instance.created_by = actor
    return configuration_save(actor=actor, instance=instance)
