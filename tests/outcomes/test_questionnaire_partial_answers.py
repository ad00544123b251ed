"""Partial answers are kept: "Save and finish later" stores what is there, the link reopens on
the same step with those answers, and staff see the questionnaire as partly answered."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from outcomes.services import QUESTIONNAIRE_SAVED

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, link, send_step

pytestmark = pytest.mark.django_db


def test_saved_answers_come_back_when_the_link_is_opened_again(client, plan):
    invitation = invite(plan)
    send_step(client, invitation, "headache_days", MIGRAINE_ANSWERS["headache_days"])  # step 1 done
    response = send_step(client, invitation, "midas", {"q1": 3, "q2": 4, "b": 6}, save=True)
    assert response.status_code == 302

    page = client.get(link(invitation)).content.decode()
    assert "Your answers are saved" in page
    assert "Part 2 of 4" in page
    assert 'name="q1" value="3"' in page and 'name="q2" value="4"' in page
    assert 'name="b" value="6" class="btn-check" id="id_b_6" checked' in page
    invitation.refresh_from_db()
    assert invitation.answers == {"midas": {"q1": 3, "q2": 4, "b": 6}}
    assert invitation.status_label == "partly answered" and not invitation.assessments.filter(instrument="midas")


def test_saving_is_audited_under_the_self_service_account_without_the_answers(client, plan, settings):
    invitation = invite(plan)
    send_step(client, invitation, "headache_days", {"days": 9}, save=True)
    event = AuditEvent.objects.get(action=QUESTIONNAIRE_SAVED)
    assert event.actor_label == settings.REMINDERS_SELF_SERVICE_USERNAME and event.patient_id == plan.patient_id
    assert event.changes == {"instrument": "headache_days", "answered": 1}
