"""The treatment chart on the patient page: what it shows, and a query count that stays flat as
the history grows (1 session and 50 sessions cost the same)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SessionVialFactory, TreatmentPlanFactory, VialLotFactory, signed_session_make

pytestmark = pytest.mark.django_db

# The patient page with the clinician's chart, whatever the history's length. Measured, then pinned:
# a change here means a page now loads something per row.
# 19 + the appointments list (scheduling) + 3 for outcomes (assessments, rules, alerts)
# + 1 for the reminder history (reminders) + 1 for the next visit's questionnaire status (outcomes)
# - 4 the view's audit entry no longer spends on the chain head (one insert; beat chains it)
# - 3 now that the session is saved at most once a minute, not on every request
CHART_QUERIES = 18


def _history(plan, lot, sessions: int) -> None:
    start = dt.datetime(2020, 1, 6, 15, tzinfo=dt.UTC)
    for n in range(sessions):
        session = signed_session_make(plan=plan, performed_at=start + dt.timedelta(weeks=12 * n))
        SessionVialFactory(session=session, lot=lot, vials_opened=1)


def _chart_queries(client, patient) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_chart_costs_the_same_number_of_queries_at_1_and_at_50_sessions(
    clinician_client, clinician_user, django_assert_num_queries
):
    lot = VialLotFactory(vial_units=200, quantity_received=100)
    one = TreatmentPlanFactory(responsible_clinician=clinician_user)
    fifty = TreatmentPlanFactory(responsible_clinician=clinician_user)
    TreatmentPlanFactory(patient=fifty.patient, responsible_clinician=clinician_user, indication_code="blepharospasm")
    _history(one, lot, 1)
    _history(fifty, lot, 50)
    clinician_client.get(reverse("patients:detail", kwargs={"pk": one.patient.pk}))  # warm the session
    with django_assert_num_queries(CHART_QUERIES):
        clinician_client.get(reverse("patients:detail", kwargs={"pk": one.patient.pk}))
    with django_assert_num_queries(CHART_QUERIES):
        page = clinician_client.get(reverse("patients:detail", kwargs={"pk": fifty.patient.pk}))
    assert page.content.decode().count('data-testid="session-total"') == 50


def test_the_chart_lists_plans_with_codes_due_dates_and_the_timeline(clinician_client, clinician_user):
    lot = VialLotFactory(vial_units=200, lot_number="C77777")
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    session = signed_session_make(plan=plan, performed_at=dt.datetime(2026, 3, 2, 16, tzinfo=dt.UTC))
    SessionVialFactory(session=session, lot=lot)
    html = clinician_client.get(reverse("patients:detail", kwargs={"pk": plan.patient.pk})).content.decode()
    assert plan.diagnosis_code.code in html and "Chronic migraine" in html
    assert "May 25, 2026" in html  # next due: Mar 2 + 12 weeks
    assert "overdue" in html
    assert "Mar 2, 2026, 10:00 AM" in html  # 16:00 UTC shown in clinic time (Chicago, CST)
    assert "155 U Botox" in html and "Temporalis L 155 U" in html and "C77777" in html
    assert str(plan.responsible_clinician) in html
