"""Query count and time of the patient list page with many patients, for the closing note.

    .venv/bin/python -m tests.perf.patient_list_queries            # 50 and 5000 patients
    .venv/bin/python -m tests.perf.patient_list_queries 50 20000

Runs against a throwaway SQLite file under var/ (deleted afterwards), never the real database.
Not collected by pytest; the assertion that the count stays flat is tests/patients/test_list_queries.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = (50, 5000)
SEARCHES = {"first page": {}, "page 2": {"page": 2}, "name search": {"q": "ander"}, "phone search": {"q": "0142"}}


def _setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a development run: the settings default to production
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _seed(count: int) -> None:
    """Insert ``count`` patients in bulk. Bulk writes skip the audit trail, which is acceptable
    only here, in a throwaway database that exists to be measured."""
    from patients.models import Patient
    from patients.services import mrn_generate

    mrns: set[str] = set()
    while len(mrns) < count:  # random MRNs collide now and then; the column is unique
        mrns.add(mrn_generate())
    names = ["Anderson", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jones"]
    rng = random.Random(count)
    Patient.objects.bulk_create(
        [
            Patient(
                mrn=mrn, first_name=f"Pat{index}", last_name=rng.choice(names),
                date_of_birth=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000)),
                phone=f"+1312{rng.randrange(200, 999)}{index % 10_000:04d}",
            )
            for index, mrn in enumerate(sorted(mrns))
        ],
        batch_size=1000,
    )


def _measure(count: int) -> list[str]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.roles import Role
    from accounts.services import staff_user_create
    from patients.models import Patient

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # re-creates the role groups that flush removed
    _seed(count)
    user = staff_user_create(username=f"perf{count}", password="perf-only-password-1", role=Role.FRONT_DESK)
    client = Client()
    client.force_login(user)
    client.get(reverse("patients:list"))  # warm up templates and caches
    lines = []
    for label, params in SEARCHES.items():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(reverse("patients:list"), params)
            elapsed_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        lines.append(
            f"{Patient.objects.count():>6} patients  {label:<13} {len(queries):>2} queries  {elapsed_ms:7.1f} ms"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    sizes = parser.parse_args(argv).sizes
    database = BASE_DIR / "var" / f"perf-patient-list-{os.getpid()}.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        _setup_django(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        for count in sizes:
            for line in _measure(count):
                print(line)
    finally:
        for leftover in database.parent.glob(database.name + "*"):
            leftover.unlink()


if __name__ == "__main__":
    main()
