"""A clinic group on PostgreSQL: every busy page beside hand-written SQL for the same rows, and
two pages under load beside a trivial view, for the closing note.

    .venv/bin/python -m tests.perf.bench_scale [--patients 10000] [--appointments 100000]
        [--sessions N] [--repeat 5] [--load-seconds 5] [--explain FILE]

DATABASE_URL must point at PostgreSQL and its database's name must contain "bench" (default
postgres://postgres@127.0.0.1:5432/clinic_bench_scale): it is dropped and created afresh. Rows are
written by ``INSERT … SELECT … FROM generate_series`` in the database itself, which skips the
services and the audit chain: acceptable only here, in a database that exists to be measured.
Not collected by pytest; the query-count bounds are asserted in tests/<app>/.

Prints one line per page::

    page=<name> rows=<rows shown> ms=<median> baseline_ms=<median> ratio=<ours/baseline> queries=<n>

where the baseline is one hand-written SQL statement fetching the same rows, rendered by a
minimal template (or written by ``csv.writer``), timed in the same run; the billing CSV's peak
Python memory at 1 and 12 months; and ``load=<page> rps=<n> trivial_rps=<n> share=<n>`` from
``wrk`` against gunicorn on 127.0.0.1 (wrk is installed with apt-get when missing).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.perf.bench_schedule import _fresh_postgres, clinicians_with_rooms

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/clinic_bench_scale"
CLINICIANS, ROOMS_PER_LOCATION, LOTS = 60, 10, 50
SLOTS_PER_DAY, SLOT_MINUTES = 16, 30  # 08:00–16:00 in half hours, one room per clinician
CYCLE_DAYS, SPREAD_DAYS = 84, 150  # 12-week cycles; the last session falls 0–149 days ago


def _setup_django(database_url: str, *, fresh: bool) -> None:
    if not database_url.startswith("postgres"):
        raise SystemExit("bench_scale measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    os.environ["DATABASE_URL"] = database_url
    if fresh:
        _fresh_postgres(database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.DEBUG = False  # as in production: no per-query logging outside the counted runs


# --- Seeding -----------------------------------------------------------------------------------

def _insert_select(model, values: dict[str, str], source: str, params: dict | None = None) -> int:
    """``INSERT INTO <model> (...) SELECT <values> FROM <source>``: every NOT NULL column not in
    ``values`` gets the field's Python default (or now() for auto timestamps)."""
    from django.db import connection
    from django.db.models import DateTimeField

    columns, expressions, params = [], [], dict(params or {})
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.name in values:
            expression = values[model_field.name]
        elif isinstance(model_field, DateTimeField) and (model_field.auto_now or model_field.auto_now_add):
            expression = "now()"
        elif model_field.null:
            continue
        else:
            key = f"default_{model_field.column}"
            params[key] = model_field.get_db_prep_save(model_field.get_default(), connection)
            expression = f"%({key})s"
        columns.append(connection.ops.quote_name(model_field.column))
        expressions.append(expression)
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - our own names
           f"SELECT {', '.join(expressions)} FROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@dataclass
class Seeded:
    manager: object
    clinician: object
    location: object
    patient_id: int
    lot: object
    today: dt.date
    day: dt.date


def _seed_reference(today: dt.date):
    """Clinicians with weekday hours, each with their own room, locations of ten rooms, lots."""
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from accounts.services import staff_user_create
    from scheduling.models import AppointmentType
    from treatments.models import Product, VialLot

    users, rooms = clinicians_with_rooms(prefix="scale", count=CLINICIANS, rooms_per_location=ROOMS_PER_LOCATION,
                                         closes_at=dt.time(16, 30))
    injection = AppointmentType.objects.create(name="Injection session", default_duration_minutes=SLOT_MINUTES,
                                               is_injection=True)
    product = Product.objects.get(code="botox")
    VialLot.objects.bulk_create([
        VialLot(product=product, lot_number=f"L{n:05d}", expiry_date=today + dt.timedelta(days=365), vial_units=100,
                quantity_received=10**6, quantity_on_hand=10**6, received_on=today - dt.timedelta(days=900))
        for n in range(LOTS)
    ])
    manager = staff_user_create(username="scale-manager", password="bench-only-password-1", role=Role.MANAGER)
    # The manager also sees the clinical pages (chart, report, billing).
    manager.groups.add(Group.objects.get(name=Role.CLINICIAN.value))
    return users, rooms, injection, product, manager


