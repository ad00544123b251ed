"""Audit trail figures for the closing note: read-log appends, sealing and verifying, in rows/s;
and, on PostgreSQL, how long a chart view takes while another view holds its transaction open.

    .venv/bin/python -m tests.perf.bench_audit                  # 5000 entries, throwaway SQLite
    .venv/bin/python -m tests.perf.bench_audit 20000 --database-url postgres://postgres@127.0.0.1/scratch

The database is flushed first: give a scratch database, never a real one. Not collected by pytest;
the behaviour is asserted in tests/audit (test_seal.py, test_chart_views_do_not_wait.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
HOLD_SECONDS = 2.0


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a development run: settings default to production
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _rate(count: int, seconds: float) -> str:
    return f"{count} rows in {seconds:.2f} s = {count / seconds:,.0f} rows/s"


def _throughput(count: int) -> None:
    from audit.services import audit_access, audit_seal
    from audit.verify import audit_verify
    from tests.factories import PatientFactory, UserFactory

    actor, patient = UserFactory(), PatientFactory()
    started = time.perf_counter()
    for _ in range(count):
        audit_access(actor=actor, action="patients.patient.viewed", patient=patient, target=patient)
    print(f"read-log appends:  {_rate(count, time.perf_counter() - started)}")
    started = time.perf_counter()
    sealed = audit_seal()
    print(f"seal (batches of the setting AUDIT_SEAL_BATCH): {_rate(sealed, time.perf_counter() - started)}")
    started = time.perf_counter()
    problems = audit_verify()
    print(f"audit_verify:      {_rate(sealed, time.perf_counter() - started)}, {len(problems)} problems")


def _chart_view_while_another_is_open() -> None:
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from accounts.roles import Role
    from patients.services import patient_record_viewed
    from tests.factories import PatientFactory, UserFactory

    clinician = UserFactory(role=Role.CLINICIAN)
    first, second = PatientFactory.create_batch(2)
    holding = threading.Event()

    def hold_open() -> None:
        with transaction.atomic():
            patient_record_viewed(actor=clinician, patient=first)
            holding.set()
            time.sleep(HOLD_SECONDS)
        connection.close()

    client = Client()
    client.force_login(clinician)
    client.get(reverse("patients:detail", args=[second.pk]))  # warm up
    started = time.perf_counter()
    client.get(reverse("patients:detail", args=[second.pk]))
    alone = time.perf_counter() - started
    holder = threading.Thread(target=hold_open)
    holder.start()
    holding.wait()
    started = time.perf_counter()
    client.get(reverse("patients:detail", args=[second.pk]))
    beside = time.perf_counter() - started
    holder.join()
    print(f"chart view alone: {alone * 1000:.0f} ms; while another view holds its transaction open for "
          f"{HOLD_SECONDS:.0f} s: {beside * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=5000)
    parser.add_argument("--database-url", help="a scratch database (flushed); default a throwaway SQLite file")
    options = parser.parse_args(argv)
    database = BASE_DIR / "var" / f"perf-audit-{os.getpid()}.sqlite3"
    try:
        _setup_django(options.database_url or f"sqlite:///{database}")
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)  # the role groups and reference data that flush removed
        print(f"database: {connection.vendor}")
        _throughput(options.count)
        if connection.vendor == "postgresql":
            _chart_view_while_another_is_open()
    finally:
        for leftover in database.parent.glob(database.name + "*"):
            leftover.unlink()


if __name__ == "__main__":
    main()
