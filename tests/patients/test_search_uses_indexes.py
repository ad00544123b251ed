"""On PostgreSQL the search box's name prefixes and phone endings are answered from indexes
(UPPER(name) text_pattern_ops, reverse(phone)), not by reading every patient: asserted on the
plan with sequential scans priced out, so a query the index cannot serve still shows a Seq Scan."""

import pytest
from django.db import connection, transaction

from patients.selectors import patient_search
from tests.factories import PatientFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the prefix indexes are PostgreSQL's"),
]


def _plan(query: str) -> str:
    # Archived patients included: on a table this small the is_archived index would otherwise win.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return patient_search(query=query, include_archived=True).explain()


@pytest.mark.parametrize(("query", "index"), [
    ("ander", "patient_last_name_prefix"),
    ("0199", "patient_phone_reversed"),
    ("55530199", "patient_phone_reversed"),
])
def test_the_search_reads_an_index(query, index):
    PatientFactory(last_name="Anderson", phone="+13125530199")
    plan = _plan(query)
    assert index in plan and "Seq Scan" not in plan


def test_a_phone_ending_still_finds_only_numbers_that_end_with_it():
    ends = PatientFactory(phone="+13125550199")
    PatientFactory(phone="+13120199555")
    assert list(patient_search(query="0199")) == [ends]