def _seed_bulk(args, today: dt.date, users, rooms, injection, product, manager) -> None:
    from django.conf import settings
    from django.db import connection

    from audit.models import AuditChainHead, AuditEvent
    from outcomes.models import Assessment
    from patients.models import Patient
    from treatments.models import (
        DiagnosisCode,
        Indication,
        InjectionSession,
        InjectionSite,
        Muscle,
        SessionVial,
        TreatmentPlan,
        VialLot,
    )

    zone = settings.TIME_ZONE
    timed = _stopwatch()
    _insert_select(Patient, {
        "mrn": "'S' || lpad(g::text, 9, '0')", "first_name": "'Given' || (g %% 1000)",
        "last_name": "'Sur' || (g %% 5000)", "date_of_birth": "date '1940-01-01' + (g %% 25000)",
        "phone": "'+1312' || (2000000 + g)::text", "email": "'p' || g || '@example.com'",
    }, "generate_series(1, %(n)s) AS g", {"n": args.patients})
    timed(f"{args.patients} patients")
    indication = Indication.objects.get(code="chronic_migraine")
    diagnosis = DiagnosisCode.objects.filter(indication=indication).first()
    ids = {"indication": indication.pk, "diagnosis": diagnosis.pk, "product": product.pk, "today": today,
           "first_user": users[0].pk, "clinicians": CLINICIANS, "manager": manager.pk, "zone": zone,
           "cycle": CYCLE_DAYS, "spread": SPREAD_DAYS}
    _insert_select(TreatmentPlan, {
        "patient": "p.id", "indication": "%(indication)s", "diagnosis_code": "%(diagnosis)s",
        "product": "%(product)s", "responsible_clinician": "%(first_user)s + p.id %% %(clinicians)s",
        "cycle_weeks": "12", "minimum_interval_weeks": "10", "start_date": "%(today)s::date - 900",
    }, "patients_patient p", ids)
    timed("one plan per patient")
    # Session k belongs to plan k mod P; its round r = k div P puts it r cycles before the last.
    sessions_source = (
        "(SELECT g, p.id AS plan_id, p.patient_id, p.responsible_clinician_id AS clinician_id, "
        "((%(today)s::date - ((g / %(plans)s) * %(cycle)s + g %% %(spread)s)::int) + time '10:00') "
        "AT TIME ZONE %(zone)s AS performed_at "
        "FROM generate_series(0, %(n)s - 1) AS g "
        "JOIN treatments_treatmentplan p ON p.id = %(first_plan)s + g %% %(plans)s) AS s"
    )
    plans = TreatmentPlan.objects.order_by("pk").values_list("pk", flat=True)
    ids.update(plans=plans.count(), first_plan=plans.first(), n=args.sessions)
    _insert_select(InjectionSession, {
        "plan": "s.plan_id", "patient": "s.patient_id", "performed_at": "s.performed_at",
        "clinician": "s.clinician_id", "product": "%(product)s", "status": "'signed'",
        "signed_at": "s.performed_at", "signed_by": "s.clinician_id", "created_by": "s.clinician_id",
    }, sessions_source, ids)
    timed(f"{args.sessions} signed sessions")
    muscles = list(Muscle.objects.filter(region="head").order_by("pk").values_list("pk", flat=True)[:2]) or \
        list(Muscle.objects.order_by("pk").values_list("pk", flat=True)[:2])
    for order, muscle in enumerate(muscles):
        _insert_select(InjectionSite, {
            "session": "s.id", "muscle": str(muscle), "side": "'left'" if order else "'right'",
            "units": "5", "order": str(order),
        }, "treatments_injectionsession s")
    lots = list(VialLot.objects.order_by("pk").values_list("pk", flat=True))
    _insert_select(SessionVial, {
        "session": "s.id", "lot": f"{lots[0]} + s.id %% {len(lots)}", "vials_opened": "1", "diluent_ml": "2",
        "reconstituted_at": "s.performed_at",
    }, "treatments_injectionsession s")
    timed("two sites and one vial per session")
    _insert_select(Assessment, {
        "patient": "s.patient_id", "plan": "s.plan_id", "session": "s.id", "instrument": "'headache_days'",
        "taken_on": "(s.performed_at AT TIME ZONE %(zone)s)::date", "total": "8 + s.id %% 12",
        "entered_at": "s.performed_at",
    }, "treatments_injectionsession s", ids)
    timed(f"{args.sessions} scores")
    _seed_appointments(args, today, users, rooms, injection, manager)
    timed(f"{args.appointments} appointments")
    head, _ = AuditChainHead.objects.get_or_create(pk=1)
    _insert_select(AuditEvent, {
        "sequence": "%(after)s + g", "occurred_at": "now() - g * interval '1 second'", "actor": "%(manager)s",
        "actor_label": "'scale-manager'", "action": "'patients.patient.viewed'",
        "patient": "(SELECT min(id) FROM patients_patient) + g %% %(patients)s",
        "previous_hash": "md5(g::text) || md5((g - 1)::text)", "entry_hash": "md5(g::text) || md5(g::text || 'e')",
    }, "generate_series(1, %(n)s) AS g",
        {**ids, "n": args.patients * 2, "patients": args.patients, "after": head.last_sequence})
    last = AuditEvent.objects.order_by("-sequence").first()  # the services append after the seeded rows
    AuditChainHead.objects.filter(pk=1).update(last_sequence=last.sequence, last_hash=last.entry_hash)
    timed(f"{args.patients * 2} audit events")
    _plans_refresh()
    timed("each plan's stored last session and next due date")
    with connection.cursor() as cursor:  # as autovacuum would, soon after a bulk load
        cursor.execute("VACUUM ANALYZE")
    timed("VACUUM ANALYZE")


