"""Writes for reminders: keeping rows in step with appointments and plans (called by the hook
handlers in ``handlers.py`` and by the patient-link actions), staff actions, and opting out.
Sending lives in ``sending.py``; the patient-link actions in ``patient_actions.py``."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from patients.models import Channel, ConsentMethod, ContactConsent, Patient
from patients.services import consent_withdraw

from .models import Reminder, ReminderChannel, ReminderKind, ReminderState
from .selectors import (
    appointment_reminder_rows,
    booking_confirmation_rows,
    cycle_reminder_rows,
    reminders_no_longer_wanted,
)
from .sweep import insert_from_select, reminders_publish
from .timing import next_daytime, window_end

logger = logging.getLogger(__name__)


# --- Keeping rows in step with appointments and plans, without waiting for the sweep ------------

def _publish_on_commit(rows) -> None:
    now = timezone.now()
    ids = list(rows.filter(state=ReminderState.SCHEDULED, due_at__lte=now).values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=ids).update(published_at=now)
    reminders_publish(ids, now)  # inside our atomic: on commit


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
