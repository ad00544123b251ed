"""A chart view takes no shared lock: while one view's transaction is held open, another
clinician's chart view completes at once (before, both queued on the chain head's row lock).

Real threads and transactions. PostgreSQL only: SQLite has one write lock for the whole
database, so there every writer (even the session save of a login) waits by design.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from patients.services import patient_record_viewed
from tests.factories import PatientFactory

HELD_FOR_AT_MOST = 15.0  # seconds the first view keeps its transaction open
PROMPT = 5.0  # the second view must finish well inside that


@pytest.mark.django_db(transaction=True)
def test_a_chart_view_completes_while_another_holds_its_transaction_open(clinician_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes all writers with one database lock; this runs on PostgreSQL (CI)")
    first, second = PatientFactory.create_batch(2)
    holding, release = threading.Event(), threading.Event()

    def view_and_hold_open() -> None:
        try:
            with transaction.atomic():
                patient_record_viewed(actor=clinician_user, patient=first)
                holding.set()
                release.wait(timeout=HELD_FOR_AT_MOST)
        finally:
            connection.close()

    holder = threading.Thread(target=view_and_hold_open)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        client = Client()
        client.force_login(clinician_user)
        started = time.monotonic()
        response = client.get(reverse("patients:detail", args=[second.pk]))
        elapsed = time.monotonic() - started
        first_still_open = holder.is_alive()
    finally:
        release.set()
        holder.join()

    assert response.status_code == 200
    assert first_still_open and elapsed < PROMPT, f"the second view waited {elapsed:.1f}s"
    assert {e.patient_id for e in AuditEvent.objects.filter(action="patients.patient.viewed")} == {first.pk, second.pk}
