"""A patient answering PHQ-9 item 9 above zero raises the same alert as a clinician's entry would,
for the plan's responsible clinician, at once (not when the whole questionnaire is finished)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.models import AlertKind, AssessmentAlert

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, send_step

pytestmark = pytest.mark.django_db


def test_item_9_above_zero_alerts_the_plans_responsible_clinician(client, clinician_client, clinician_user, plan):
    invitation = invite(plan)
    for code in ("headache_days", "midas"):
        send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    send_step(client, invitation, "phq9", {**MIGRAINE_ANSWERS["phq9"], "item9": 2})

    alert = AssessmentAlert.objects.get()  # the patient stopped there: the alert is already raised
    assert alert.kind == AlertKind.PHQ9_ITEM9 and alert.clinician == clinician_user == plan.responsible_clinician
    assert alert.assessment.reported_by == "patient" and alert.patient == plan.patient
    worklist = clinician_client.get(reverse("outcomes:alerts")).content.decode()
    assert plan.patient.display_name in worklist


def test_item_9_at_zero_raises_nothing(client, plan):
    invitation = invite(plan)
    for code in ("headache_days", "midas", "phq9"):
        send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
    assert not AssessmentAlert.objects.exists()
