"""Reliability row "Beat twice": two sweeps at once (threads, real transactions) create exactly one
row per (patient, cycle or appointment, kind, channel). Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from reminders.models import Reminder
from reminders.sweep import reminders_create

from .conftest import local

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_create_each_reminder_once(make_patient, make_plan, sign, make_appointment,
                                                       time_machine):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite fails a second writer at once instead of making it wait
        # as a file does (BEGIN IMMEDIATE), so the race means something only on a file.
        pytest.skip("SQLite race needs a file test database: set SQLITE_TEST_NAME")
    time_machine.move_to(local(2026, 5, 11, 12), tick=False)
    for _ in range(15):
        patient = make_patient()
        sign(make_plan(patient), local(2026, 3, 2))
        make_appointment(patient, local(2026, 5, 12, 11))
    now = timezone.now()
    barrier, created, errors = threading.Barrier(2), [], []

    def run() -> None:
        try:
            barrier.wait()
            created.append(reminders_create(now))
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    keys = ("patient", "plan", "cycle_due_on", "appointment", "appointment_start_at", "kind", "channel")
    duplicates = Reminder.objects.values(*keys).annotate(n=Count("id")).filter(n__gt=1)
    assert list(duplicates) == []
    # 15 × (cycle SMS + appointment email + appointment SMS + booking confirmation)
    assert Reminder.objects.count() == 60
    # Each source's INSERT … SELECT commits on its own, so two sweeps may share the work;
    # together they create every row exactly once.
    assert sum(created) == 60
