"""The scene for the pre-visit questionnaire tests: a visit on a plan, its invitation (made the
way the reminder makes it), the patient's link, and a patient's client answering steps."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outcomes.links import questionnaire_token
from outcomes.models import QuestionnaireInvitation
from outcomes.services import questionnaire_invitation_for_appointment
from patients.models import Channel
from tests.factories import AppointmentFactory, AppointmentTypeFactory, ContactConsentFactory

CHICAGO = ZoneInfo("America/Chicago")  # settings.TIME_ZONE, the clinic's


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def visit(plan, *, start_at: dt.datetime | None = None, **extra):
    """A follow-up on ``plan`` (tomorrow unless told), as booking leaves it."""
    return AppointmentFactory(
        patient=plan.patient, plan=plan, appointment_type=AppointmentTypeFactory(name="Follow-up"),
        start_at=start_at or timezone.now() + dt.timedelta(days=1), **extra)


def invite(plan, **visit_fields) -> QuestionnaireInvitation:
    invitation = questionnaire_invitation_for_appointment(appointment=visit(plan, **visit_fields))
    assert invitation is not None
    return invitation


def link(invitation: QuestionnaireInvitation) -> str:
    return reverse("questionnaire:answer", kwargs={"token": questionnaire_token(invitation.pk)})


def send_step(client: Client, invitation: QuestionnaireInvitation, instrument: str, answers: dict[str, Any], *,
              save: bool = False, url: str | None = None):
    """Post one step as the page's form does: Next, or Save and finish later."""
    data = {"step": instrument, **{code: str(value) for code, value in answers.items()},
            ("save" if save else "next"): "1"}
    return client.post(url or link(invitation), data)


def with_email_consent(patient) -> None:
    patient.preferred_channel = Channel.EMAIL
    patient.save(update_fields=["preferred_channel"])
    ContactConsentFactory(patient=patient, channel=Channel.EMAIL)


# Every step of a chronic-migraine plan's questionnaire, answered (a valid set of answers each).
MIGRAINE_ANSWERS: dict[str, dict[str, int]] = {
    "headache_days": {"days": 12},
    "midas": {"q1": 3, "q2": 4, "q3": 2, "q4": 5, "q5": 1, "a": 30, "b": 6},
    "phq9": {f"item{n}": 1 for n in range(1, 10)} | {"item9": 0},
    "gad7": {f"item{n}": 2 for n in range(1, 8)},
}
