"""Time and query count of the day view, the recall board and the slot finder, at 10 and at
100,000 appointments (200 clinicians, a year of weekdays), for the closing note.

    .venv/bin/python -m tests.perf.bench_schedule                # a throwaway SQLite file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench .venv/bin/python -m tests.perf.bench_schedule

The PostgreSQL database is dropped and created afresh (its name must contain "bench"); the SQLite
file is deleted afterwards. Rows are written with bulk_create, which skips the services and the
audit trail: acceptable only here, in a database that exists to be measured. Not collected by
pytest; the assertions that the counts stay flat are in tests/scheduling/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
CLINICIANS, ROOMS_PER_LOCATION, PATIENTS, PLANS = 200, 10, 20_000, 2_000
TOTAL_APPOINTMENTS = 100_000
SLOTS_PER_DAY = (dt.time(9), dt.time(11))  # two 30-minute appointments per clinician per weekday
RUNS = 3


def _fresh_postgres(url: str, *, marker: str = "bench") -> None:
    """Drop and create the database ``url`` names, which must contain ``marker`` (a guard against
    pointing a benchmark at a real database)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if marker not in name:
        raise SystemExit(f"Refusing to drop {name!r}: this throwaway database's name must contain {marker!r}.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup_django() -> Path | None:
    """Point Django at the benchmark database; returns the SQLite file to delete, if any."""
    sqlite_file = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _fresh_postgres(os.environ["DATABASE_URL"])
    else:
        sqlite_file = BASE_DIR / "var" / f"bench-schedule-{os.getpid()}.sqlite3"
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a development run: the settings default to production
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return sqlite_file


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if day.weekday() < 5]


