"""The sweep creates the rows that have become due, once, set-based, with skips explained."""

from __future__ import annotations

import datetime as dt

import pytest

from patients.models import ReminderPreference
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sweep import reminders_create

from .conftest import local

pytestmark = pytest.mark.django_db


def rows():
    return list(Reminder.objects.order_by("kind", "channel").values_list("kind", "channel", "state", "skip_reason"))


def test_cycle_reminder_is_created_fourteen_days_before_the_due_date(make_patient, make_plan, sign):
    plan = make_plan(make_patient(channel=ReminderPreference.SMS))
    sign(plan, local(2026, 3, 2))  # due 12 weeks later: 2026-05-25
    assert reminders_create(local(2026, 5, 10, 12)) == 0
    assert reminders_create(local(2026, 5, 11, 12)) == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.channel, reminder.state) == ("cycle_due", "sms", "scheduled")
    assert reminder.cycle_due_on == dt.date(2026, 5, 25)


def test_a_reminder_falling_due_at_night_waits_for_the_clinic_morning(make_patient, make_plan, sign):
    plan = make_plan(make_patient())
    sign(plan, local(2026, 3, 2))
    reminders_create(local(2026, 5, 11, 6, 30))
    assert Reminder.objects.get().due_at == local(2026, 5, 11, 9, 0)


def test_overdue_reminder_comes_seven_days_after_the_due_date(make_patient, make_plan, sign):
    plan = make_plan(make_patient(channel=ReminderPreference.EMAIL))
    sign(plan, local(2026, 3, 2))
    reminders_create(local(2026, 5, 31, 12))
    assert rows() == []
    reminders_create(local(2026, 6, 1, 12))
    assert rows() == [("cycle_overdue", "email", "scheduled", "")]


def test_a_sweep_after_an_outage_records_what_it_missed(make_patient, make_plan, sign, settings):
    settings.REMINDERS_CATCH_UP_DAYS = 30
    plan = make_plan(make_patient(channel=ReminderPreference.EMAIL))
    sign(plan, local(2026, 3, 2))  # the coming-up reminder was due 2026-05-11, its window ends 05-25
    reminders_create(local(2026, 5, 26, 12))  # beat was down since before 05-11
    assert rows() == [("cycle_due", "email", "missed", "")]


def test_a_sweep_after_a_long_outage_records_the_missed_reminder_and_sends_the_overdue_one(
    make_patient, make_plan, sign, settings
):
    settings.REMINDERS_CATCH_UP_DAYS = 30  # both kinds' catch-up windows now cover the due date
    plan = make_plan(make_patient(channel=ReminderPreference.EMAIL))
    sign(plan, local(2026, 3, 2))  # due 2026-05-25: coming-up reminder 05-11, overdue 06-01
    assert reminders_create(local(2026, 6, 1, 12)) == 2
    assert rows() == [("cycle_due", "email", "missed", ""), ("cycle_overdue", "email", "scheduled", "")]


def test_a_booked_injection_stops_the_cycle_reminders(make_patient, make_plan, sign, make_appointment):
    plan = make_plan(make_patient())
    sign(plan, local(2026, 3, 2))
    make_appointment(plan.patient, local(2026, 5, 26), injection=True, plan=plan)
    reminders_create(local(2026, 5, 11, 12))
    assert not Reminder.objects.filter(kind__in=[ReminderKind.CYCLE_DUE, ReminderKind.CYCLE_OVERDUE]).exists()


def test_no_consent_opted_out_and_archived_patients_are_skipped_with_a_reason(make_patient, make_plan, sign):
    for patient in (make_patient(consent=()), make_patient(channel=ReminderPreference.NONE),
                    make_patient(is_archived=True)):
        sign(make_plan(patient), local(2026, 3, 2))
    reminders_create(local(2026, 5, 11, 12))
    assert sorted(Reminder.objects.values_list("state", "skip_reason")) == [
        ("skipped", "no sms consent"), ("skipped", "patient archived"), ("skipped", "patient wants no reminders"),
    ]


def test_appointment_reminders_come_two_days_before_by_email_and_one_day_before_by_sms(
    make_patient, make_appointment
):
    appointment = make_appointment(make_patient(), local(2026, 6, 17, 10))
    reminders_create(local(2026, 6, 15, 10, 30))
    assert Reminder.objects.filter(kind=ReminderKind.APPOINTMENT).get().channel == "email"
    reminders_create(local(2026, 6, 16, 10, 30))
    reminder = Reminder.objects.get(kind=ReminderKind.APPOINTMENT, channel="sms")
    assert (reminder.appointment, reminder.appointment_start_at, reminder.window_ends_at) == (
        appointment, appointment.start_at, appointment.start_at)


def test_a_recent_booking_gets_one_confirmation_email(make_patient, make_appointment, time_machine):
    time_machine.move_to(local(2026, 6, 1, 22), tick=False)
    make_appointment(make_patient(), local(2026, 6, 20, 10))
    reminders_create(local(2026, 6, 1, 22, 1))
    reminders_create(local(2026, 6, 1, 22, 2))
    confirmation = Reminder.objects.get(kind=ReminderKind.BOOKING_CONFIRMATION)
    assert (confirmation.channel, confirmation.state) == ("email", ReminderState.SCHEDULED)
    assert confirmation.due_at == local(2026, 6, 1, 22, 1)  # not held for quiet hours


def test_the_sweep_runs_the_same_number_of_queries_for_one_patient_or_thirty(
    make_patient, make_plan, sign, make_appointment
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for _ in range(count):
            patient = make_patient()
            sign(make_plan(patient), local(2026, 3, 2))
            make_appointment(patient, local(2026, 5, 12, 10))

    add(1)
    with CaptureQueriesContext(connection) as one:
        created_one = reminders_create(local(2026, 5, 11, 12))
    Reminder.objects.all().delete()
    add(29)
    with CaptureQueriesContext(connection) as thirty:
        created_thirty = reminders_create(local(2026, 5, 11, 12))
    inserts = [query for query in thirty.captured_queries if query["sql"].startswith("INSERT")]
    # One for every cycle reminder (both kinds, both channels), one per appointment channel, one
    # for booking confirmations.
    assert len(inserts) == 4
    assert len(thirty.captured_queries) == len(one.captured_queries)
    assert created_thirty == 30 * created_one
