"""Reads for reminders: the rows each sweep step creates, cancels or hands on, as querysets.

The creation querysets select exactly the columns of a ``Reminder`` row, so the sweep can turn
each into one ``INSERT … SELECT … ON CONFLICT DO NOTHING``: a constant number of statements
whatever the number of patients, and the database, not Python, walks the plans.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from patients.models import ContactConsent, ReminderPreference
from patients.selectors import patient_search
from scheduling.models import Appointment, AppointmentStatus
from treatments.models import PlanStatus, TreatmentPlan
from treatments.selectors import plans_with_next_due

from .models import APPOINTMENT_KINDS, CYCLE_KINDS, Reminder, ReminderChannel, ReminderKind, ReminderState
from .timing import cycle_window_end_on, local_instant, local_today, next_daytime

# The columns the creation querysets yield, in order (``values()`` keeps this order in Django 5.2).
INSERT_COLUMNS = (
    "patient_id", "kind", "channel", "plan_id", "cycle_due_on", "appointment_id", "appointment_start_at",
    "due_at", "window_ends_at", "state", "skip_reason", "created_at", "updated_at",
)
UPCOMING = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _null(output_field) -> Cast:
    """A typed NULL: PostgreSQL types a bare NULL in a sub-select as text, which an integer,
    date or timestamp column then refuses."""
    return Cast(Value(None), output_field=output_field)


def _instant(value: dt.datetime) -> Value:
    return Value(value, output_field=DateTimeField())


def consent_current(channel: str, patient_ref: str = "patient_id") -> Exists:
    return Exists(ContactConsent.objects.filter(patient=OuterRef(patient_ref), channel=channel,
                                                withdrawn_at__isnull=True))


def _skip_reason(channel: str) -> Case:
    """Why a row for ``channel`` must not be sent, or '' (first reason wins)."""
    contact = "patient__phone" if channel == ReminderChannel.SMS else "patient__email"
    return Case(
        When(patient__is_archived=True, then=_text("patient archived")),
        When(patient__preferred_channel=ReminderPreference.NONE, then=_text("patient wants no reminders")),
        When(~consent_current(channel), then=_text(f"no {channel} consent")),
        When(**{contact: ""}, then=_text("no mobile number" if channel == ReminderChannel.SMS else "no email address")),
        default=_text(""), output_field=CharField(),
    )


def _as_rows(queryset: QuerySet, *, missed: Q, **columns) -> QuerySet:
    """Annotate every insert column under an ``r_`` alias and select them in ``INSERT_COLUMNS`` order."""
    queryset = queryset.annotate(r_skip_reason=columns.pop("skip_reason"))
    queryset = queryset.annotate(
        **{f"r_{name}": value for name, value in columns.items()},
        r_state=Case(
            When(~Q(r_skip_reason=""), then=_text(ReminderState.SKIPPED)),
            When(missed, then=_text(ReminderState.MISSED)),
            default=_text(ReminderState.SCHEDULED), output_field=CharField(),
        ),
    )
    return queryset.order_by().values(*(f"r_{name}" for name in INSERT_COLUMNS))


def injection_booked(plan_ref: str = "pk", *, today: dt.date) -> Exists:
    """An upcoming (from the start of today) active injection appointment for the plan, or for
    its indication: booking stops that cycle's reminders (the same rule as the recall list)."""
    return Exists(Appointment.objects.active().filter(
        Q(plan=OuterRef(plan_ref)) | Q(plan__indication=OuterRef(f"{plan_ref}__indication" if plan_ref != "pk"
                                                                  else "indication")),
        patient=OuterRef(f"{plan_ref}__patient" if plan_ref != "pk" else "patient"),
        appointment_type__is_injection=True,
        start_at__gte=local_instant(today, dt.time.min),
    ))


@dataclass(frozen=True)
class SelectStatement:
    """A SELECT the ORM cannot say, as SQL and parameters; the sweep inserts its rows as it
    does a queryset's (``sql_with_params`` is the one thing it asks of either)."""

    sql: str
    params: tuple

    def sql_with_params(self) -> tuple[str, tuple]:
        return self.sql, self.params


