"""Reliability row "Redis down": with no broker answering, a booking commits promptly; its
confirmation goes out through the next sweep once Redis is back."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sweep import sweep
from scheduling.models import Appointment
from tests.celery.fixtures import wait_for

from .conftest import book, broker_down

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_booking_commits_promptly_without_redis_and_its_email_goes_out_after(
    celery_worker, celery_broker_url, smtp_inbox, booking_scene, make_patient
):
    patient = make_patient()
    with broker_down():  # nothing listens where the app publishes
        started = time.monotonic()
        appointment = book(booking_scene, patient, timezone.now() + dt.timedelta(days=10))
        elapsed = time.monotonic() - started

    assert elapsed < 10
    assert Appointment.objects.filter(pk=appointment.pk).exists()
    confirmation = Reminder.objects.get(appointment=appointment, kind=ReminderKind.BOOKING_CONFIRMATION)
    assert (confirmation.state, confirmation.published_at) == (ReminderState.SCHEDULED, None)

    # Redis is back (the fixture's app publishes to the real broker again): the next sweep sends it.
    sweep()
    wait_for(lambda: Reminder.objects.get(pk=confirmation.pk).state == ReminderState.SENT)
    wait_for(lambda: smtp_inbox.messages)
    assert [message["To"] for message in smtp_inbox.messages] == [patient.email]
