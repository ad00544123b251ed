"""Filters: a cycle counts when its injection is in the date range (cycle numbers stay the plan's
own); indication and responsible clinician select plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.report import ReportFilters, outcomes_report
from tests.factories import TreatmentPlanFactory
from treatments.models import Indication

from .conftest import inject

pytestmark = pytest.mark.django_db
D = Decimal


def _headache_rows(report) -> list[tuple]:
    [figures] = report.indications
    scale = next(scale for scale in figures.scales if scale.instrument.code == "headache_days")
    return [(c.cycle, c.injected, c.assessable, c.mean_points, c.mean_percent) for c in scale.cycles]


def test_a_start_date_drops_earlier_cycles_but_keeps_cycle_numbers(scene):
    assert _headache_rows(outcomes_report(ReportFilters(since=dt.date(2025, 3, 1)))) == [
        (2, 2, 2, D("-5.0"), D("30.0")), (3, 2, 1, D("-10.0"), D("50.0"))]
    assert _headache_rows(outcomes_report(ReportFilters(since=dt.date(2025, 6, 23)))) == [
        (3, 2, 1, D("-10.0"), D("50.0"))]  # the range is in clinic dates, inclusive


def test_an_end_date_drops_later_cycles(scene):
    assert _headache_rows(outcomes_report(ReportFilters(until=dt.date(2025, 4, 30)))) == [
        (1, 2, 2, D("-3.5"), D("20.0")), (2, 2, 2, D("-5.0"), D("30.0"))]


def test_a_range_with_no_injection_selects_no_plan(scene):
    report = outcomes_report(ReportFilters(since=dt.date(2025, 7, 1)))
    assert report.indications == [] and report.band_shifts[0].patients == 0


def test_the_clinician_filter_keeps_their_plans_only(scene, clinician_user):
    assert _headache_rows(outcomes_report(ReportFilters(clinician=clinician_user))) == [
        (1, 1, 1, D("-6.0"), D("30.0")), (2, 1, 1, D("-8.0"), D("40.0")), (3, 1, 1, D("-10.0"), D("50.0"))]


def test_the_indication_filter_keeps_that_indication_only(scene, clinician_user):
    inject(TreatmentPlanFactory(responsible_clinician=clinician_user, indication_code="blepharospasm"))
    assert [f.indication.code for f in outcomes_report(ReportFilters()).indications] == [
        "chronic_migraine", "blepharospasm"]
    only = outcomes_report(ReportFilters(indication=Indication.objects.get(code="blepharospasm")))
    assert [(f.indication.code, f.plans) for f in only.indications] == [("blepharospasm", 1)]


def test_the_page_reads_its_filters_from_the_query_string(clinician_client, scene, clinician_user):
    response = clinician_client.get(reverse("outcomes:report"), {
        "since": "2025-03-01", "until": "2025-12-31", "clinician": clinician_user.pk,
        "indication": Indication.objects.get(code="chronic_migraine").pk,
    })
    assert _headache_rows(response.context["report"]) == [(2, 1, 1, D("-8.0"), D("40.0")),
                                                          (3, 1, 1, D("-10.0"), D("50.0"))]
    assert "format=csv" in response.context["csv_query"] and "since=2025-03-01" in response.context["csv_query"]


def test_an_end_before_the_start_is_an_error_not_a_report(clinician_client, scene):
    response = clinician_client.get(reverse("outcomes:report"), {"since": "2025-03-01", "until": "2025-01-01"})
    assert response.context["report"] is None
    assert "The end date is before the start date." in response.content.decode()
