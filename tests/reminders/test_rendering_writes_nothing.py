"""Rendering a reminder only reads: the questionnaire invitation an appointment email links to is
made by the send, in its transaction, before the message is rendered, and the link the email
carries is that invitation's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.links import questionnaire_url
from outcomes.models import QuestionnaireInvitation
from patients.models import Channel
from reminders.content import email_for
from reminders.links import link_codes_issue
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import reminder_send
from reminders.sweep import reminders_create
from tests.factories import TreatmentPlanFactory
from tests.outcomes.questionnaire_scene import local, visit, with_email_consent

pytestmark = pytest.mark.django_db
NOW = local(2030, 6, 3, 11)  # Monday morning; the visit is Tuesday 10:00, inside the email's lead time
VISIT = local(2030, 6, 4, 10)


@pytest.fixture(autouse=True)
def _now(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"


@pytest.fixture
def appointment_email(clinician_user) -> Reminder:
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    with_email_consent(plan.patient)
    appointment = visit(plan, start_at=VISIT)
    reminders_create(NOW)
    reminder = Reminder.objects.select_related("patient", "appointment").get(
        appointment=appointment, kind=ReminderKind.APPOINTMENT, channel=Channel.EMAIL)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=NOW)
    return reminder


def test_rendering_an_appointment_reminder_email_writes_nothing(appointment_email):
    links = link_codes_issue([appointment_email])[appointment_email.pk]  # the sender issues them first
    with CaptureQueriesContext(connection) as queries:
        email = email_for(appointment_email, links=links)

    assert [query["sql"] for query in queries if not query["sql"].lstrip().upper().startswith("SELECT")] == []
    assert not QuestionnaireInvitation.objects.exists()
    assert "answer a few questions" not in email.text  # no link was handed in, so none is drawn


def test_the_send_makes_the_invitation_whose_link_the_email_carries(appointment_email, mailoutbox):
    assert reminder_send(reminder_id=appointment_email.pk) == ReminderState.SENT

    invitation = QuestionnaireInvitation.objects.get()
    assert invitation.appointment_id == appointment_email.appointment_id
    [email] = mailoutbox
    assert questionnaire_url(invitation.pk) in email.body
