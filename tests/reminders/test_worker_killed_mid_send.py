"""RELIABILITY "Worker killed mid-send": a row claimed and then abandoned is sent once if its
worker died before calling the provider, and flagged for review (never resent) if it died after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reminders.models import Reminder, ReminderState
from reminders.sending import reminder_claim
from reminders.sweep import sweep
from tests.celery.fixtures import wait_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def _abandon(reminder: Reminder, *, after_calling_the_provider: bool) -> None:
    """What a worker killed at that point leaves behind, eleven minutes ago."""
    assert reminder_claim(reminder_id=reminder.pk, now=timezone.now())
    long_ago = timezone.now() - dt.timedelta(minutes=11)
    Reminder.objects.filter(pk=reminder.pk).update(
        claimed_at=long_ago, transport_called_at=long_ago if after_calling_the_provider else None)


def test_killed_before_the_provider_call_it_is_sent_once_by_the_next_sweep(
    celery_worker, sms_gateway, due_sms_reminder
):
    reminder = due_sms_reminder()
    _abandon(reminder, after_calling_the_provider=False)

    result = sweep()

    assert result.requeued == 1
    wait_for(lambda: Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENT)
    sweep()
    assert len(sms_gateway.requests) == 1
    assert Reminder.objects.get(pk=reminder.pk).attempts == 1


def test_killed_after_the_provider_call_it_is_flagged_and_never_resent(celery_worker, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    _abandon(reminder, after_calling_the_provider=True)

    result = sweep()
    sweep()

    reminder.refresh_from_db()
    assert result.flagged == 1
    assert (reminder.state, reminder.needs_review) == (ReminderState.FAILED, True)
    assert "interrupted, check provider" in reminder.last_error
    assert sms_gateway.requests == []


def test_a_row_still_sending_within_the_time_limit_is_left_alone(db, due_sms_reminder):
    reminder = due_sms_reminder()
    assert reminder_claim(reminder_id=reminder.pk, now=timezone.now())
    sweep()
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENDING
