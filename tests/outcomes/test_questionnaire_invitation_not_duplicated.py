"""One visit, one questionnaire: resending, retrying or rescheduling its reminder, or two
reminders written at once, all use the same invitation and the same answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from outcomes.models import QuestionnaireInvitation
from outcomes.services import QUESTIONNAIRE_INVITED, questionnaire_invitation_for_appointment
from tests.concurrency import run_at_once
from tests.factories import AppointmentFactory, TreatmentPlanFactory, UserFactory

from .questionnaire_scene import invite, link, send_step, visit

pytestmark = pytest.mark.django_db


def test_asking_again_for_the_same_visit_returns_the_same_invitation(plan):
    invitation = invite(plan)
    for _ in range(3):
        assert questionnaire_invitation_for_appointment(appointment=invitation.appointment) == invitation
    assert QuestionnaireInvitation.objects.count() == 1
    assert AuditEvent.objects.filter(action=QUESTIONNAIRE_INVITED).count() == 1


def test_a_rescheduled_visit_keeps_its_invitation_and_answers(plan):
    invitation = invite(plan)
    send_step(Client(), invitation, "headache_days", {"days": 4}, save=True)
    appointment = invitation.appointment
    appointment.start_at += dt.timedelta(days=7)
    appointment.end_at += dt.timedelta(days=7)
    appointment.save()
    assert questionnaire_invitation_for_appointment(appointment=appointment) == invitation
    assert 'name="days" value="4"' in Client().get(link(invitation)).content.decode()


def test_no_invitation_for_a_visit_without_a_plan_or_already_begun(plan):
    no_plan = AppointmentFactory(patient=plan.patient, start_at=timezone.now() + dt.timedelta(days=2))
    assert questionnaire_invitation_for_appointment(appointment=no_plan) is None
    begun = visit(plan, start_at=timezone.now() - dt.timedelta(minutes=5))
    assert questionnaire_invitation_for_appointment(appointment=begun) is None


@pytest.mark.django_db(transaction=True)
def test_two_reminders_written_at_once_make_one_invitation():
    appointment = visit(TreatmentPlanFactory(responsible_clinician=UserFactory(role=Role.CLINICIAN)))

    def make() -> int:
        from django.db import transaction

        with transaction.atomic():  # as inside the reminder send's own transaction
            return questionnaire_invitation_for_appointment(appointment=appointment).pk

    outcomes = run_at_once([make] * 4)
    assert all(isinstance(pk, int) for pk in outcomes), outcomes
    assert len(set(outcomes)) == 1 and QuestionnaireInvitation.objects.count() == 1
