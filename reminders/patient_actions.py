"""What a patient can do without signing in: confirm or cancel from a link, opt out from a
link or by replying STOP, confirm by replying C. Each is atomic; links are spent in the same
transaction as their action, so a failed action leaves the link usable."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.services import patient_self_service_actor
from outcomes.links import questionnaire_url
from outcomes.selectors import questionnaire_is_open
from outcomes.services import questionnaire_invitation_for_appointment
from patients.models import ConsentMethod, Patient
from scheduling.models import Appointment, AppointmentStatus, CancelledBy
from scheduling.services import appointment_cancel, appointment_confirm

from .links import LinkInvalid, LinkPurpose, LinkUsed, link_read, link_use
from .models import Reminder, ReminderChannel
from .services import patient_opt_out, reminders_for_appointment_sync

UPCOMING = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)
# TCPA / CTIA opt-out words (docs/reliability.md, messaging rules); "opt out" is two words, matched as a phrase.
OPT_OUT_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"})


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    OPTED_OUT = "opted_out"
    TOO_LATE = "too_late"


@dataclass(frozen=True)
class LinkResult:
    """What a link did, and for a confirmation the visit's questionnaire link ("" if none): the
    way an SMS patient, whose 160 characters hold only the confirm link, gets to the questions."""

    outcome: Outcome
    questionnaire_url: str = ""


@dataclass(frozen=True)
class LinkView:
    """All a patient-link page may show: a first name and the appointment's time; for a cancel
    link, whether it is too late to cancel online (said before any button is offered)."""

    first_name: str
    starts_at: dt.datetime | None
    channel: str
    too_late_to_cancel: bool = False


def link_reminder(purpose: LinkPurpose, token: str) -> Reminder:
    """The reminder a valid, unused link points at; else ``LinkInvalid`` (``LinkUsed`` when it
    was spent and what it is about still stands). An appointment link is good only for the
    appointment time it was sent for, while that time is still ahead."""
    grant = link_read(purpose, token)
    reminder = Reminder.objects.select_related("patient", "appointment").filter(pk=grant.reminder_id).first()
    if reminder is None:
        raise LinkInvalid("no such reminder")
    if purpose != LinkPurpose.OPT_OUT:
        appointment = reminder.appointment
        if (appointment is None or appointment.status not in UPCOMING
                or appointment.start_at != reminder.appointment_start_at or appointment.start_at <= timezone.now()):
            raise LinkInvalid("appointment no longer upcoming at that time", gone=True)
    if grant.used:
        raise LinkUsed
    return reminder


def _too_late_to_cancel(appointment: Appointment) -> bool:
    return appointment.start_at - timezone.now() < dt.timedelta(hours=settings.REMINDERS_CANCEL_NOTICE_HOURS)


def link_view(purpose: LinkPurpose, token: str) -> LinkView:
    reminder = link_reminder(purpose, token)
    patient = reminder.patient
    return LinkView(first_name=patient.preferred_name or patient.first_name,
                    starts_at=reminder.appointment_start_at, channel=reminder.channel,
                    too_late_to_cancel=purpose == LinkPurpose.CANCEL and _too_late_to_cancel(reminder.appointment))


@transaction.atomic
def link_act(purpose: LinkPurpose, token: str) -> LinkResult:
    """Do what the link is for, once. Cancelling inside ``REMINDERS_CANCEL_NOTICE_HOURS`` is
    refused (the page shows the clinic's phone) and leaves the link unspent. Confirming also
    returns the visit's questionnaire link, if it has one still open."""
    reminder = link_reminder(purpose, token)
    if purpose == LinkPurpose.OPT_OUT:
        link_use(purpose, token)
        patient_opt_out(patient=reminder.patient, channel=reminder.channel, method=ConsentMethod.PATIENT_LINK)
        return LinkResult(Outcome.OPTED_OUT)
    appointment = Appointment.objects.select_for_update().get(pk=reminder.appointment_id)
    actor = patient_self_service_actor()
    if purpose == LinkPurpose.CONFIRM:
        link_use(purpose, token)
        if appointment.status == AppointmentStatus.BOOKED:
            appointment = appointment_confirm(actor=actor, appointment=appointment)
        return LinkResult(Outcome.CONFIRMED, questionnaire_url=_questionnaire_offer(appointment))
    if _too_late_to_cancel(appointment):  # the page said so; a page opened earlier can still get here
        return LinkResult(Outcome.TOO_LATE)
    link_use(purpose, token)
    appointment_cancel(actor=actor, appointment=appointment, by=CancelledBy.PATIENT,
                       reason="Cancelled by the patient from a reminder link")
    reminders_for_appointment_sync(appointment_id=appointment.pk)
    return LinkResult(Outcome.CANCELLED)


def _questionnaire_offer(appointment: Appointment) -> str:
    """The visit's questionnaire link, made by the same service as the reminder email's (one
    invitation per appointment, whichever path comes first, however many times), or "" when the
    visit has nothing to ask about or the questions are already answered. Only a POST gets here:
    a link scanner's GET makes no invitation."""
    invitation = questionnaire_invitation_for_appointment(appointment=appointment)
    if invitation is None or not questionnaire_is_open(invitation):
        return ""
    return questionnaire_url(invitation.pk)


def is_opt_out(body: str) -> bool:
    """STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT in any case, anywhere in
    the reply ("stop please", "Cancel"): when in doubt, the patient is opted out."""
    words = re.findall(r"[a-z]+", body.lower())
    return bool(OPT_OUT_WORDS.intersection(words)) or "opt out" in " ".join(words)


@transaction.atomic
def sms_reply_handle(*, from_number: str, body: str) -> str:
    """An inbound SMS: opt-out words opt out every patient on that number (one confirmation
    text at most); "C" confirms the soonest booked appointment. Returns what was done."""
    patients = list(Patient.objects.filter(phone=from_number).order_by("pk"))
    if not patients:
        return "unknown number"
    if is_opt_out(body):
        confirmation_queued = False
        for patient in patients:
            withdrew = patient_opt_out(patient=patient, channel=ReminderChannel.SMS, method=ConsentMethod.SMS_REPLY,
                                       confirm_by_sms=not confirmation_queued)
            confirmation_queued = confirmation_queued or withdrew
        return "opted out"
    if body.strip().lower() == "c":
        appointment = (Appointment.objects.select_for_update().filter(
            patient__in=patients, status=AppointmentStatus.BOOKED, start_at__gt=timezone.now()).order_by("start_at")
            .first())
        if appointment is None:
            return "nothing to confirm"
        appointment_confirm(actor=patient_self_service_actor(), appointment=appointment)
        return "confirmed"
    return "ignored"
