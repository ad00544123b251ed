"""Sending due reminders, a batch of ids at a time (one ``reminders.send_batch`` task per batch).

The outbox rules of docs/conventions.md, applied to the batch set-based and then to each row:
1. One transaction: lock the rows and their patients (one read), re-check them (one query per
   kind and channel in the batch), settle those that must not go out, and claim the rest with
   one conditional UPDATE that also records the attempt. Commit.
2. Per claimed row: record that the transport is being called (committed before the call: the
   claim records it for the first row), call it, record the outcome.

A worker that dies during 1 leaves every row scheduled (the sweep publishes them again); one
that dies during 2 leaves the rows it already handed to a provider ``sending`` with
``transport_called_at`` set (the reaper flags them for review: they may have left) and the rows
it had not reached ``sending`` without it (the reaper puts them back in the outbox). A transport
call never runs inside a transaction (a slow gateway must not hold locks, and a rollback cannot
unsend a message).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone

from outcomes.links import questionnaire_url
from outcomes.services import questionnaire_invitation_for_appointment
from patients.models import ReminderPreference

from .content import ContentError, LinkCodes, email_for, sms_for
from .links import PURPOSES_BY_KIND, link_codes_issue
from .models import Reminder, ReminderChannel, ReminderKind, ReminderState
from .selectors import SendChecks, reminders_send_checks
from .timing import local_instant, local_today, next_daytime, retry_backoff, window_end
from .transports import OutgoingEmail, OutgoingSms, TransportError, sms_transport
from .transports.email import email_send

logger = logging.getLogger(__name__)

NOT_CLAIMED = "not claimed"


def _update(reminder_ids: list[int], *, expected: str, **fields: Any) -> int:
    """Move rows on from ``expected``; returns how many moved (others were moved by someone else)."""
    fields.setdefault("updated_at", timezone.now())
    return Reminder.objects.filter(pk__in=reminder_ids, state=expected).update(**fields)


def _state_of(reminder_id: int) -> str:
    return Reminder.objects.values_list("state", flat=True).get(pk=reminder_id)


def _claim(reminder_ids: list[int], *, now: dt.datetime, calling: int) -> int:
    """``UPDATE … SET state='sending', attempts=attempts+1, claimed_at=now, transport_called_at=…
    WHERE id IN (…) AND state='scheduled' AND due_at <= now``: of any number of deliveries of
    the same ids, one claims each row. ``transport_called_at`` is set for ``calling``, the row
    whose transport call comes first, and cleared for the others (a retried row may hold its
    last attempt's): each of those is set just before its own call."""
    called_at = now if len(reminder_ids) == 1 else Case(
        When(pk=calling, then=Value(now)), default=Value(None), output_field=DateTimeField())
    return Reminder.objects.filter(pk__in=reminder_ids, state=ReminderState.SCHEDULED, due_at__lte=now).update(
        state=ReminderState.SENDING, attempts=F("attempts") + 1, claimed_at=now, transport_called_at=called_at,
        updated_at=now,
    )


def reminder_claim(*, reminder_id: int, now: dt.datetime) -> bool:
    """Claim one row and record its attempt, as a worker does just before calling the transport:
    exactly one of any number of concurrent callers gets True. Once this has committed the
    reaper must assume the message may have left."""
    return _claim([reminder_id], now=now, calling=reminder_id) == 1


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


def _cap_outcome(reminder: Reminder, now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """Defer to the next clinic day while the reminder is still useful (a cycle reminder has two
    weeks: deferring loses nothing); skip once the next chance is past its window (an
    appointment's SMS deferred past the appointment would only confuse). (state, fields)."""
    next_chance = next_daytime(local_instant(local_today(now) + dt.timedelta(days=1), dt.time.min))
    end = window_end(reminder)
    if end is not None and next_chance >= end:
        return ReminderState.SKIPPED, {"state": ReminderState.SKIPPED, "skip_reason": "cap reached"}
    return ReminderState.SCHEDULED, {"due_at": next_chance, "published_at": None,
                                     "last_error": "SMS cap reached: deferred a day"}


Message = OutgoingEmail | OutgoingSms


@dataclass
class _Batch:
    """What the locked read decided: each row's state for the caller, the set-based writes that
    settle rows which will not be sent, and the rows to send with their messages."""

    states: dict[int, str]
    settle: dict[tuple, list[int]]  # frozen fields -> ids
    to_send: list[tuple[Reminder, Message]]

    def decide(self, reminder: Reminder, state: str, fields: dict[str, Any]) -> None:
        self.states[reminder.pk] = state
        self.settle[tuple(sorted(fields.items()))].append(reminder.pk)


def _checks_for(rows: list[Reminder], now: dt.datetime) -> tuple[dict[int, SendChecks], dict[int, dict]]:
    """Each row's re-checks and SMS caps: one query per (kind, channel) in the batch."""
    groups: dict[tuple[str, str], list[Reminder]] = defaultdict(list)
    for reminder in rows:
        groups[reminder.kind, reminder.channel].append(reminder)
    checks: dict[int, SendChecks] = {}
    caps: dict[int, dict] = {}
    for (kind, channel), members in groups.items():
        group_caps = _sms_cap_since(members[0], now)
        checks |= reminders_send_checks(kind=kind, channel=channel, reminder_ids=[r.pk for r in members], now=now,
                                        sms_since=tuple(group_caps))
        caps |= dict.fromkeys((r.pk for r in members), group_caps)
    return checks, caps


def _decide(rows: list[Reminder], now: dt.datetime) -> _Batch:
    """Every row's fate under the lock; renders the messages of the rows that will be sent, with
    their link codes (issued for the batch in two queries, committed with the claim).

    At most one capped SMS a patient per batch: the caps count SMS sent or in flight, and two
    rows of one batch would each count without the other. The later waits in the outbox (its
    ``published_at`` cleared, so the next sweep hands it on at once) and is then capped as usual."""
    batch = _Batch(states={}, settle=defaultdict(list), to_send=[])
    checks, caps = _checks_for(rows, now)
    candidates = []
    for reminder in rows:
        if verdict := _why_not_send(reminder, checks[reminder.pk], now):
            state, reason = verdict
            batch.decide(reminder, state, {"state": state, "skip_reason": reason})
        elif any(sent >= limit for sent, limit in zip(checks[reminder.pk].sms_sent_since, caps[reminder.pk].values(),
                                                       strict=True)):
            batch.decide(reminder, *_cap_outcome(reminder, now))
        else:
            candidates.append(reminder)
    links = link_codes_issue([r for r in candidates if PURPOSES_BY_KIND[r.kind]]) if candidates else {}
    texting: set[int] = set()
    for reminder in candidates:
        if caps[reminder.pk] and reminder.patient_id in texting:
            batch.decide(reminder, ReminderState.SCHEDULED, {"published_at": None})
            continue
        try:
            message = _render(reminder, links.get(reminder.pk, {}))
        except ContentError as error:
            batch.decide(reminder, ReminderState.FAILED, {"state": ReminderState.FAILED, "last_error": str(error)})
            continue
        if caps[reminder.pk]:
            texting.add(reminder.patient_id)
        batch.to_send.append((reminder, message))
    return batch


def _questionnaire_link(reminder: Reminder) -> str:
    """The visit's questionnaire link for an appointment reminder email, or "" when the visit has
    nothing to ask about. The invitation is made here, just before the message that carries its
    link is rendered, inside the send's transaction (``_prepare``): every link sent has its row,
    no row exists that no message carried (a lost claim rolls it back), and retries or a second
    reminder reuse the one row. Email only: an SMS has no room for a second link within 160
    characters (an SMS patient is offered it after confirming from the SMS's link:
    ``patient_actions.link_act``)."""
    if reminder.kind != ReminderKind.APPOINTMENT:
        return ""
    invitation = questionnaire_invitation_for_appointment(appointment=reminder.appointment)
    return questionnaire_url(invitation.pk) if invitation is not None else ""


def _render(reminder: Reminder, links: LinkCodes) -> Message:
    """The message for a row that will be sent: what it links to (its link codes, issued for the
    batch by ``_decide``, and the questionnaire invitation) is written first, then it is rendered
    (rendering only reads)."""
    if reminder.channel == ReminderChannel.SMS:
        return sms_for(reminder, links=links)
    return email_for(reminder, links=links, questionnaire_url=_questionnaire_link(reminder))


class _ClaimLost(Exception):
    """The claim moved fewer rows than the lock read found: roll the whole decision back."""


@transaction.atomic
def _prepare(reminder_ids: list[int], now: dt.datetime) -> _Batch:
    """Under locks on the rows and their patients (so a second delivery waits, then finds the
    rows taken, and two of a patient's SMS in different batches cannot both pass the cap check):
    settle the rows that must not go out, claim the others and record the attempt, in one
    transaction committed before any provider hears of them.

    Locks are taken in (patient, reminder) order (PostgreSQL locks rows as the sorted result is
    read), so two batches sharing patients queue rather than deadlock. The checks read after the
    locks are held, in statements of their own: on PostgreSQL a statement that waited for a lock
    still reads with the snapshot it started with."""
    rows = list(
        Reminder.objects.select_related("patient", "appointment").select_for_update(of=("self", "patient"))
        .filter(pk__in=reminder_ids, state=ReminderState.SCHEDULED, due_at__lte=now).order_by("patient_id", "pk")
    )
    if not rows:
        return _Batch(states={}, settle={}, to_send=[])
    batch = _decide(rows, now)
    for fields, ids in batch.settle.items():
        _update(ids, expected=ReminderState.SCHEDULED, **dict(fields), updated_at=now)
    if batch.to_send:
        ids = [reminder.pk for reminder, _ in batch.to_send]
        # The attempt is on record before the provider hears of it (see the module docstring).
        if _claim(ids, now=now, calling=ids[0]) != len(ids):
            raise _ClaimLost  # not while we hold the locks; the conditional UPDATE is the guarantee
        for reminder, _ in batch.to_send:
            reminder.state, reminder.attempts = ReminderState.SENDING, reminder.attempts + 1  # what it wrote
    return batch


def _record_failure(reminder: Reminder, error: TransportError) -> str:
    now = timezone.now()
    pk, sending = [reminder.pk], ReminderState.SENDING
    if error.ambiguous:
        state = ReminderState.FAILED
        moved = _update(pk, expected=sending, state=state, needs_review=True,
                        last_error=f"check provider before sending again: {error}")
    elif error.permanent:
        state = ReminderState.FAILED
        moved = _update(pk, expected=sending, state=state, last_error=str(error))
    elif reminder.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
        state = ReminderState.FAILED
        moved = _update(pk, expected=sending, state=state,
                        last_error=f"gave up after {reminder.attempts} attempts: {error}")
    else:
        # Back to the outbox with a later due_at: the sweep hands it out again then. No Celery
        # retry and no countdown: the database, not the broker, holds what waits.
        due_at = now + retry_backoff(reminder.attempts)
        if reminder.channel == ReminderChannel.SMS:
            due_at = next_daytime(due_at)
        state = ReminderState.SCHEDULED
        moved = _update(pk, expected=sending, state=state, due_at=due_at, published_at=None, last_error=str(error))
    return state if moved else _state_of(reminder.pk)


def _send_one(reminder: Reminder, message: Message, sms_send) -> str:
    """Call the transport for one claimed row and record the outcome; returns its state."""
    try:
        provider_id = email_send(message) if isinstance(message, OutgoingEmail) else sms_send(message)
    except TransportError as error:
        return _record_failure(reminder, error)
    except Exception as error:  # noqa: BLE001 - a bug mid-call: as ambiguous as a timeout
        logger.exception("reminders: transport raised unexpectedly for reminder %s", reminder.pk)
        return _record_failure(reminder, TransportError(repr(error), permanent=True, ambiguous=True))
    if _update([reminder.pk], expected=ReminderState.SENDING, state=ReminderState.SENT, sent_at=timezone.now(),
               provider_message_id=provider_id[:100], last_error=""):
        return ReminderState.SENT
    return _state_of(reminder.pk)


def _calling(reminder_id: int) -> bool:
    """Record, committed, that this row's transport is about to be called (see the module docstring)."""
    now = timezone.now()
    return Reminder.objects.filter(pk=reminder_id, state=ReminderState.SENDING, transport_called_at__isnull=True
                                   ).update(transport_called_at=now, updated_at=now) == 1


def _release(reminder_ids: list[int]) -> int:
    """Hand claimed rows whose transport was never called back to the outbox, attempt undone."""
    return _update(reminder_ids, expected=ReminderState.SENDING, state=ReminderState.SCHEDULED,
                   attempts=F("attempts") - 1, published_at=None, claimed_at=None)


def reminders_send(*, reminder_ids: list[int]) -> dict[int, str]:
    """Send the due, still wanted rows among ``reminder_ids``; returns each row's state afterwards,
    ``"not claimed"`` for rows not due or taken by someone else (for logs and tests). Safe to call
    any number of times, concurrently, with overlapping ids: only a row's claimant sends it.

    The transport calls stop after ``REMINDERS_SEND_BATCH_SECONDS`` (a slow gateway must not run
    the batch into Celery's time limit): the rows not reached go back to the outbox at once."""
    now = timezone.now()
    states = dict.fromkeys(reminder_ids, NOT_CLAIMED)
    try:
        batch = _prepare(list(reminder_ids), now)
    except _ClaimLost:
        return states
    states |= batch.states
    sms_send = sms_transport().send if any(isinstance(m, OutgoingSms) for _, m in batch.to_send) else None
    deadline = time.monotonic() + settings.REMINDERS_SEND_BATCH_SECONDS
    for index, (reminder, message) in enumerate(batch.to_send):
        if index and time.monotonic() > deadline:
            rest = [pending.pk for pending, _ in batch.to_send[index:]]
            _release(rest)
            states |= dict.fromkeys(rest, ReminderState.SCHEDULED)
            logger.warning("reminders: batch out of time; %s rows back to the outbox", len(rest))
            break
        if index and not _calling(reminder.pk):
            states[reminder.pk] = _state_of(reminder.pk)  # not while it is ours: the reaper waits longer
            continue
        states[reminder.pk] = _send_one(reminder, message, sms_send)
    return states


def reminder_send(*, reminder_id: int) -> str:
    """Send one reminder if it is due and still wanted; returns its state afterwards (for logs)."""
    return reminders_send(reminder_ids=[reminder_id])[reminder_id]
