"""The demo's year of scores: written once, and showing a response on the migraine plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from outcomes.models import Assessment, AssessmentAlert, QuestionnaireInvitation, ReportedBy
from tests.factories import AppointmentFactory, TreatmentPlanFactory, signed_session_make

pytestmark = pytest.mark.django_db


def test_a_year_of_scores_is_seeded_once_with_one_demo_alert(settings, clinician_user):
    settings.DEBUG = True
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=50)
    for n in range(5):
        signed_session_make(plan=plan, performed_at=start + dt.timedelta(weeks=12 * n))
    call_command("seed_demo_outcomes", seed=1)
    seeded = Assessment.objects.filter(plan=plan).count()
    call_command("seed_demo_outcomes", seed=1)
    assert Assessment.objects.filter(plan=plan).count() == seeded
    diary = list(Assessment.objects.filter(plan=plan, instrument="headache_days").order_by("taken_on"))
    assert len(diary) >= 12  # a diary month every 4 weeks for a year
    # Responder or not (random per plan), nobody ends the year worse than their baseline.
    assert sum(a.total for a in diary[-3:]) / 3 < diary[0].total + 1
    assert {"midas", "hit6", "phq9", "gad7", "eq5d_vas"} <= set(
        Assessment.objects.filter(plan=plan).values_list("instrument", flat=True))
    assert AssessmentAlert.objects.count() == 1


def test_the_next_visits_get_questionnaires_one_answered_and_one_partly_once(settings, clinician_user):
    settings.DEBUG = True
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    for n in range(4):
        plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
        AppointmentFactory(patient=plan.patient, plan=plan, start_at=soon + dt.timedelta(hours=n))
    call_command("seed_demo_outcomes", seed=1)
    call_command("seed_demo_outcomes", seed=1)
    invitations = list(QuestionnaireInvitation.objects.order_by("appointment__start_at"))
    assert [i.status_label for i in invitations] == ["completed", "partly answered", "not started"]
    assert Assessment.objects.filter(reported_by=ReportedBy.PATIENT).count() == len(invitations[0].instruments)


def test_it_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="DEBUG"):
        call_command("seed_demo_outcomes")
