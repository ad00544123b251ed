"""Recording an assessment: scored by the code from the items, linked and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from outcomes.models import Assessment, AssessmentAlert
from outcomes.services import assessment_record
from tests.factories import InjectionSessionFactory, TreatmentPlanFactory

from .conftest import phq9, record

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)


def test_the_total_and_band_come_from_the_items_and_the_write_is_audited(clinician_user, plan):
    assessment = record(clinician_user, plan, "phq9", phq9(rest=2), DAY)
    assert (assessment.total, assessment.band) == (16, "Moderately severe")
    assert assessment.items["item1"] == 2 and assessment.entered_by == clinician_user
    event = AuditEvent.objects.get(action="outcomes.assessment.recorded")
    assert event.patient_id == plan.patient_id and event.changes["total"] == "16"


def test_a_total_sent_with_the_items_is_refused_not_trusted(clinician_user, plan):
    with pytest.raises(ValidationError):
        record(clinician_user, plan, "gad7", {**{f"item{n}": 0 for n in range(1, 8)}, "total": 21}, DAY)
    assert not Assessment.objects.exists()


def test_phq9_item_9_above_zero_alerts_the_plans_responsible_clinician(clinician_user, plan, manager_user):
    assessment = record(manager_user, plan, "phq9", phq9(item9=1, rest=0), DAY)
    alert = AssessmentAlert.objects.get(assessment=assessment)
    assert alert.clinician == clinician_user and alert.acknowledged_at is None
    assert AuditEvent.objects.filter(action="outcomes.alert.raised", patient=plan.patient).exists()


def test_a_standalone_phq9_alerts_the_clinician_of_the_patients_active_plan(clinician_user, plan, manager_user):
    assessment = assessment_record(actor=manager_user, patient=plan.patient, instrument="phq9",
                                   items=phq9(item9=2), taken_on=DAY)
    assert assessment.plan is None and assessment.alert.clinician == clinician_user


def test_no_alert_when_item_9_is_zero(clinician_user, plan):
    record(clinician_user, plan, "phq9", phq9(item9=0, rest=3), DAY)
    assert not AssessmentAlert.objects.exists()


def test_a_session_links_its_plan_and_must_belong_to_it(clinician_user, plan):
    session = InjectionSessionFactory(plan=plan)
    assessment = assessment_record(actor=clinician_user, patient=plan.patient, instrument="headache_days",
                                   items={"days": 12}, taken_on=DAY, session=session)
    assert assessment.plan == plan
    other = TreatmentPlanFactory(patient=plan.patient, responsible_clinician=clinician_user)
    with pytest.raises(ValidationError):
        record(clinician_user, other, "headache_days", {"days": 3}, DAY, session=session)


def test_another_patients_plan_and_a_future_date_are_refused(clinician_user, plan):
    stranger = TreatmentPlanFactory(responsible_clinician=clinician_user)
    with pytest.raises(ValidationError):
        assessment_record(actor=clinician_user, patient=stranger.patient, plan=plan, instrument="tsui",
                          items={"total": 3}, taken_on=DAY)
    with pytest.raises(ValidationError):
        record(clinician_user, plan, "tsui", {"total": 3}, dt.date.today() + dt.timedelta(days=1))


def test_the_front_desk_cannot_record_scores(front_desk_user, plan):
    with pytest.raises(PermissionDenied):
        record(front_desk_user, plan, "tsui", {"total": 3}, DAY)
