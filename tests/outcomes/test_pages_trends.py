"""Trends on the patient chart: an SVG and a table of the same figures per scale, injections
marked, the response per cycle, the advisory NICE TA260 finding, and a flat query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import ResponseRule
from tests.factories import TreatmentPlanFactory, signed_session_make

from .conftest import phq9, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nice_rule_on")]  # the clinic uses NICE TA260
FIRST = dt.date(2025, 1, 6)


def _injections(plan, cycles: int = 3) -> list[dt.date]:
    days = [FIRST + dt.timedelta(weeks=12 * n) for n in range(cycles)]
    for day in days:
        signed_session_make(plan=plan, performed_at=dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC))
    return days


def _headache_days(actor, plan, values: list[int]) -> None:
    """Baseline the week before cycle 1, then one score every four weeks."""
    for n, days in enumerate(values):
        record(actor, plan, "headache_days", {"days": days}, FIRST - dt.timedelta(days=7) + dt.timedelta(weeks=4 * n))


def _page(client, plan) -> str:
    return client.get(reverse("patients:detail", args=[plan.patient_id])).content.decode()


def test_each_scale_has_an_svg_with_injection_markers_and_a_table_of_the_same_figures(
    clinician_client, clinician_user, plan
):
    _injections(plan)
    _headache_days(clinician_user, plan, [20, 16, 14, 12])
    record(clinician_user, plan, "phq9", phq9(rest=1), FIRST)
    html = _page(clinician_client, plan)
    assert html.count('data-testid="trend-svg"') == 2  # headache days and PHQ-9
    assert html.count('data-testid="injection-marker"') == 6 and "155 U Botox" in html
    assert html.count('data-testid="score-row"') == 5
    assert "<script" not in html.split('id="outcomes"')[1]  # server-side SVG, no JS


def test_the_response_table_compares_baseline_with_the_latest_score_after_each_cycle(
    clinician_client, clinician_user, plan
):
    _injections(plan)
    # Baseline 20 (Dec 30); after cycle 1 (Jan 6 – Mar 31): 16, 14, 12 → latest 12 = 40 % fewer.
    _headache_days(clinician_user, plan, [20, 16, 14, 12])
    html = _page(clinician_client, plan)
    assert "40.0% better" in html


def test_fewer_than_30_percent_fewer_headache_days_after_2_cycles_is_flagged_advisory(
    clinician_client, clinician_user, plan
):
    _injections(plan)
    # After cycle 2 (Mar 31 – Jun 23) the latest score is 16: 20 % fewer than 20.
    _headache_days(clinician_user, plan, [20, 18, 17, 17, 16, 16, 16])
    html = _page(clinician_client, plan)
    assert "flag for review" in html and "advisory" in html and "NICE TA260" in html


def test_the_rule_is_met_by_a_responder_and_editable_per_clinic(clinician_client, clinician_user, plan):
    _injections(plan)
    _headache_days(clinician_user, plan, [20, 15, 12, 10, 9, 8, 8])
    assert "60.0% improvement after 2 cycles" in _page(clinician_client, plan)
    ResponseRule.objects.filter(code="nice_ta260_headache_days").update(minimum_improvement_percent=70)
    assert "flag for review" in _page(clinician_client, plan)


def test_the_front_desk_sees_no_scores(front_desk_client, clinician_user, plan):
    _headache_days(clinician_user, plan, [20])
    assert 'id="outcomes"' not in _page(front_desk_client, plan)


def _queries(client, patient_pk: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("patients:detail", args=[patient_pk])).status_code == 200
    return len(queries)


def test_the_chart_costs_the_same_queries_with_1_score_and_with_a_year_of_every_scale(
    clinician_client, clinician_user
):
    small = TreatmentPlanFactory(responsible_clinician=clinician_user)
    large = TreatmentPlanFactory(responsible_clinician=clinician_user)
    TreatmentPlanFactory(patient=large.patient, responsible_clinician=clinician_user, indication_code="blepharospasm")
    _injections(small, 1)
    _injections(large, 5)
    _headache_days(clinician_user, small, [20])
    _headache_days(clinician_user, large, [20 - n // 2 for n in range(14)])
    for week in range(0, 52, 4):
        day = FIRST + dt.timedelta(weeks=week)
        record(clinician_user, large, "phq9", phq9(), day)
        record(clinician_user, large, "hit6", {"total": 60 - week // 8}, day)
    clinician_client.get(reverse("patients:detail", args=[small.patient_id]))  # warm the session
    assert _queries(clinician_client, large.patient_id) == _queries(clinician_client, small.patient_id)


def test_round_totals_show_as_plain_numbers(clinician_client, clinician_user, plan):
    _headache_days(clinician_user, plan, [20])
    html = _page(clinician_client, plan)
    assert "<td>20</td>" in html and "2E+1" not in html