def _cycle_plans(*, now: dt.datetime, plan_id: int | None) -> QuerySet:
    """One row per active plan with no injection booked: every insert column of its cycle
    reminder but ``kind`` and ``state``, which depend on the due date (``r_cycle_due_on``).

    One channel per patient, their preferred one; "no reminders" shows as a skipped email row."""
    today = local_today(now)
    plans = TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE)
    if plan_id is not None:
        plans = plans.filter(pk=plan_id)
    by_sms = Q(patient__preferred_channel=ReminderPreference.SMS)
    return (
        plans_with_next_due(plans).exclude(injection_booked(today=today))
        .annotate(
            r_patient_id=F("patient_id"),
            r_channel=Case(When(by_sms, then=_text(ReminderChannel.SMS)), default=_text(ReminderChannel.EMAIL)),
            r_plan_id=F("pk"), r_cycle_due_on=F("next_due"), r_appointment_id=_null(BigIntegerField()),
            r_appointment_start_at=_null(DateTimeField()), r_due_at=_instant(next_daytime(now)),
            r_window_ends_at=_null(DateTimeField()),
            r_skip_reason=Case(When(by_sms, then=_skip_reason(ReminderChannel.SMS)),
                               default=_skip_reason(ReminderChannel.EMAIL)),
            r_created_at=_instant(now), r_updated_at=_instant(now),
        )
        .order_by()
        .values(*(f"r_{name}" for name in INSERT_COLUMNS if name not in ("kind", "state")))
    )


def _cycle_kinds(today: dt.date) -> tuple[str, list]:
    """A row per cycle kind: the due dates whose reminder of that kind has come (due − 14 d or
    due + 7 d is today or in the last ``REMINDERS_CATCH_UP_DAYS``: a beat that was down catches
    up, older ones are history), and the due date on or before which it is already missed."""
    selects, params = [], []
    for kind in CYCLE_KINDS:
        offset = (-settings.REMINDERS_CYCLE_DUE_DAYS_BEFORE if kind == ReminderKind.CYCLE_DUE
                  else settings.REMINDERS_CYCLE_OVERDUE_DAYS_AFTER)
        latest_due = today - dt.timedelta(days=offset)  # remind on (due + offset) <= today
        earliest_due = latest_due - dt.timedelta(days=settings.REMINDERS_CATCH_UP_DAYS)
        missed_on = today - (cycle_window_end_on(kind, today) - today)  # missed once due + window <= today
        selects.append("SELECT %s AS kind, %s AS latest_due, %s AS earliest_due, %s AS missed_on")
        days = (latest_due, earliest_due, missed_on)
        params += [str(kind), *(connection.ops.adapt_datefield_value(day) for day in days)]
    return " UNION ALL ".join(selects), params


def cycle_reminder_rows(*, now: dt.datetime, plan_id: int | None = None) -> SelectStatement:
    """Rows for active plans whose coming-up or overdue reminder has come (see ``_cycle_kinds``),
    every plan's or one plan's.

    One statement for both kinds and both channels, with each plan's due date computed once: in a
    materialized CTE, because Django cannot select from a subquery and both databases otherwise
    repeat the expression wherever it is used (select, state, both bounds: four times a plan, and
    on SQLite each a call into Python for the time-zone conversion)."""
    plans_sql, plans_params = _cycle_plans(now=now, plan_id=plan_id).query.sql_with_params()
    kinds_sql, kinds_params = _cycle_kinds(local_today(now))
    state = (f"CASE WHEN plans.r_skip_reason <> '' THEN '{ReminderState.SKIPPED}' "
             f"WHEN plans.r_cycle_due_on <= kinds.missed_on THEN '{ReminderState.MISSED}' "
             f"ELSE '{ReminderState.SCHEDULED}' END")
    columns = ", ".join("kinds.kind" if name == "kind" else state if name == "state" else f"plans.r_{name}"
                        for name in INSERT_COLUMNS)
    # Only fixed fragments and choice values are formatted in; every value is a parameter.
    sql = (f"WITH plans AS MATERIALIZED ({plans_sql}) "  # noqa: S608
           f"SELECT {columns} FROM plans CROSS JOIN ({kinds_sql}) AS kinds "
           "WHERE plans.r_cycle_due_on <= kinds.latest_due AND plans.r_cycle_due_on > kinds.earliest_due")
    return SelectStatement(sql, (*plans_params, *kinds_params))


def appointment_reminder_rows(*, channel: str, now: dt.datetime) -> QuerySet:
    """Reminders for upcoming appointments starting within the channel's lead time (email 48 h,
    SMS 24 h by default), due now or at the next daytime start; missed if that is too late."""
    lead = dt.timedelta(hours=settings.REMINDERS_APPOINTMENT_HOURS_BEFORE[channel])
    due_at = next_daytime(now)
    appointments = Appointment.objects.filter(
        status__in=UPCOMING, start_at__lte=now + lead,
        start_at__gt=now - dt.timedelta(days=settings.REMINDERS_CATCH_UP_DAYS),
    )
    return _as_rows(
        appointments, missed=Q(start_at__lte=due_at), skip_reason=_skip_reason(channel),
        patient_id=F("patient_id"), kind=_text(ReminderKind.APPOINTMENT), channel=_text(channel),
        plan_id=_null(BigIntegerField()), cycle_due_on=_null(DateField()), appointment_id=F("pk"),
        appointment_start_at=F("start_at"), due_at=_instant(due_at), window_ends_at=F("start_at"),
        created_at=_instant(now), updated_at=_instant(now),
    )


def booking_confirmation_rows(*, now: dt.datetime, appointment_id: int | None = None) -> QuerySet:
    """A confirmation email for each upcoming appointment booked or moved in the last
    ``REMINDERS_CONFIRMATION_LOOKBACK_HOURS`` (its start is in the key: a move is a new row).

    Not held for quiet hours: an email does not wake anyone, and a patient who has just booked
    on the phone expects it at once."""
    appointments = Appointment.objects.filter(
        status__in=UPCOMING, start_at__gt=now,
        updated_at__gte=now - dt.timedelta(hours=settings.REMINDERS_CONFIRMATION_LOOKBACK_HOURS),
    )
    if appointment_id is not None:
        appointments = appointments.filter(pk=appointment_id)
    return _as_rows(
        appointments, missed=Q(start_at__lte=now), skip_reason=_skip_reason(ReminderChannel.EMAIL),
        patient_id=F("patient_id"), kind=_text(ReminderKind.BOOKING_CONFIRMATION),
        channel=_text(ReminderChannel.EMAIL), plan_id=_null(BigIntegerField()), cycle_due_on=_null(DateField()),
        appointment_id=F("pk"), appointment_start_at=F("start_at"), due_at=_instant(now), window_ends_at=F("start_at"),
        created_at=_instant(now), updated_at=_instant(now),
    )


def creation_sources(now: dt.datetime) -> list[QuerySet | SelectStatement]:
    """Every creation queryset, a fixed list: the sweep runs one INSERT per entry."""
    sources: list[QuerySet | SelectStatement] = [cycle_reminder_rows(now=now)]
    sources += [appointment_reminder_rows(channel=channel, now=now) for channel in ReminderChannel.values]
    sources.append(booking_confirmation_rows(now=now))
    return sources


def _current_next_due() -> Subquery:
    plans = TreatmentPlan.objects.filter(pk=OuterRef("plan_id")).order_by()  # no ordering: one row, no joins
    return Subquery(plans_with_next_due(plans).values("next_due")[:1])


def _no_longer_wanted(today: dt.date, *, kind: str | None = None) -> list[tuple[str, Q]]:
    """(reason, condition) for a reminder (of ``kind``, or of any) whose reason to exist has
    gone, first match wins. Only the kind's own are built: the worker asks this of every send."""
    reasons = []
    if kind is None or kind in APPOINTMENT_KINDS:
        appointment_row = Q(kind__in=APPOINTMENT_KINDS)
        reasons += [
            ("appointment cancelled", appointment_row & ~Q(appointment__status__in=UPCOMING)),
            ("appointment moved", appointment_row & ~Q(appointment__start_at=F("appointment_start_at"))),
        ]
    if kind is None or kind in CYCLE_KINDS:
        cycle_row = Q(kind__in=CYCLE_KINDS)
        reasons += [
            ("plan paused or ended", cycle_row & ~Q(plan__status=PlanStatus.ACTIVE)),
            ("next cycle started", cycle_row & ~Q(cycle_due_on=_current_next_due())),
            ("appointment booked", cycle_row & Q(injection_booked("plan", today=today))),
        ]
    return reasons


def reminders_no_longer_wanted(now: dt.datetime) -> list[tuple[str, QuerySet[Reminder]]]:
    """(reason, rows) for scheduled rows whose reason to exist has gone: the sweep cancels them
    set-based, a statement per reason (the worker asks the same of the rows it holds: ``reminders_send_checks``)."""
    scheduled = Reminder.objects.filter(state=ReminderState.SCHEDULED)
    return [(reason, scheduled.filter(condition)) for reason, condition in _no_longer_wanted(local_today(now))]


def reminders_missed(now: dt.datetime) -> QuerySet[Reminder]:
    """Scheduled rows whose window has passed (see ``timing.cycle_window_end_on``)."""
    today = local_today(now)
    overdue_days = (cycle_window_end_on(ReminderKind.CYCLE_OVERDUE, today) - today).days
    return Reminder.objects.filter(state=ReminderState.SCHEDULED).filter(
        Q(window_ends_at__lte=now)
        | Q(kind=ReminderKind.CYCLE_DUE, cycle_due_on__lte=today)
        | Q(kind=ReminderKind.CYCLE_OVERDUE, cycle_due_on__lte=today - dt.timedelta(days=overdue_days))
    )


def reminders_due(now: dt.datetime, *, republish_before: dt.datetime) -> QuerySet[Reminder]:
    """Scheduled rows due now that were not handed to the broker recently."""
    return (
        Reminder.objects.filter(state=ReminderState.SCHEDULED, due_at__lte=now)
        .filter(Q(published_at__isnull=True) | Q(published_at__lt=republish_before))
        .order_by("due_at", "pk")
    )