def _plans_refresh() -> None:
    """What ``plan_next_due_refresh`` would have stored had the sessions been signed through the
    services (and what the migration that added the fields backfills), for every plan at once."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE treatments_treatmentplan p SET last_signed_session_at = l.at, "
            "next_due_on = coalesce((l.at AT TIME ZONE %s)::date + p.cycle_weeks * 7, p.start_date) "
            "FROM treatments_treatmentplan q LEFT JOIN (SELECT plan_id, max(performed_at) AS at "
            "FROM treatments_injectionsession WHERE status = 'signed' GROUP BY plan_id) l ON l.plan_id = q.id "
            "WHERE q.id = p.id", [settings.TIME_ZONE])
        cursor.execute("ANALYZE treatments_treatmentplan")  # the planner must know how many are due


def _seed_appointments(args, today: dt.date, users, rooms, injection, manager) -> None:
    """Appointment i: clinician i mod C in their own room, slot (i div C) mod 16 of weekday
    (i div C) div 16, counted from a Monday so that half the weekdays lie ahead; patients
    differ within a slot, so the no-overlap constraints hold."""
    from django.conf import settings

    from scheduling.models import Appointment, AppointmentType
    from treatments.models import TreatmentPlan

    weekdays = -(-args.appointments // (CLINICIANS * SLOTS_PER_DAY))
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weekdays // 10)
    source = (
        "(SELECT g, u.clinician_id, u.room_id, "
        "(((%(monday)s::date + (((g / %(c)s) / %(slots)s / 5) * 7 + (g / %(c)s) / %(slots)s %% 5)::int) "
        "+ time '08:00' + ((g / %(c)s) %% %(slots)s) * interval '30 minutes') AT TIME ZONE %(zone)s) AS start_at "
        "FROM generate_series(0, %(n)s - 1) AS g "
        "JOIN unnest(%(clinician_ids)s::int[], %(room_ids)s::int[]) WITH ORDINALITY AS u(clinician_id, room_id, k) "
        "ON u.k = g %% %(c)s + 1) AS a"
    )
    follow_up = AppointmentType.objects.create(name="Follow-up", default_duration_minutes=SLOT_MINUTES)
    params = {"monday": monday, "c": CLINICIANS, "slots": SLOTS_PER_DAY, "zone": settings.TIME_ZONE,
              "n": args.appointments, "clinician_ids": [u.pk for u in users],
              "room_ids": [r.pk for r in rooms[:CLINICIANS]], "patients": args.patients,
              "injection": injection.pk, "follow_up": follow_up.pk, "manager": manager.pk,
              "now": dt.datetime.now(dt.UTC), "first_plan": TreatmentPlan.objects.order_by("pk").first().pk}
    constraints = _drop_exclusion_constraints(Appointment._meta.db_table)
    _insert_select(Appointment, {
        "patient": "(SELECT min(id) FROM patients_patient) + a.g %% %(patients)s", "clinician": "a.clinician_id",
        "room": "a.room_id", "start_at": "a.start_at",
        "appointment_type": "CASE WHEN a.g %% 20 = 0 THEN %(injection)s ELSE %(follow_up)s END",
        "plan": "CASE WHEN a.g %% 20 = 0 THEN %(first_plan)s + a.g %% %(patients)s END",
        "end_at": "a.start_at + interval '30 minutes'",
        "status": "CASE WHEN a.start_at < %(now)s THEN 'completed' ELSE 'booked' END",
        "booked_by": "%(manager)s", "updated_by": "%(manager)s",
    }, source, params)
    _restore_constraints(Appointment._meta.db_table, constraints)


def _drop_exclusion_constraints(table: str) -> tuple[dict[str, str], list[str]]:
    """The no-overlap constraints and the plain indexes, dropped for the load and built again
    after it (one index build is much faster than a million insertions into a dozen indexes;
    the rows are checked all the same)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'x'", [table])
        constraints = dict(cursor.fetchall())
        for name in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                       "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return constraints, [definition for _, definition in indexes]


