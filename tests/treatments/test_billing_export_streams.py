"""The billing export streams its CSV: the same queries for 2 sessions as for 20 (three reads in
step however long the range), and the rows match the one-session summaries."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SessionVialFactory, TreatmentPlanFactory, VialLotFactory, signed_session_make
from treatments.billing import billing_csv
from treatments.models import InjectionSession

from .conftest import at

pytestmark = pytest.mark.django_db

# Session, user, roles, the audit entry of whom the download names; then the three streamed reads.
EXPORT_QUERY_CEILING = 12
RANGE = {"since": "2030-06-01", "until": "2030-06-30"}


def _sign(count: int, clinician_user, botox) -> None:
    for n in range(count):
        plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
        session = signed_session_make(plan=plan, performed_at=at(2030, 6, 1 + n % 28), units=155)
        SessionVialFactory(session=session, lot=VialLotFactory(product=botox, vial_units=200))


def _export(client) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("treatments:billing_export"), RANGE)
        body = response.getvalue().decode()
    assert isinstance(response, StreamingHttpResponse)
    return len(captured), list(csv.DictReader(io.StringIO(body)))


def test_the_export_costs_the_same_queries_for_two_sessions_as_for_twenty(clinician_client, clinician_user, botox):
    _sign(2, clinician_user, botox)
    _export(clinician_client)  # the first request of a session also saves it (idle logoff)
    few, rows = _export(clinician_client)
    assert len(rows) == 2 * 3  # procedure, drug, discarded drug

    _sign(18, clinician_user, botox)
    many, rows = _export(clinician_client)
    assert len(rows) == 20 * 3
    assert many == few <= EXPORT_QUERY_CEILING


def test_the_streamed_rows_are_each_sessions_summary_oldest_first(clinician_client, clinician_user, botox):
    _sign(5, clinician_user, botox)
    _, rows = _export(clinician_client)
    one_by_one = []
    for session in InjectionSession.objects.order_by("performed_at", "pk"):
        one_by_one += list(csv.DictReader(io.StringIO(billing_csv([session]))))
    assert rows == one_by_one
