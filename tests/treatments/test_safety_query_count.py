"""The safety check makes the same number of queries however many sites and past sessions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import TreatmentPlanFactory, signed_session_make

from .conftest import at, check, enough_vials, site

pytestmark = pytest.mark.django_db


def queries_for(plan, history: int, sites: int) -> int:
    for n in range(history):
        signed_session_make(plan=plan, performed_at=at(2030, 1, 1) + dt.timedelta(days=n), units=1)
    input_sites = [site(units=1) for _ in range(sites)]
    when = at(2030, 3, 1)
    vials = enough_vials(product=plan.product, sites=input_sites, performed_at=when)
    with CaptureQueriesContext(connection) as captured:
        check(plan, when, input_sites, vials=vials)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_sites_or_history(migraine_plan, clinician_user):
    small = queries_for(migraine_plan, history=1, sites=1)
    big = queries_for(TreatmentPlanFactory(responsible_clinician=clinician_user), history=40, sites=39)
    assert small == big <= 4
