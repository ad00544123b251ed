"""Reads for scheduling: conflicts, a clinician's availability, re-treatment dates, the recall list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.roles import Role, has_role
from clinic.clock import clinic_zone, local_date, local_instant, local_time_range, local_window
from treatments.models import PlanStatus, TreatmentPlan

from .models import (
    MAX_APPOINTMENT_LENGTH,
    Appointment,
    AppointmentStatus,
    Location,
    Room,
    TimeOff,
    Weekday,
    WorkingHours,
)
from .roles import BOOKING_ROLES

# Appointments still to come, which the front desk may confirm, check in, move or cancel.
UPCOMING_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


def appointment_conflicts(
    *, start_at: dt.datetime, end_at: dt.datetime, clinician, room: Room, patient, exclude_pk: int | None = None
) -> list[str]:
    """Why [start_at, end_at) cannot be booked: one sentence per clashing active appointment.

    Half-open intervals, as the PostgreSQL constraint: an appointment ending at 10:30 does not
    clash with one starting at 10:30.
    """
    clashes = (
        Appointment.objects.active()
        .filter(start_at__lt=end_at, end_at__gt=start_at)
        .filter(Q(clinician=clinician) | Q(room=room) | Q(patient=patient))
        .exclude(pk=exclude_pk)
        .select_related("clinician", "room")
        .order_by("start_at")
    )
    reasons: list[str] = []
    for clash in clashes:
        when = local_time_range(clash.start_at, clash.end_at)
        if clash.clinician_id == clinician.pk:
            reasons.append(f"{clash.clinician} already has an appointment {when}")
        if clash.room_id == room.pk:
            reasons.append(f"{clash.room} is taken {when}")
        if clash.patient_id == patient.pk:
            reasons.append(f"The patient already has an appointment {when}")
    return reasons


def clinician_unavailability(*, clinician, location: Location, start_at: dt.datetime, end_at: dt.datetime) -> list[str]:
    """Why the clinician is not available then: outside their hours at ``location``, or off."""
    reasons: list[str] = []
    day = local_date(start_at)
    blocks = WorkingHours.objects.filter(clinician=clinician, location=location, weekday=day.weekday())
    if not any(
        opens <= start_at and end_at <= closes
        for opens, closes in (local_window(day, block.starts_at, block.ends_at) for block in blocks)
    ):
        reasons.append(
            f"{clinician} does not work at {location} on {Weekday(day.weekday()).label} "
            f"{local_time_range(start_at, end_at)}"
        )
    time_off = TimeOff.objects.filter(clinician=clinician, starts_at__lt=end_at, ends_at__gt=start_at).first()
    if time_off is not None:
        reasons.append(f"{clinician} is off then ({time_off.reason or 'time off'})")
    return reasons


def plans_due_for_recall(
    *,
    within_weeks: int = 4,
    today: dt.date | None = None,
    indication=None,
    clinician=None,
    location: Location | None = None,
) -> QuerySet[TreatmentPlan]:
    """Active plans whose next cycle is due within ``within_weeks`` (or overdue) and whose patient
    has no future active injection appointment for that plan or its indication.

    One row per plan, so a patient treated for two indications can appear twice. Annotated with
    ``last_signed_on`` and ``next_due`` (the last signed session's clinic date + ``cycle_weeks``,
    or the plan's start date before any session); sorted by ``next_due``. Both are read from the
    copies kept on the plan (``plan_next_due_refresh``), so the (status, next_due_on) index picks
    the due plans instead of a search for every plan's last session.
    One query whatever the size. ``location`` keeps plans whose responsible clinician works there.
    """
    today = today or timezone.localdate()
    # From the start of today: a patient checked in this morning is not "due" again at noon.
    future_injection = Appointment.objects.active().filter(
        Q(plan=OuterRef("pk")) | Q(plan__indication=OuterRef("indication")),
        patient=OuterRef("patient"),
        appointment_type__is_injection=True,
        start_at__gte=local_instant(today, dt.time.min),
    )
    plans = (
        TreatmentPlan.objects.filter(
            status=PlanStatus.ACTIVE, patient__is_archived=False,
            next_due_on__lte=today + dt.timedelta(weeks=within_weeks),
        )
        .annotate(next_due=F("next_due_on"),
                  last_signed_on=TruncDate("last_signed_session_at", tzinfo=clinic_zone()))
        .exclude(Exists(future_injection))
        .select_related("patient", "indication", "product", "responsible_clinician")
        .order_by("next_due", "patient__last_name", "patient__first_name", "pk")
    )
    if indication is not None:
        plans = plans.filter(indication=indication)
    if clinician is not None:
        plans = plans.filter(responsible_clinician=clinician)
    if location is not None:
        plans = plans.filter(
            Exists(WorkingHours.objects.filter(clinician=OuterRef("responsible_clinician"), location=location))
        )
    return plans


@dataclass
class ClinicianDay:
    """One column of the day view."""

    clinician: Any
    hours: list[WorkingHours] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)


def _overlapping(appointments: QuerySet[Appointment], opens: dt.datetime, closes: dt.datetime) -> QuerySet:
    """Appointments overlapping [opens, closes). The lower bound on start_at is implied by the
    maximum appointment length; stating it lets the start_at indexes bound the scan in time."""
    return appointments.filter(start_at__gte=opens - MAX_APPOINTMENT_LENGTH, start_at__lt=closes, end_at__gt=opens)


def day_schedule(*, day: dt.date, location: Location | None = None) -> list[ClinicianDay]:
    """Every clinician working or booked on ``day`` (clinic-local), with their hours, time off and
    appointments (all statuses, by start), sorted by name. Three queries however busy the day."""
    opens, closes = local_instant(day, dt.time.min), local_instant(day + dt.timedelta(days=1), dt.time.min)
    hours = WorkingHours.objects.filter(weekday=day.weekday()).select_related("clinician", "location")
    appointments = (
        _overlapping(Appointment.objects.all(), opens, closes)
        .select_related("patient", "clinician", "room__location", "appointment_type")
        .order_by("start_at", "pk")
    )
    if location is not None:
        hours, appointments = hours.filter(location=location), appointments.filter(room__location=location)
    columns: dict[int, ClinicianDay] = {}
    for block in hours.order_by("starts_at"):
        columns.setdefault(block.clinician_id, ClinicianDay(block.clinician)).hours.append(block)
    for appointment in appointments:
        columns.setdefault(appointment.clinician_id, ClinicianDay(appointment.clinician)).appointments.append(
            appointment
        )
    for time_off in TimeOff.objects.filter(clinician_id__in=list(columns), starts_at__lt=closes, ends_at__gt=opens):
        columns[time_off.clinician_id].time_off.append(time_off)
    return sorted(columns.values(), key=lambda column: str(column.clinician))


def clinicians() -> QuerySet:
    """Active staff who hold the clinician role, by name: the people appointments are booked with."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name=Role.CLINICIAN.value)
        .distinct().order_by("display_name", "username")
    )