def _restore_constraints(table: str, dropped: tuple[dict[str, str], list[str]]) -> None:
    from django.db import connection

    constraints, indexes = dropped
    with connection.cursor() as cursor:
        for definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints.items():
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _stopwatch() -> Callable[[str], None]:
    last = [time.perf_counter()]

    def lap(what: str) -> None:
        now = time.perf_counter()
        print(f"seed: {what} in {now - last[0]:.1f} s", flush=True)
        last[0] = now
    return lap


# --- Measuring ---------------------------------------------------------------------------------

@dataclass
class Page:
    name: str
    url: str
    params: dict
    baseline_sql: str
    baseline_params: list
    render: str  # "html" (a minimal template) or "csv"


MINIMAL = None


def _baseline(page: Page) -> tuple[int, Callable[[], object]]:
    from django.db import connection
    from django.template import Context, Template

    global MINIMAL
    MINIMAL = MINIMAL or Template("<table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>"
                                  "{% endfor %}</tr>{% endfor %}</table>")

    def run() -> str:
        with connection.cursor() as cursor:
            cursor.execute(page.baseline_sql, page.baseline_params)
            rows = cursor.fetchall()
        if page.render == "csv":
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            return out.getvalue()
        return MINIMAL.render(Context({"rows": rows}))

    with connection.cursor() as cursor:
        cursor.execute(page.baseline_sql, page.baseline_params)
        return len(cursor.fetchall()), run


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _measure(client, page: Page, repeat: int, slow: list) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def ours() -> bytes:
        response = client.get(page.url, page.params)
        assert response.status_code == 200, (page.name, response.status_code)
        return _body(response)

    connection.queries_log.clear()  # a full log (9,000 entries) would count nothing
    with CaptureQueriesContext(connection) as queries:
        ours()
    count, captured = len(queries), list(queries.captured_queries)  # the log is reset by the next request
    for query in captured:
        slow.append((float(query["time"]), page.name, query["sql"]))
    rows, baseline = _baseline(page)
    ms, baseline_ms = _median_ms(ours, repeat), _median_ms(baseline, repeat)
    return (f"page={page.name} rows={rows} ms={ms:.1f} baseline_ms={baseline_ms:.1f} "
            f"ratio={ms / baseline_ms:.2f} queries={count}")