def _sms_sent_since(since: dt.datetime) -> Coalesce:
    """SMS to the row's patient, other than the row, that may have reached them since ``since``:
    sent, in flight, or ambiguous (the opt-out confirmation does not count against the caps)."""
    others = (
        Reminder.objects.filter(patient_id=OuterRef("patient_id"), channel=ReminderChannel.SMS)
        .exclude(pk=OuterRef("pk")).exclude(kind=ReminderKind.OPT_OUT_CONFIRMATION)
        .filter(Q(state=ReminderState.SENT, sent_at__gte=since)
                | Q(state=ReminderState.SENDING, claimed_at__gte=since)
                | Q(state=ReminderState.FAILED, needs_review=True, claimed_at__gte=since))
        .order_by().values("patient_id").annotate(sent=Count("pk")).values("sent")
    )
    return Coalesce(Subquery(others), 0)


@dataclass(frozen=True)
class SendChecks:
    no_longer_wanted: str  # the reason, or ""
    consent_current: bool
    sms_sent_since: tuple[int, ...]  # one count per instant asked about


def reminders_send_checks(*, kind: str, channel: str, reminder_ids: list[int], now: dt.datetime,
                          sms_since: tuple[dt.datetime, ...] = ()) -> dict[int, SendChecks]:
    """Everything the worker re-checks before sending rows of ``kind`` on ``channel``, for all of
    ``reminder_ids`` in one query: whether each row's reason to exist has gone (the sweep's own
    conditions), whether the patient's consent on the channel stands, and how many other SMS may
    have reached the patient since each of ``sms_since``. Keyed by reminder id."""
    checks = _send_checks(kind, channel, local_today(now), sms_since)
    return {facts["pk"]: SendChecks(facts["no_longer_wanted"], facts["consent_current"],
                                    tuple(facts[f"sms_{number}"] for number in range(len(sms_since))))
            for facts in checks.filter(pk__in=reminder_ids)}


@functools.lru_cache(maxsize=64)
def _send_checks(kind: str, channel: str, today: dt.date, sms_since: tuple[dt.datetime, ...]) -> QuerySet:
    """The checks for every row of ``kind`` on ``channel``, as an unevaluated queryset.

    Kept and reused (``filter`` clones it): building these expressions (a Case over the sweep's
    conditions and five subqueries) measured about 10 ms of CPU a send, four times the rest of
    the send together; what they depend on (the kind, the channel, the clinic's date, the cap
    windows) changes a few times a day."""
    reasons = _no_longer_wanted(today, kind=kind)
    return Reminder.objects.order_by().values(
        "pk",
        no_longer_wanted=Case(*(When(condition, then=_text(reason)) for reason, condition in reasons),
                              default=_text(""), output_field=CharField()) if reasons else _text(""),
        consent_current=consent_current(channel),
        **{f"sms_{number}": _sms_sent_since(since) for number, since in enumerate(sms_since)},
    )


# --- Staff pages ----------------------------------------------------------------------------------

# The outbox's tabs: which states each shows, and in what order (soonest first for what is still
# to go, latest first for history). "Upcoming" includes rows a worker holds right now.
OUTBOX_TABS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "upcoming": ((ReminderState.SCHEDULED, ReminderState.SENDING), ("due_at", "pk")),
    "sent": ((ReminderState.SENT,), ("-sent_at", "-pk")),
    "failed": ((ReminderState.FAILED,), ("-updated_at", "-pk")),
    "skipped": ((ReminderState.SKIPPED,), ("-due_at", "-pk")),
    "missed": ((ReminderState.MISSED,), ("-due_at", "-pk")),
    "cancelled": ((ReminderState.CANCELLED,), ("-updated_at", "-pk")),
}


def reminders_outbox(*, tab: str, patient_query: str = "", kind: str = "") -> QuerySet[Reminder]:
    """The outbox rows on ``tab``, optionally for patients matching ``patient_query`` (an MRN, a
    name, anything the registry search takes) and of one ``kind``; the patient comes in the same
    query, so a page of rows costs one query whatever its length. The patient filter is the
    registry's own search (its rules, not a copy)."""
    states, ordering = OUTBOX_TABS[tab]
    rows = Reminder.objects.filter(state__in=states).select_related("patient")
    if patient_query:
        rows = rows.filter(patient__in=patient_search(query=patient_query, include_archived=True).values("pk"))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by(*ordering)


PATIENT_HISTORY_LENGTH = 20


def patient_reminder_history(*, patient_id: int) -> list[Reminder]:
    """The patient's latest reminders, newest first: one query (every column shown is on the row)."""
    return list(Reminder.objects.filter(patient_id=patient_id).order_by("-created_at", "-pk")[:PATIENT_HISTORY_LENGTH])