def clinicians_with_rooms(*, prefix: str, count: int, rooms_per_location: int, closes_at: dt.time):
    """``count`` clinicians (usernames ``<prefix>0``...) working 08:00 to ``closes_at`` on weekdays,
    each with a room of their own, at locations of ``rooms_per_location`` rooms; bulk inserts."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from scheduling.models import Location, Room, WorkingHours

    User.objects.bulk_create(
        [User(username=f"{prefix}{n}", display_name=f"Dr. {prefix.title()} {n:03d}", password="!")
         for n in range(count)]
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    group = Group.objects.get(name=Role.CLINICIAN.value)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    locations = Location.objects.bulk_create([Location(name=f"Site {n}") for n in range(count // rooms_per_location)])
    rooms = Room.objects.bulk_create(
        [Room(location=location, name=f"Room {n}") for location in locations for n in range(rooms_per_location)]
    )
    WorkingHours.objects.bulk_create([
        WorkingHours(clinician=user, location=rooms[index].location, weekday=weekday,
                     starts_at=dt.time(8), ends_at=closes_at)
        for index, user in enumerate(users) for weekday in range(5)
    ])
    return users, rooms


def _seed_clinic(today: dt.date):
    """200 clinicians with weekday hours at 20 locations of 10 rooms, 20,000 patients, 2,000
    plans each with one signed session (so a share of them is due), two appointment types."""
    from clinic.clock import local_instant
    from patients.models import Patient
    from scheduling.models import AppointmentType
    from treatments.models import DiagnosisCode, Indication, InjectionSession, Product, SessionStatus, TreatmentPlan

    users, rooms = clinicians_with_rooms(prefix="bench", count=CLINICIANS, rooms_per_location=ROOMS_PER_LOCATION,
                                         closes_at=dt.time(18))
    injection = AppointmentType.objects.create(name="Injection session", default_duration_minutes=30,
                                               is_injection=True)
    Patient.objects.bulk_create(
        [Patient(mrn=f"B{n:08d}", first_name=f"Pat{n}", last_name=f"Bench{n % 97}",
                 date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=n % 20_000)) for n in range(PATIENTS)],
        batch_size=2000,
    )
    patients = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    indication = Indication.objects.get(code="chronic_migraine")
    code, product = DiagnosisCode.objects.filter(indication=indication).first(), Product.objects.get(code="botox")
    plans = TreatmentPlan.objects.bulk_create([
        TreatmentPlan(patient_id=patients[n], indication=indication, diagnosis_code=code, product=product,
                      responsible_clinician=users[n % CLINICIANS], cycle_weeks=12, minimum_interval_weeks=10,
                      start_date=today - dt.timedelta(days=400))
        for n in range(PLANS)
    ], batch_size=1000)
    plans = list(TreatmentPlan.objects.order_by("pk"))
    InjectionSession.objects.bulk_create([
        InjectionSession(
            plan=plan, patient_id=plan.patient_id, product=product, clinician_id=plan.responsible_clinician_id,
            created_by_id=plan.responsible_clinician_id, status=SessionStatus.SIGNED,
            signed_by_id=plan.responsible_clinician_id,
            performed_at=(performed := local_instant(today - dt.timedelta(days=30 + n % 120), dt.time(10))),
            signed_at=performed,
        ) for n, plan in enumerate(plans)
    ], batch_size=1000)
    return users, rooms, patients, injection


def _appointments(today: dt.date, users, rooms, patients, appointment_type, actor):
    """A year of weekdays around today, two appointments per clinician per day, in its own room,
    and no patient twice on one day. Yields unsaved rows in a fixed order."""
    from clinic.clock import local_instant
    from scheduling.models import Appointment, AppointmentStatus

    for day_index, day in enumerate(_weekdays(today - dt.timedelta(days=182), today + dt.timedelta(days=182))):
        for slot, at in enumerate(SLOTS_PER_DAY):
            start = local_instant(day, at)
            for index, user in enumerate(users):
                patient = patients[(day_index * 2 * CLINICIANS + slot * CLINICIANS + index) % len(patients)]
                yield Appointment(
                    patient_id=patient, clinician=user, room=rooms[index], appointment_type=appointment_type,
                    start_at=start, end_at=start + dt.timedelta(minutes=30), booked_by=actor, updated_by=actor,
                    status=AppointmentStatus.COMPLETED if day < today else AppointmentStatus.BOOKED,
                )


def _timed(action) -> tuple[int, float]:
    """Queries of one run and the median time of RUNS runs (after a warm-up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()
    times, counts = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    return counts[0], statistics.median(times)


def _measure(label: str, client, day: dt.date, clinician) -> list[str]:
    from django.urls import reverse

    from scheduling.models import Appointment, AppointmentType
    from scheduling.slots import slots_find

    def page(url, params):
        def get():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
        return get

    injection = AppointmentType.objects.get()
    total = Appointment.objects.count()
    measurements = {
        "day view (all 200 clinicians)": page(reverse("scheduling:day"), {"date": day.isoformat()}),
        "recall board (first page)": page(reverse("scheduling:recall"), {}),
        "slot finder, 1 day, anyone": lambda: slots_find(appointment_type=injection, start_date=day, end_date=day),
        "slot finder, 4 weeks, anyone": lambda: slots_find(appointment_type=injection, start_date=day,
                                                           end_date=day + dt.timedelta(days=27)),
        "slot finder, 1 day, one clinician, all": lambda: slots_find(
            appointment_type=injection, start_date=day, end_date=day, clinician=clinician, limit=10**6),
        "slot finder, 4 weeks, one clinician, all": lambda: slots_find(
            appointment_type=injection, start_date=day, end_date=day + dt.timedelta(days=27), clinician=clinician,
            limit=10**6),
        "booking page (slot finder, 4 weeks)": page(reverse("scheduling:book"), {
            "patient": Appointment.objects.values_list("patient_id", flat=True).first(),
            "appointment_type": injection.pk, "start_date": day.isoformat()}),
    }
    lines = []
    for name, action in measurements.items():
        queries, ms = _timed(action)
        lines.append(f"{label:<8} {total:>7} appointments  {name:<42} {queries:>3} queries  {ms:8.1f} ms")
    return lines


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    sqlite_file = _setup_django()
    try:
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from accounts.roles import Role
        from accounts.services import staff_user_create
        from scheduling.models import Appointment

        print(f"database: {connection.vendor}")
        today = timezone.localdate()
        day = today + dt.timedelta(days=7 - today.weekday() + 2)  # Wednesday next week
        started = time.perf_counter()
        users, rooms, patients, injection = _seed_clinic(today)
        manager = staff_user_create(username="bench-manager", password="bench-only-password-1", role=Role.MANAGER)
        rows = list(_appointments(today, users, rooms, patients, injection, manager))[:TOTAL_APPOINTMENTS]
        first = [row for row in rows if row.start_at.date() == day and row.clinician in users[:5]][:10]
        Appointment.objects.bulk_create(first)
        print(f"seeded the clinic in {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(manager)
        for line in _measure("small", client, day, users[0]):
            print(line)
        started = time.perf_counter()
        chosen = {id(row) for row in first}
        Appointment.objects.bulk_create([row for row in rows if id(row) not in chosen], batch_size=5000)
        print(f"bulk-created {Appointment.objects.count()} appointments in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would, soon after a bulk load
                cursor.execute("ANALYZE")
        for line in _measure("large", client, day, users[0]):
            print(line)
    finally:
        if sqlite_file is not None:
            for leftover in sqlite_file.parent.glob(sqlite_file.name + "*"):
                leftover.unlink()


if __name__ == "__main__":
    main()
