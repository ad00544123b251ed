"""Reads for scheduling: conflicts, a clinician's availability, re-treatment dates, the recall list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from treatments.models import InjectionSession, PlanStatus, SessionStatus, TreatmentPlan

from .clock import local_date, local_time_range, local_window
from .db import AddDays
from .models import Appointment, Location, Room, TimeOff, Weekday, WorkingHours


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


def plan_earliest_retreatment_date(plan: TreatmentPlan) -> dt.date | None:
    """The first clinic-local date a new injection for ``plan`` respects its minimum interval:
    the last signed session's date + ``minimum_interval_weeks``; ``None`` before any session.

    Interim home of the interval rule until ``treatments`` offers one; then call that instead.
    """
    last = InjectionSession.objects.filter(plan=plan, status=SessionStatus.SIGNED).aggregate(
        last=Max("performed_at")
    )["last"]
    if last is None:
        return None
    return local_date(last) + dt.timedelta(weeks=plan.minimum_interval_weeks)


def _last_signed_session_date() -> Subquery:
    # TruncDate converts to the current (clinic) zone first: a 19:00 Chicago session is that day.
    return Subquery(
        InjectionSession.objects.filter(plan=OuterRef("pk"), status=SessionStatus.SIGNED)
        .order_by("-performed_at")
        .annotate(day=TruncDate("performed_at"))
        .values("day")[:1]
    )


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
    ``last_session_on`` and ``next_due`` (last signed session + ``cycle_weeks``, or the plan's
    start date before any session); sorted by ``next_due``. One query whatever the size.
    ``location`` keeps plans whose responsible clinician works there.
    """
    today = today or timezone.localdate()
    future_injection = Appointment.objects.active().filter(
        Q(plan=OuterRef("pk")) | Q(plan__indication=OuterRef("indication")),
        patient=OuterRef("patient"),
        appointment_type__is_injection=True,
        start_at__gte=timezone.now(),
    )
    plans = (
        TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE, patient__is_archived=False)
        .annotate(last_session_on=_last_signed_session_date())
        .annotate(
            next_due=Coalesce(
                AddDays(F("last_session_on"), F("cycle_weeks") * 7),
                F("start_date"),
            )
        )
        .filter(next_due__lte=today + dt.timedelta(weeks=within_weeks))
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
