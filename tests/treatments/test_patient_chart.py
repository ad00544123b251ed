"""The chart selector: plans with next due, the session timeline, in a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    InjectionSiteFactory,
    SessionVialFactory,
    TreatmentPlanFactory,
    VialLotFactory,
    seeded,
    signed_session_make,
)
from treatments.models import SafetyOverride, SessionAddendum
from treatments.selectors import patient_chart

from .conftest import at

pytestmark = pytest.mark.django_db


def build_history(plan, sessions: int) -> None:
    lot = VialLotFactory(product=plan.product)
    for n in range(sessions):
        session = signed_session_make(plan=plan, performed_at=at(2020, 1, 6) + dt.timedelta(weeks=12 * n), units=5)
        InjectionSiteFactory(session=session, muscle=seeded("Muscle", name="Procerus"), side="midline", units=5)
        SessionVialFactory(session=session, lot=lot)
        SafetyOverride.objects.create(session=session, check_code="retreatment_too_soon", message="m", reason="r",
                                      overridden_by=plan.responsible_clinician, overridden_at=session.performed_at)
        SessionAddendum.objects.create(session=session, author=plan.responsible_clinician, text="Addendum",
                                       written_at=session.performed_at)


def chart_queries(plan) -> int:
    """Queries to build the chart and read everything the chart page shows."""
    with CaptureQueriesContext(connection) as captured:
        chart = patient_chart(plan.patient)
        shown = [(e.sites_summary, e.signed_by.username, e.product.brand_name, [lot.lot_number for lot in e.lots],
                  [o.overridden_by.username for o in e.overrides],
                  [a.author.username for a in e.session.addenda.all()]) for e in chart.timeline]
        shown += [(p.next_due, p.indication.name, p.product.brand_name, p.diagnosis_code.code) for p in chart.plans]
    assert shown
    return len(captured.captured_queries)


def test_chart_queries_stay_flat_from_1_to_50_sessions(clinician_user):
    one = TreatmentPlanFactory(responsible_clinician=clinician_user)
    fifty = TreatmentPlanFactory(responsible_clinician=clinician_user)
    build_history(one, 1)
    build_history(fifty, 50)
    assert chart_queries(one) == chart_queries(fifty) == 6


def test_the_timeline_is_newest_first_with_totals_named_by_product(migraine_plan):
    build_history(migraine_plan, 2)
    chart = patient_chart(migraine_plan.patient)
    newest = chart.timeline[0]
    assert newest.date == dt.date(2020, 3, 30)
    assert newest.total_units == Decimal("10")
    assert newest.total_label == "10 U Botox"
    assert newest.sites_summary == "Temporalis L 5 U; Procerus 5 U"
    assert [o.check_code for o in newest.overrides] == ["retreatment_too_soon"]
    assert chart.plans[0].next_due == dt.date(2020, 3, 30) + dt.timedelta(weeks=12)
