"""The report costs the same queries for one plan with one score as for a clinic of plans, cycles
and scales: scores and sessions are loaded set-wise and the figures computed in Python."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from outcomes.models import Assessment
from outcomes.services import assessment_record
from tests.factories import TreatmentPlanFactory, UserFactory
from tests.outcomes.conftest import record
from treatments.models import Indication, InjectionSession

from .conftest import BASELINE, FIRST, inject, items_summing

pytestmark = pytest.mark.django_db
# Every request: the session read, the user, their roles; then plans, sessions, scores and rules; the
# page adds its two filter menus, a filter by indication looks the chosen one up. (The session is
# saved at most once a minute, and the warmed one was saved just now.) The CSV also records the
# export in the audit trail (one insert).
PAGE, CSV, FILTERED = 9, 8, 10


def _small_clinic(clinician) -> None:
    plan = TreatmentPlanFactory(responsible_clinician=clinician)
    inject(plan, [FIRST])
    record(clinician, plan, "headache_days", {"days": 18}, BASELINE)


def _large_clinic(clinician) -> None:
    other = UserFactory(role=Role.CLINICIAN)
    for n in range(6):
        indication = "chronic_migraine" if n % 2 else "blepharospasm"
        plan = TreatmentPlanFactory(responsible_clinician=clinician if n % 3 else other, indication_code=indication)
        inject(plan, [FIRST + dt.timedelta(weeks=12 * cycle) for cycle in range(5)])
        for week in range(-1, 60, 4):
            day = FIRST + dt.timedelta(weeks=week)
            if indication == "chronic_migraine":
                record(clinician, plan, "headache_days", {"days": max(0, 20 - week // 4)}, day)
                record(clinician, plan, "hit6", {"total": max(36, 66 - week // 6)}, day)
            else:
                record(clinician, plan, "jankovic", {"severity": 3, "frequency": 2}, day)
            assessment_record(actor=clinician, patient=plan.patient, instrument="phq9",
                              items=items_summing(max(0, 14 - week // 5), 9), taken_on=day)


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("outcomes:report"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("params", "expected"), [
    ({}, PAGE), ({"format": "csv"}, CSV), ({"since": "2025-03-01", "indication": "chronic_migraine"}, FILTERED),
])
def test_the_report_costs_the_same_queries_for_one_score_and_for_a_clinic(
    clinician_client, clinician_user, django_assert_num_queries, params, expected
):
    if "indication" in params:
        params = {**params, "indication": Indication.objects.get(code=params["indication"]).pk}
    _small_clinic(clinician_user)
    clinician_client.get(reverse("outcomes:report"))  # warm the session
    small = _queries(clinician_client, **params)
    assert small == expected
    _large_clinic(clinician_user)
    assert Assessment.objects.count() > 200 and InjectionSession.objects.count() == 31
    with django_assert_num_queries(expected):
        assert clinician_client.get(reverse("outcomes:report"), params).status_code == 200