def _pages(seeded: Seeded) -> list[Page]:
    from django.conf import settings
    from django.urls import reverse

    from patients.models import Patient

    zone = settings.TIME_ZONE
    patient = Patient.objects.get(pk=seeded.patient_id)
    last_four = str(patient.phone)[-4:]
    day, week_start = seeded.day, seeded.day - dt.timedelta(days=seeded.day.weekday())
    month = (seeded.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    patient_columns = "p.mrn, p.first_name, p.last_name, p.preferred_name, p.date_of_birth, p.phone"
    patient_order = "ORDER BY p.last_name, p.first_name, p.id LIMIT 25"
    return [
        Page("search_name_prefix", reverse("patients:list"), {"q": "Sur123"},
             f"SELECT {patient_columns} FROM patients_patient p WHERE NOT p.is_archived AND "  # noqa: S608
             f"(UPPER(p.last_name) LIKE 'SUR123%%' OR UPPER(p.first_name) LIKE 'SUR123%%' "
             f"OR UPPER(p.preferred_name) LIKE 'SUR123%%') {patient_order}", [], "html"),
        Page("search_full_phone", reverse("patients:list"), {"q": patient.phone.as_national},
             f"SELECT {patient_columns} FROM patients_patient p WHERE NOT p.is_archived AND p.phone = %s "  # noqa: S608
             f"{patient_order}", [str(patient.phone)], "html"),
        Page("search_last_four", reverse("patients:list"), {"q": last_four},
             f"SELECT {patient_columns} FROM patients_patient p WHERE NOT p.is_archived AND p.phone LIKE %s "  # noqa: S608
             f"{patient_order}", [f"%{last_four}"], "html"),
        Page("patient_chart", reverse("patients:detail", args=[patient.pk]), {},
             "SELECT 'plan', pl.id::text, pl.start_date::text, NULL FROM treatments_treatmentplan pl "
             "WHERE pl.patient_id = %s UNION ALL "
             "SELECT 'session', s.id::text, s.performed_at::text, s.status FROM treatments_injectionsession s "
             "WHERE s.patient_id = %s UNION ALL "
             "SELECT 'appointment', a.id::text, a.start_at::text, a.status FROM scheduling_appointment a "
             "WHERE a.patient_id = %s UNION ALL "
             "SELECT 'score', o.id::text, o.taken_on::text, o.total::text FROM outcomes_assessment o "
             "WHERE o.patient_id = %s", [patient.pk] * 4, "html"),
        Page("day_view_location", reverse("scheduling:day"),
             {"date": day.isoformat(), "location": seeded.location.pk},
             "SELECT a.start_at, a.end_at, a.status, p.first_name, p.last_name, u.display_name, r.name, t.name "
             "FROM scheduling_appointment a JOIN patients_patient p ON p.id = a.patient_id "
             "JOIN accounts_user u ON u.id = a.clinician_id JOIN scheduling_room r ON r.id = a.room_id "
             "JOIN scheduling_appointmenttype t ON t.id = a.appointment_type_id "
             "WHERE r.location_id = %s AND a.start_at >= %s AND a.start_at < %s ORDER BY a.start_at, a.id",
             [seeded.location.pk, *_local_day_bounds(day, 1)], "html"),
        Page("week_view", reverse("scheduling:week"),
             {"clinician": seeded.clinician.pk, "date": week_start.isoformat()},
             "SELECT a.start_at, a.end_at, a.status, p.first_name, p.last_name, r.name, t.name "
             "FROM scheduling_appointment a JOIN patients_patient p ON p.id = a.patient_id "
             "JOIN scheduling_room r ON r.id = a.room_id "
             "JOIN scheduling_appointmenttype t ON t.id = a.appointment_type_id "
             "WHERE a.clinician_id = %s AND a.start_at >= %s AND a.start_at < %s ORDER BY a.start_at, a.id",
             [seeded.clinician.pk, *_local_day_bounds(week_start, 7)], "html"),
        Page("recall_board", reverse("scheduling:recall"), {},
             # The plan's due date from its last signed session, one pass over the sessions.
             "WITH last AS (SELECT plan_id, max(performed_at) AS at FROM treatments_injectionsession "
             "WHERE status = 'signed' GROUP BY plan_id), due AS (SELECT pl.id, pl.patient_id, pl.indication_id, "
             "coalesce((l.at AT TIME ZONE %s)::date + pl.cycle_weeks * 7, pl.start_date) AS next_due "
             "FROM treatments_treatmentplan pl LEFT JOIN last l ON l.plan_id = pl.id WHERE pl.status = 'active') "
             "SELECT d.next_due, p.first_name, p.last_name, p.mrn FROM due d JOIN patients_patient p "
             "ON p.id = d.patient_id WHERE d.next_due <= %s AND NOT p.is_archived AND NOT EXISTS ("
             "SELECT 1 FROM scheduling_appointment a JOIN scheduling_appointmenttype t "
             "ON t.id = a.appointment_type_id JOIN treatments_treatmentplan ap ON ap.id = a.plan_id "
             "WHERE a.patient_id = d.patient_id AND t.is_injection "
             "AND (ap.id = d.id OR ap.indication_id = d.indication_id) "
             "AND a.status IN ('booked', 'confirmed', 'checked_in', 'completed') AND a.start_at >= %s) "
             "ORDER BY d.next_due, p.last_name, p.first_name, d.id LIMIT 50",
             [zone, seeded.today + dt.timedelta(weeks=4), _local_day_bounds(seeded.today, 1)[0]], "html"),
        Page("outcomes_report", reverse("outcomes:report"),
             {"since": month.isoformat(), "until": month_end.isoformat()},
             # The rows the report is made of: the month's signed sessions with their cycle number
             # and their plan's scores, aggregated by indication and cycle.
             "WITH numbered AS (SELECT s.plan_id, s.performed_at, row_number() OVER (PARTITION BY s.plan_id "
             "ORDER BY s.performed_at) AS cycle FROM treatments_injectionsession s WHERE s.status = 'signed'), "
             "chosen AS (SELECT * FROM numbered WHERE performed_at >= %s AND performed_at < %s) "
             "SELECT pl.indication_id, c.cycle, count(*), avg(o.total) FROM chosen c "
             "JOIN treatments_treatmentplan pl ON pl.id = c.plan_id "
             "LEFT JOIN outcomes_assessment o ON o.plan_id = c.plan_id GROUP BY 1, 2 ORDER BY 1, 2",
             [*_local_range(month, month_end)], "html"),
        Page("billing_csv_month", reverse("treatments:billing_export"),
             {"since": month.isoformat(), "until": month_end.isoformat()},
             "SELECT s.id, (s.performed_at AT TIME ZONE %s)::date, p.mrn, d.code, 'J0585', '', "
             "sum(si.units), 'onabotulinumtoxinA' FROM treatments_injectionsession s "
             "JOIN patients_patient p ON p.id = s.patient_id JOIN treatments_treatmentplan pl ON pl.id = s.plan_id "
             "JOIN treatments_diagnosiscode d ON d.id = pl.diagnosis_code_id "
             "JOIN treatments_injectionsite si ON si.session_id = s.id "
             "WHERE s.status = 'signed' AND s.performed_at >= %s AND s.performed_at < %s "
             "GROUP BY s.id, p.mrn, d.code ORDER BY s.performed_at, s.id",
             [zone, *_local_range(month, month_end)], "csv"),
        Page("lot_recipients_csv", reverse("treatments:lot_recipients_csv", args=[seeded.lot.pk]), {},
             "SELECT p.mrn, p.last_name, p.first_name, p.date_of_birth, p.phone, s.performed_at, s.status, "
             "v.vials_opened FROM treatments_sessionvial v JOIN treatments_injectionsession s ON s.id = v.session_id "
             "JOIN patients_patient p ON p.id = s.patient_id WHERE v.lot_id = %s ORDER BY s.performed_at, v.id",
             [seeded.lot.pk], "csv"),
        Page("audit_list", reverse("audit:list"), {},
             "SELECT e.sequence, e.occurred_at, e.actor_label, e.action, p.mrn FROM audit_auditevent e "
             "LEFT JOIN patients_patient p ON p.id = e.patient_id ORDER BY e.sequence DESC LIMIT 50", [], "html"),
    ]


def _local_day_bounds(first: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    from clinic.clock import local_instant

    return local_instant(first, dt.time.min), local_instant(first + dt.timedelta(days=days), dt.time.min)


def _local_range(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return _local_day_bounds(since, (until - since).days + 1)


def _billing_memory(client, today: dt.date) -> list[str]:
    """Peak Python memory while downloading the billing CSV of the last 1 and 12 months."""
    from django.urls import reverse

    lines = []
    for months in (1, 12):
        since = today - dt.timedelta(days=30 * months)
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(reverse("treatments:billing_export"),
                              {"since": since.isoformat(), "until": today.isoformat()})
        # Counted as it arrives, as a browser would write it to disk: the file is never held.
        rows = sum(chunk.count(b"\n") for chunk in response) - 1 if response.streaming \
            else response.content.count(b"\n") - 1
        elapsed = (time.perf_counter() - started) * 1000
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        lines.append(f"memory=billing_csv months={months} rows={rows} "
                     f"peak_kib={peak // 1024} ms={elapsed:.0f}")
    return lines


def _explain(slow: list, path: Path, label: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the three slowest queries met while measuring the pages."""
    from django.db import connection

    with path.open("a") as out:
        out.write(f"===== {label}: the three slowest queries =====\n")
        for seconds, page, sql in sorted(slow, key=lambda item: -item[0])[:3]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out.write(f"--- page={page} time={seconds * 1000:.1f} ms\n{sql}\n{plan}\n\n")


# --- Load ---------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wrk() -> str:
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)  # noqa: S607
    return shutil.which("wrk")


def _requests_per_second(wrk: str, url: str, cookie: str, seconds: int) -> float:
    result = subprocess.run(  # noqa: S603 - our own arguments
        [wrk, "-t2", "-c6", f"-d{seconds}s", "--timeout", "10s", "-H", f"Cookie: {cookie}", url],
        check=True, capture_output=True, text=True,
    )
    if "Non-2xx" in result.stdout or "Requests/sec:" not in result.stdout:
        raise SystemExit(f"wrk saw errors on {url}:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def _wait_until_served(url: str) -> None:
    """Until every worker has booted and answered once (a worker still importing Django would
    hold wrk's first connections for the whole run)."""
    from urllib.request import urlopen

    for _ in range(120):
        try:
            with urlopen(url, timeout=5) as response:  # noqa: S310 - our own http://127.0.0.1 URL
                if response.status == 200:
                    time.sleep(2)
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url}")


def _load(session_cookie: str, pages: list[Page], seconds: int, workers: int) -> list[str]:
    """gunicorn on 127.0.0.1 only; each page and the health check hammered for ``seconds``."""
    from urllib.parse import urlencode

    wrk, port = _wrk(), _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own arguments
        [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "clinic.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=BASE_DIR, env={**os.environ, "DJANGO_DEBUG": "true"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_served(f"{base}/health/")
        trivial = _requests_per_second(wrk, f"{base}/health/", session_cookie, seconds)
        lines = []
        for page in pages:
            rps = _requests_per_second(wrk, f"{base}{page.url}?{urlencode(page.params)}", session_cookie, seconds)
            lines.append(f"load={page.name} rps={rps:.0f} trivial_rps={trivial:.0f} share={rps / trivial:.2f}")
        return lines
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# --- Main ---------------------------------------------------------------------------------------

def _seeded_or_reused(args: argparse.Namespace, today: dt.date) -> tuple[list, object]:
    """The staff of the clinic group: seeded now, or (``--reuse``) found in the last run's database."""
    from django.db import connection

    from accounts.models import User
    from treatments.models import TreatmentPlan

    if args.reuse:
        users = list(User.objects.filter(username__startswith="scale").order_by("pk"))
        if TreatmentPlan.objects.filter(next_due_on__isnull=True).exists():  # seeded before the fields
            _plans_refresh()
        return users, User.objects.get(username="scale-manager")
    started = time.perf_counter()
    users, rooms, injection, product, manager = _seed_reference(today)
    _seed_bulk(args, today, users, rooms, injection, product, manager)
    print(f"seeded in {time.perf_counter() - started:.1f} s: {args.patients} patients, {args.appointments} "
          f"appointments, {args.sessions} sessions ({connection.vendor})", flush=True)
    return users, manager


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, help="signed sessions (default: two per patient)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per page (the median is printed)")
    parser.add_argument("--load-seconds", type=int, default=5, help="wrk's duration per page; 0 skips the load run")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers for the load run")
    parser.add_argument("--explain", type=Path, help="append EXPLAIN ANALYZE of the three slowest queries here")
    parser.add_argument("--pages", help="comma-separated page names to measure (default: all)")
    parser.add_argument("--no-memory", action="store_true", help="skip the billing CSV's peak-memory runs")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop (measure later with --reuse)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database the last run seeded (same sizes), after migrating it")
    args = parser.parse_args(argv)
    args.sessions = args.sessions if args.sessions is not None else 2 * args.patients
    _setup_django(os.environ.get("DATABASE_URL", DEFAULT_URL), fresh=not args.reuse)

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from patients.models import Patient
    from scheduling.models import Location
    from treatments.models import VialLot

    today = timezone.localdate()
    users, manager = _seeded_or_reused(args, today)
    if args.seed_only:
        return
    seeded = Seeded(
        manager=manager, clinician=users[0], location=Location.objects.order_by("pk").first(),
        patient_id=Patient.objects.order_by("pk").values_list("pk", flat=True)[args.patients // 2],
        lot=VialLot.objects.order_by("pk").first(), today=today,
        day=today + dt.timedelta(days=7 - today.weekday() + 2),  # Wednesday next week
    )
    client = Client()
    client.force_login(manager)
    pages, slow = _pages(seeded), []
    if args.pages:
        pages = [page for page in pages if page.name in args.pages.split(",")]
    for page in pages:
        print(_measure(client, page, args.repeat, slow), flush=True)
    if not args.no_memory:
        for line in _billing_memory(client, today):
            print(line, flush=True)
    if args.explain:
        _explain(slow, args.explain, f"{args.patients} patients, {args.appointments} appointments")
        print(f"explain: the three slowest queries' plans appended to {args.explain}")
    if args.load_seconds:
        loaded = [page for page in pages if page.name in ("day_view_location", "search_name_prefix")]
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        for line in _load(cookie, loaded, args.load_seconds, args.workers):
            print(line, flush=True)


if __name__ == "__main__":
    main()
