"""Writes for reminders: sending one row, opting out, and the patient-link actions.

Sending follows the outbox rules in STYLE.md: lock the row, re-check everything, claim it with a
conditional UPDATE (act only if one row changed) that also records the attempt, commit, call the
transport, record the outcome. A worker that dies before that commit leaves the row scheduled
(the sweep publishes it again); one that dies after it leaves it ``sending`` with the attempt on
record, for the reaper. A transport call never runs inside a transaction (a slow gateway must not
hold locks, and a rollback cannot unsend a message).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record
from patients.models import Channel, ConsentMethod, ContactConsent, Patient, ReminderPreference
from patients.services import consent_withdraw

from .content import ContentError, email_for, sms_for
from .models import Reminder, ReminderChannel, ReminderKind, ReminderState
from .selectors import (
    SendChecks,
    appointment_reminder_rows,
    booking_confirmation_rows,
    cycle_reminder_rows,
    reminder_send_checks,
    reminders_no_longer_wanted,
)
from .sweep import insert_from_select
from .timing import local_instant, local_today, next_daytime, retry_backoff, window_end
from .transports import OutgoingEmail, TransportError, sms_transport
from .transports.email import email_send

logger = logging.getLogger(__name__)


def _update(reminder_id: int, *, expected: str, **fields: Any) -> bool:
    """Move a row on from ``expected``; False if someone else already moved it."""
    fields.setdefault("updated_at", timezone.now())
    return Reminder.objects.filter(pk=reminder_id, state=expected).update(**fields) == 1


NOT_CLAIMED = "not claimed"


def reminder_claim(*, reminder_id: int, now: dt.datetime) -> bool:
    """``UPDATE … SET state='sending', attempts=attempts+1, transport_called_at=… WHERE id=? AND
    state='scheduled'``: of any number of deliveries of the same task, exactly one gets True.
    The same statement records the attempt: the caller calls the transport next, and once this
    has committed the reaper must assume the message may have left."""
    return Reminder.objects.filter(pk=reminder_id, state=ReminderState.SCHEDULED, due_at__lte=now).update(
        state=ReminderState.SENDING, attempts=F("attempts") + 1, claimed_at=now, transport_called_at=now,
        updated_at=now,
    ) == 1


def _sms_cap_since(reminder: Reminder, now: dt.datetime) -> dict[dt.datetime, int]:
    """{start of the count: its limit}: at most ``REMINDERS_SMS_PER_DAY`` SMS a clinic-local day
    and ``REMINDERS_SMS_PER_WEEK`` in seven (today and the six before). Empty if no cap applies."""
    if reminder.channel != ReminderChannel.SMS or reminder.kind == ReminderKind.OPT_OUT_CONFIRMATION:
        return {}
    today = local_today(now)
    return {
        local_instant(today, dt.time.min): settings.REMINDERS_SMS_PER_DAY,
        local_instant(today - dt.timedelta(days=6), dt.time.min): settings.REMINDERS_SMS_PER_WEEK,
    }


def _why_not_send(reminder: Reminder, checks: SendChecks, now: dt.datetime) -> tuple[str, str] | None:
    """(state, reason) if the row must not go out now; None if it may."""
    if checks.no_longer_wanted:
        return ReminderState.CANCELLED, checks.no_longer_wanted
    if reminder.kind == ReminderKind.OPT_OUT_CONFIRMATION:
        return None  # the one message allowed after consent is withdrawn
    patient = reminder.patient
    if patient.is_archived:
        return ReminderState.SKIPPED, "patient archived"
    if patient.preferred_channel == ReminderPreference.NONE:
        return ReminderState.SKIPPED, "patient wants no reminders"
    if not checks.consent_current:
        return ReminderState.SKIPPED, f"no {reminder.channel} consent"
    if not (patient.phone if reminder.channel == ReminderChannel.SMS else patient.email):
        return ReminderState.SKIPPED, "no contact details"
    end = window_end(reminder)
    if end is not None and now >= end:
        return ReminderState.MISSED, "its time passed before it could be sent"
    return None


def _defer_for_cap(reminder: Reminder, now: dt.datetime) -> str:
    """Defer to the next clinic day while the reminder is still useful (a cycle reminder has two
    weeks: deferring loses nothing); skip once the next chance is past its window (an
    appointment's SMS deferred past the appointment would only confuse)."""
    next_chance = next_daytime(local_instant(local_today(now) + dt.timedelta(days=1), dt.time.min))
    end = window_end(reminder)
    if end is not None and next_chance >= end:
        _update(reminder.pk, expected=ReminderState.SCHEDULED, state=ReminderState.SKIPPED,
                skip_reason="cap reached", updated_at=now)
        return ReminderState.SKIPPED
    _update(reminder.pk, expected=ReminderState.SCHEDULED, due_at=next_chance, published_at=None,
            last_error="SMS cap reached: deferred a day", updated_at=now)
    return ReminderState.SCHEDULED


@transaction.atomic
def _prepare(reminder_id: int, now: dt.datetime) -> tuple[Reminder, Any] | str:
    """Under a lock on the row and its patient (so that a second delivery waits, then finds the
    row taken, and two of a patient's SMS cannot both pass the cap check): settle the row if it
    must not go out and return its state; else claim it and record the attempt in one
    conditional UPDATE, committed before the provider hears of it, and return it with its message.

    The checks read after the lock is held, in a statement of their own: on PostgreSQL a
    statement that waited for a lock still reads with the snapshot it started with."""
    reminder = (
        Reminder.objects.select_related("patient", "appointment").select_for_update(of=("self", "patient"))
        .filter(pk=reminder_id, state=ReminderState.SCHEDULED, due_at__lte=now).first()
    )
    if reminder is None:
        return NOT_CLAIMED
    caps = _sms_cap_since(reminder, now)
    checks = reminder_send_checks(reminder=reminder, now=now, sms_since=tuple(caps))
    if verdict := _why_not_send(reminder, checks, now):
        state, reason = verdict
        _update(reminder_id, expected=ReminderState.SCHEDULED, state=state, skip_reason=reason, updated_at=now)
        return state
    if any(sent >= limit for sent, limit in zip(checks.sms_sent_since, caps.values(), strict=True)):
        return _defer_for_cap(reminder, now)
    try:
        message = sms_for(reminder) if reminder.channel == ReminderChannel.SMS else email_for(reminder)
    except ContentError as error:
        _update(reminder_id, expected=ReminderState.SCHEDULED, state=ReminderState.FAILED, last_error=str(error))
        return ReminderState.FAILED
    # The attempt is on record before the provider hears of it: if we die from here on, the
    # reaper knows the message may have left (see sweep.reminders_reap_stale_sending).
    if not reminder_claim(reminder_id=reminder_id, now=now):
        return NOT_CLAIMED  # not while we hold the lock; the conditional UPDATE is the guarantee
    reminder.state, reminder.attempts = ReminderState.SENDING, reminder.attempts + 1  # what the UPDATE wrote
    return reminder, message


def _record_failure(reminder: Reminder, error: TransportError) -> str:
    now = timezone.now()
    if error.ambiguous:
        state = ReminderState.FAILED
        moved = _update(reminder.pk, expected=ReminderState.SENDING, state=state, needs_review=True,
                        last_error=f"check provider before sending again: {error}")
    elif error.permanent:
        state = ReminderState.FAILED
        moved = _update(reminder.pk, expected=ReminderState.SENDING, state=state, last_error=str(error))
    elif reminder.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
        state = ReminderState.FAILED
        moved = _update(reminder.pk, expected=ReminderState.SENDING, state=state,
                        last_error=f"gave up after {reminder.attempts} attempts: {error}")
    else:
        # Back to the outbox with a later due_at: the sweep hands it out again then. No Celery
        # retry and no countdown: the database, not the broker, holds what waits.
        due_at = now + retry_backoff(reminder.attempts)
        if reminder.channel == ReminderChannel.SMS:
            due_at = next_daytime(due_at)
        state = ReminderState.SCHEDULED
        moved = _update(reminder.pk, expected=ReminderState.SENDING, state=state, due_at=due_at,
                        published_at=None, last_error=str(error))
    return state if moved else _state_of(reminder.pk)


def _state_of(reminder_id: int) -> str:
    return Reminder.objects.values_list("state", flat=True).get(pk=reminder_id)


def reminder_send(*, reminder_id: int) -> str:
    """Send one reminder if it is due and still wanted; returns its state afterwards (for logs).
    Safe to call any number of times, concurrently: only the claim's winner sends."""
    now = timezone.now()
    prepared = _prepare(reminder_id, now)
    if isinstance(prepared, str):
        return prepared
    reminder, message = prepared
    try:
        send = email_send if isinstance(message, OutgoingEmail) else sms_transport().send
        provider_id = send(message)
    except TransportError as error:
        return _record_failure(reminder, error)
    except Exception as error:  # noqa: BLE001 - a bug mid-call: as ambiguous as a timeout
        logger.exception("reminders: transport raised unexpectedly for reminder %s", reminder_id)
        return _record_failure(reminder, TransportError(repr(error), permanent=True, ambiguous=True))
    if _update(reminder_id, expected=ReminderState.SENDING, state=ReminderState.SENT, sent_at=timezone.now(),
               provider_message_id=provider_id[:100], last_error=""):
        return ReminderState.SENT
    return _state_of(reminder_id)


# --- Keeping rows in step with appointments and plans, without waiting for the sweep ------------

def _publish_on_commit(rows) -> None:
    from .sweep import _publish

    now = timezone.now()
    ids = list(rows.filter(state=ReminderState.SCHEDULED, due_at__lte=now).values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=ids).update(published_at=now)
    for reminder_id in ids:
        transaction.on_commit(lambda reminder_id=reminder_id: _publish(reminder_id, now))


@transaction.atomic
def reminders_for_appointment_sync(*, appointment_id: int) -> None:
    """Bring one appointment's reminders up to date now: cancel the stale ones (cancelled or
    moved), create the confirmation and any reminder already due, and queue what is due once
    the caller's transaction commits. The sweep does the same for every appointment each minute,
    so nothing depends on this being called; calling it from booking just makes it prompt."""
    now = timezone.now()
    for reason, rows in reminders_no_longer_wanted(now):
        Reminder.objects.filter(pk__in=rows.filter(appointment_id=appointment_id).values("pk")).update(
            state=ReminderState.CANCELLED, skip_reason=reason, updated_at=now)
    insert_from_select(booking_confirmation_rows(now=now, appointment_id=appointment_id))
    for channel in ReminderChannel.values:
        insert_from_select(appointment_reminder_rows(channel=channel, now=now).filter(pk=appointment_id))
    _publish_on_commit(Reminder.objects.filter(appointment_id=appointment_id))


@transaction.atomic
def reminders_for_plan_sync(*, plan_id: int) -> None:
    """Bring one plan's cycle reminders up to date now: cancel those a signed session, a booking
    or a pause made stale, and create any that a resumed plan has already come due for. The
    sweep does the same every minute for every plan; this makes it prompt."""
    now = timezone.now()
    for reason, rows in reminders_no_longer_wanted(now):
        Reminder.objects.filter(pk__in=rows.filter(plan_id=plan_id).values("pk")).update(
            state=ReminderState.CANCELLED, skip_reason=reason, updated_at=now)
    insert_from_select(cycle_reminder_rows(now=now, plan_id=plan_id))
    _publish_on_commit(Reminder.objects.filter(plan_id=plan_id))


@transaction.atomic
def reminders_cancel_on_channel(*, patient_id: int, channel: str, reason: str) -> int:
    """Cancel a patient's pending rows on ``channel`` (consent withdrawn, opted out), at once:
    a worker re-checks consent before sending too, but the outbox should say so straight away.
    The opt-out confirmation is the one message allowed after a withdrawal, so it is kept."""
    return Reminder.objects.filter(patient_id=patient_id, channel=channel, state=ReminderState.SCHEDULED).exclude(
        kind=ReminderKind.OPT_OUT_CONFIRMATION).update(state=ReminderState.CANCELLED, skip_reason=reason,
                                                       updated_at=timezone.now())


# --- Staff actions ---------------------------------------------------------------------------------

class SendAgainRefused(Exception):
    """Why a reminder cannot be sent again; the message is for staff."""


@transaction.atomic
def reminder_send_again(*, actor: Any, reminder_id: int, provider_checked: bool = False) -> Reminder:
    """Put a failed reminder back in the outbox with a fresh attempt budget, audited.

    A row flagged ``needs_review`` may already have reached the patient (the gateway went quiet
    after taking it), so it goes again only when staff say they checked the provider's log and
    it was not delivered. A row whose time has passed is refused: it could only be ``missed``."""
    reminder = Reminder.objects.select_for_update().select_related("patient").get(pk=reminder_id)
    if reminder.state != ReminderState.FAILED:
        raise SendAgainRefused(f"Only a failed reminder can be sent again; this one is {reminder.get_state_display()}.")
    if reminder.needs_review and not provider_checked:
        raise SendAgainRefused("It may have reached the patient: check the provider's log first, then tick "
                               "that it was not delivered.")
    now = timezone.now()
    due_at = next_daytime(now) if reminder.channel == ReminderChannel.SMS else now
    end = window_end(reminder)
    if end is not None and due_at >= end:
        raise SendAgainRefused("Its time has passed: sending it now would only confuse.")
    before = {"state": reminder.state, "attempts": reminder.attempts, "needs_review": reminder.needs_review}
    Reminder.objects.filter(pk=reminder.pk).update(
        state=ReminderState.SCHEDULED, attempts=0, needs_review=False, due_at=due_at, published_at=None,
        claimed_at=None, transport_called_at=None, updated_at=now,
    )
    audit_record(actor=actor, action="reminders.reminder.sent_again", patient=reminder.patient, target=reminder,
                 changes={"state": [before["state"], ReminderState.SCHEDULED], "attempts": [before["attempts"], 0],
                          "needs_review": [before["needs_review"], False],
                          "provider_checked_not_delivered": [None, provider_checked]})
    _publish_on_commit(Reminder.objects.filter(pk=reminder.pk))
    reminder.refresh_from_db()
    return reminder


# --- Opting out ---------------------------------------------------------------------------------

@transaction.atomic
def patient_opt_out(*, patient: Patient, channel: str, method: ConsentMethod, actor: Any = None,
                    confirm_by_sms: bool = False) -> bool:
    """Withdraw consent on ``channel`` at once and cancel the patient's pending rows on it.
    With ``confirm_by_sms``, queue the one confirmation text (keyed by the withdrawn consent, so
    a second STOP cannot cause a second one). Returns False if there was nothing to withdraw."""
    # Cancelled first, so the rows say the patient opted out (consent_withdraw would cancel them
    # too, as "consent withdrawn", which is how a withdrawal recorded by staff reads).
    reminders_cancel_on_channel(patient_id=patient.pk, channel=channel, reason="patient opted out")
    withdrawn = consent_withdraw(actor=actor, patient=patient, channel=Channel(channel), method=method)
    now = timezone.now()
    if withdrawn and confirm_by_sms and channel == ReminderChannel.SMS and settings.REMINDERS_SMS_OPT_OUT_CONFIRMATION:
        consent = ContactConsent.objects.filter(patient=patient, channel=channel, withdrawn_at__isnull=False).latest(
            "withdrawn_at")
        Reminder.objects.bulk_create([Reminder(
            patient=patient, kind=ReminderKind.OPT_OUT_CONFIRMATION, channel=channel, consent=consent, due_at=now,
            window_ends_at=now + dt.timedelta(hours=1), created_at=now, updated_at=now,
        )], ignore_conflicts=True)
        _publish_on_commit(Reminder.objects.filter(consent=consent, kind=ReminderKind.OPT_OUT_CONFIRMATION))
    return withdrawn


# --- Patient links and SMS replies ----------------------------------------------------------------

def patient_self_service_actor():
    """The account that patients' own actions (links, SMS replies) are recorded under in the
    appointment and the audit trail. It cannot sign in: inactive, with no usable password."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=settings.REMINDERS_SELF_SERVICE_USERNAME,
        defaults={"is_active": False, "display_name": "Patient (self-service)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
