"""Writers appending to the audit trail at the same moment keep the chain whole.

Real transactions and real threads (a wrapping test transaction would hide the race), on
whichever database the suite runs against: SQLite (a file, as in production) serializes writers
with its IMMEDIATE transactions, PostgreSQL with the row lock on the chain head.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from audit.verify import audit_verify
from tests.concurrency import run_at_once
from tests.factories import PatientFactory

THREADS = 2
APPENDS_PER_THREAD = 15


@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_at_once_keep_the_chain_intact(front_desk_user):
    patients = PatientFactory.create_batch(THREADS)

    def append_for(patient) -> None:
        for _ in range(APPENDS_PER_THREAD):
            with transaction.atomic():
                audit_record(actor=front_desk_user, action="patients.patient.viewed", patient=patient)

    outcomes = run_at_once([lambda p=p: append_for(p) for p in patients])

    assert outcomes == [None] * THREADS
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS * APPENDS_PER_THREAD + 1))
    assert [AuditEvent.objects.filter(patient=p).count() for p in patients] == [APPENDS_PER_THREAD] * THREADS
    assert audit_verify() == []
