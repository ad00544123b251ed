"""Reliability row "Worker killed mid-send": a sending process is killed (SIGKILL) while the provider
holds its request. The row whose call was under way is flagged for review and never resent; the
rows of its batch it had not reached are sent once, by a real worker, after the next sweep."""

from __future__ import annotations

import pytest
from django.utils import timezone

from reminders.models import Reminder, ReminderState
from reminders.sending import reminder_claim
from reminders.sweep import sweep
from tests.celery.fixtures import wait_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def calls_to(gateway, reminder: Reminder) -> int:
    return [request["form"]["To"] for request in gateway.requests].count(str(reminder.patient.phone))


def test_rows_the_killed_worker_had_not_reached_are_sent_once_after_the_next_sweep(
    celery_worker, sms_gateway, killed_sender
):
    in_flight, not_reached = killed_sender(2)
    assert Reminder.objects.get(pk=not_reached.pk).state == ReminderState.SENDING  # claimed with its batch

    result = sweep()

    assert (result.flagged, result.requeued) == (1, 1)
    wait_for(lambda: Reminder.objects.get(pk=not_reached.pk).state == ReminderState.SENT)
    sweep()
    assert calls_to(sms_gateway, not_reached) == 1
    assert Reminder.objects.get(pk=not_reached.pk).attempts == 1


def test_the_row_whose_provider_call_was_under_way_is_flagged_and_never_resent(
    celery_worker, sms_gateway, killed_sender
):
    (in_flight,) = killed_sender(1)

    result = sweep()
    sweep()

    in_flight.refresh_from_db()
    assert result.flagged == 1
    assert (in_flight.state, in_flight.needs_review) == (ReminderState.FAILED, True)
    assert "interrupted, check provider" in in_flight.last_error
    assert calls_to(sms_gateway, in_flight) == 1  # the call the worker died in, and no other


def test_a_row_still_sending_within_the_time_limit_is_left_alone(db, due_sms_reminder):
    reminder = due_sms_reminder()
    assert reminder_claim(reminder_id=reminder.pk, now=timezone.now())
    sweep()
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENDING
