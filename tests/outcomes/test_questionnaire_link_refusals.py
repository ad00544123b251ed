"""Reliability row "Patient links" for the questionnaire: a tampered or foreign link answers 404 and an
expired or spent one 410, each with the friendly page and no patient details; a good one works
again and again until then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.links import LinkPurpose, link_code_new, signed_link_token
from scheduling.models import AppointmentStatus

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, link, send_step

pytestmark = pytest.mark.django_db
REFUSED = "This link no longer works"


def refused(response, patient, status: int) -> bool:
    html = response.content.decode()
    return (response.status_code == status and REFUSED in html and patient.first_name not in html
            and patient.last_name not in html)


def test_the_link_opens_again_and_again_until_the_questionnaire_is_done(client, plan):
    invitation = invite(plan)
    for _ in range(3):
        assert "Before your visit" in client.get(link(invitation)).content.decode()


def test_a_tampered_token_is_refused(client, plan):
    invitation = invite(plan)
    url = link(invitation)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert refused(client.get(reverse("questionnaire:answer", kwargs={"token": forged})), plan.patient, 404)
    assert refused(client.post(reverse("questionnaire:answer", kwargs={"token": forged}),
                               {"step": "headache_days", "days": "3", "next": "1"}), plan.patient, 404)
    assert not invitation.assessments.exists()


def test_a_reminder_link_for_the_same_number_does_not_open_a_questionnaire(client, plan):
    invitation = invite(plan)
    for reminder_token in (link_code_new(), signed_link_token(LinkPurpose.CONFIRM, invitation.pk)):
        response = client.get(reverse("questionnaire:answer", kwargs={"token": reminder_token}))
        assert refused(response, plan.patient, 404)


def test_the_link_stops_working_when_the_visit_starts(client, plan, time_machine):
    invitation = invite(plan)
    time_machine.move_to(invitation.appointment.start_at + dt.timedelta(minutes=1))
    assert refused(client.get(link(invitation)), plan.patient, 410)
    assert refused(send_step(client, invitation, "headache_days", {"days": 3}), plan.patient, 410)
    invitation.refresh_from_db()
    assert invitation.answers == {} and not invitation.assessments.exists()


def test_the_link_stops_working_when_the_visit_is_cancelled(client, plan):
    invitation = invite(plan)
    invitation.appointment.status = AppointmentStatus.CANCELLED
    invitation.appointment.cancelled_at, invitation.appointment.cancelled_by = timezone.now(), "patient"
    invitation.appointment.save()
    assert refused(client.get(link(invitation)), plan.patient, 410)


def test_a_link_older_than_the_longest_a_reminder_link_lives_is_refused(client, plan, settings, time_machine):
    invitation = invite(plan, start_at=timezone.now() + dt.timedelta(days=60))
    url = link(invitation)
    time_machine.move_to(timezone.now() + dt.timedelta(days=settings.REMINDERS_LINK_MAX_AGE_DAYS, hours=1))
    assert refused(client.get(url), plan.patient, 410)


def test_the_link_stops_working_once_the_questionnaire_is_sent(client, plan):
    invitation = invite(plan)
    for code in invitation.instruments:
        send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    assert refused(client.get(link(invitation)), plan.patient, 410)
