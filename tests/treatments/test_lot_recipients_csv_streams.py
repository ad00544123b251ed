"""The lot recipients' CSV streams, one query for the recipients however many there are."""

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SessionVialFactory, TreatmentPlanFactory, VialLotFactory, signed_session_make

from .conftest import at

pytestmark = pytest.mark.django_db

CSV_QUERY_CEILING = 12


def _give(lot, count: int, clinician_user) -> None:
    for _ in range(count):
        plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
        SessionVialFactory(session=signed_session_make(plan=plan, performed_at=at(2030, 1, 5), units=5), lot=lot)


def _download(client, lot) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("treatments:lot_recipients_csv", kwargs={"pk": lot.pk}))
        lines = response.getvalue().decode().splitlines()
    assert isinstance(response, StreamingHttpResponse)
    return len(captured), lines


def test_one_recipient_or_fifteen_cost_the_same_queries(clinician_client, clinician_user, botox):
    lot = VialLotFactory(product=botox)
    _give(lot, 1, clinician_user)
    _download(clinician_client, lot)  # the first request of a session also saves it (idle logoff)
    few, lines = _download(clinician_client, lot)
    assert len(lines) == 1 + 1

    _give(lot, 14, clinician_user)
    many, lines = _download(clinician_client, lot)
    assert len(lines) == 1 + 15
    assert many == few <= CSV_QUERY_CEILING