def clinician_week(*, clinician, week_start: dt.date) -> dict[dt.date, ClinicianDay]:
    """Seven clinic-local days from ``week_start`` for one clinician: hours, time off and
    appointments (all statuses). Three queries however busy the week."""
    days = [week_start + dt.timedelta(days=n) for n in range(7)]
    opens, closes = local_instant(days[0], dt.time.min), local_instant(days[-1] + dt.timedelta(days=1), dt.time.min)
    week = {day: ClinicianDay(clinician) for day in days}
    by_weekday = {day.weekday(): day for day in days}
    for block in WorkingHours.objects.filter(clinician=clinician).select_related("location").order_by("starts_at"):
        week[by_weekday[block.weekday]].hours.append(block)
    for appointment in (
        _overlapping(Appointment.objects.filter(clinician=clinician), opens, closes)
        .select_related("patient", "room__location", "appointment_type").order_by("start_at", "pk")
    ):
        # One that began the evening before the week shows on its first day (it was a KeyError).
        week[max(local_date(appointment.start_at), days[0])].appointments.append(appointment)
    for time_off in TimeOff.objects.filter(clinician=clinician, starts_at__lt=closes, ends_at__gt=opens):
        for day in days:
            if time_off.starts_at < local_instant(day + dt.timedelta(days=1), dt.time.min) and \
                    time_off.ends_at > local_instant(day, dt.time.min):
                week[day].time_off.append(time_off)
    return week


def patient_appointments(patient) -> tuple[list[Appointment], list[Appointment]]:
    """A patient's upcoming active appointments (soonest first) and their past or cancelled ones
    (latest first). One query."""
    now = timezone.now()
    upcoming: list[Appointment] = []
    past: list[Appointment] = []
    for appointment in (
        Appointment.objects.filter(patient=patient)
        .select_related("clinician", "room__location", "appointment_type")
        .order_by("-start_at", "-pk")
    ):
        (upcoming if appointment.end_at > now and appointment.is_active else past).append(appointment)
    upcoming.reverse()
    return upcoming, past


# --- What a member of staff may do to an appointment ------------------------------------------

class AppointmentAction(StrEnum):
    CONFIRM = "confirm"
    CHECK_IN = "check_in"
    NO_SHOW = "no_show"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"


def appointment_actions(*, appointment: Appointment, user: Any, now: dt.datetime) -> tuple[AppointmentAction, ...]:
    """The actions ``user`` is offered on ``appointment`` at ``now``, in the order they are drawn.

    Only the front desk (and managers) change appointments, and only booked or confirmed ones:
    confirm one still booked, check in, mark a no-show once it has started (never a way to
    cancel early), reschedule, cancel. The services refuse anything else whatever a page offers."""
    if not has_role(user, BOOKING_ROLES) or appointment.status not in UPCOMING_STATUSES:
        return ()
    actions = [AppointmentAction.CONFIRM] if appointment.status == AppointmentStatus.BOOKED else []
    actions.append(AppointmentAction.CHECK_IN)
    if appointment.start_at <= now:
        actions.append(AppointmentAction.NO_SHOW)
    return (*actions, AppointmentAction.RESCHEDULE, AppointmentAction.CANCEL)

