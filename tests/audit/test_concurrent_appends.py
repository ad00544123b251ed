"""Writers appending to the audit trail at the same moment keep the chain whole.

Real transactions and real threads (a wrapping test transaction would hide the race), on
whichever database the suite runs against: SQLite serializes writers with its IMMEDIATE
transactions, PostgreSQL with the row lock on the chain head.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record, audit_verify
from patients.models import Patient
from tests.factories import PatientFactory

THREADS = 2
APPENDS_PER_THREAD = 15


def append_from_threads(*, actor_id: int, patient_ids: list[int]) -> dict:
    """Each thread appends to the chain for its own patient; returns what the chain looks like."""
    actor = User.objects.get(pk=actor_id)
    start = threading.Barrier(len(patient_ids))
    errors: list[str] = []

    def append(patient_id: int) -> None:
        try:
            patient = Patient.objects.get(pk=patient_id)
            start.wait()
            for _ in range(APPENDS_PER_THREAD):
                with transaction.atomic():
                    audit_record(actor=actor, action="patients.patient.viewed", patient=patient)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()  # each thread has its own connection; the test database must drop

    workers = [threading.Thread(target=append, args=(pk,)) for pk in patient_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return {
        "errors": errors,
        "sequences": list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)),
        "per_patient": [AuditEvent.objects.filter(patient_id=pk).count() for pk in patient_ids],
        "problems": [f"#{p.sequence} {p.problem}" for p in audit_verify()],
    }


def _in_a_process_on_a_file_copy(tmp_path: Path, **arguments) -> dict:
    """SQLite's in-memory test database cannot be shared by threads (its shared-cache mode
    fails with "table is locked" instead of waiting), so copy it to a file, as production runs,
    and run the same threads in a fresh process pointed at the copy."""
    copy = tmp_path / "audit-race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    script = (
        "import json, django; django.setup()\n"
        "from tests.audit.test_concurrent_appends import append_from_threads\n"
        f"print(json.dumps(append_from_threads(**{arguments!r})))\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{copy}", "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    result = subprocess.run(  # noqa: S603 - our own fixed script
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_at_once_keep_the_chain_intact(front_desk_user, tmp_path):
    arguments = {"actor_id": front_desk_user.pk, "patient_ids": [p.pk for p in PatientFactory.create_batch(THREADS)]}
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        chain = _in_a_process_on_a_file_copy(tmp_path, **arguments)
    else:
        chain = append_from_threads(**arguments)

    assert chain["errors"] == []
    assert chain["sequences"] == list(range(1, THREADS * APPENDS_PER_THREAD + 1))
    assert chain["per_patient"] == [APPENDS_PER_THREAD] * THREADS
    assert chain["problems"] == []
