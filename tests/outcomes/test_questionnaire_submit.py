"""Each step sent with Next is scored by the instrument's own scorer and recorded as a
patient-reported assessment on the plan, with no staff author; the last step completes the
questionnaire; all of it is in the audit trail under the self-service account."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from outcomes.models import Assessment, ReportedBy
from outcomes.services import ASSESSMENT_RECORDED, QUESTIONNAIRE_COMPLETED

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, link, send_step

pytestmark = pytest.mark.django_db


def test_a_migraine_plan_asks_its_self_report_scales_then_phq9_and_gad7(plan):
    # HIT-6 is licensed (total only, clinician-entered); EQ-5D VAS is EuroQol's, its wording not
    # confirmed for patients (EuroQol licence); the rest are the patient's own questionnaires.
    assert invite(plan).instruments == ["headache_days", "midas", "phq9", "gad7"]


def test_every_step_is_recorded_as_patient_reported_with_the_scorers_totals(client, plan, settings):
    invitation = invite(plan)
    for number, code in enumerate(invitation.instruments, 1):
        page = client.get(link(invitation)).content.decode()
        assert f"Part {number} of 4" in page
        response = send_step(client, invitation, code, MIGRAINE_ANSWERS[code])
        assert response.status_code == (200 if number == 4 else 302)
    assert "Thank you" in response.content.decode()

    scores = {a.instrument: a for a in Assessment.objects.filter(invitation=invitation)}
    assert {code: (a.total, a.band) for code, a in scores.items()} == {
        "headache_days": (Decimal(12), ""),
        "midas": (Decimal(15), "Grade III"),  # 3+4+2+5+1; a and b are not scored
        "phq9": (Decimal(8), "Mild"),
        "gad7": (Decimal(14), "Moderate"),
    }
    for assessment in scores.values():
        assert assessment.reported_by == ReportedBy.PATIENT and assessment.entered_by is None
        assert assessment.plan == plan and assessment.patient == plan.patient
        assert assessment.taken_on == timezone.localdate()
    assert scores["midas"].items == MIGRAINE_ANSWERS["midas"]

    invitation.refresh_from_db()
    assert invitation.completed_at is not None and invitation.answers == {}
    recorded = AuditEvent.objects.filter(action=ASSESSMENT_RECORDED)
    assert recorded.count() == 4
    assert {event.actor_label for event in recorded} == {settings.REMINDERS_SELF_SERVICE_USERNAME}
    assert all(event.changes["reported_by"] == "patient" for event in recorded)
    assert AuditEvent.objects.filter(action=QUESTIONNAIRE_COMPLETED, patient=plan.patient).count() == 1
