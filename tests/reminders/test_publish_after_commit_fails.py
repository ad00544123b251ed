"""Reliability row "Publish after commit fails": the enqueue raises after the rows are committed;
the row stays due and the next sweep sends it, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sweep import sweep
from tests.celery.fixtures import wait_for

from .conftest import broker_down

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_failed_publish_leaves_the_row_due_for_the_next_sweep(
    celery_worker, smtp_inbox, make_patient, make_appointment
):
    appointment = make_appointment(make_patient(), timezone.now() + dt.timedelta(days=10))
    with broker_down():  # nothing listens where the app publishes
        first = sweep()

    confirmation = Reminder.objects.get(appointment=appointment, kind=ReminderKind.BOOKING_CONFIRMATION)
    assert first.publish_failed and first.published == 0
    assert (confirmation.state, confirmation.published_at) == (ReminderState.SCHEDULED, None)

    second = sweep()

    assert second.created == 0 and second.published >= 1, second
    wait_for(lambda: Reminder.objects.get(pk=confirmation.pk).state == ReminderState.SENT)
    sweep()
    wait_for(lambda: smtp_inbox.messages)
    assert len(smtp_inbox.messages) == 1
