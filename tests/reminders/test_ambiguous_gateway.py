"""Reliability row "Ambiguous gateway": a timeout after the gateway accepted is never resent blindly
(failed for review); 429 is retried with backoff through the outbox; 400 fails visibly."""

from __future__ import annotations

import datetime as dt

import pytest

from reminders.models import Reminder, ReminderState
from reminders.sending import reminder_send

from .conftest import free_port, local, outbox_pass

pytestmark = pytest.mark.django_db


@pytest.fixture
def daytime(time_machine):
    time_machine.move_to(local(2026, 6, 15, 11), tick=False)
    return time_machine


def test_a_timeout_after_acceptance_is_failed_for_review_and_not_resent(daytime, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    sms_gateway.mode = "timeout_after_accept"

    assert reminder_send(reminder_id=reminder.pk) == ReminderState.FAILED

    reminder.refresh_from_db()
    assert reminder.needs_review
    assert reminder.last_error.startswith("check provider before sending again")
    sms_gateway.mode = "ok"
    daytime.shift(dt.timedelta(hours=1))
    outbox_pass()
    assert reminder_send(reminder_id=reminder.pk) == "not claimed"
    assert len(sms_gateway.requests) == 1


def test_429_goes_back_to_the_outbox_with_backoff_and_is_sent_later(daytime, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    sms_gateway.mode = "429"

    assert reminder_send(reminder_id=reminder.pk) == ReminderState.SCHEDULED

    reminder.refresh_from_db()
    assert reminder.due_at == local(2026, 6, 15, 11, 1)
    assert "429" in reminder.last_error
    assert reminder.pk not in outbox_pass()  # not due yet: nothing resent before the backoff
    sms_gateway.mode = "ok"
    daytime.shift(dt.timedelta(minutes=1))
    assert reminder.pk in outbox_pass()
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts, reminder.last_error) == (ReminderState.SENT, 2, "")
    assert [request["mode"] for request in sms_gateway.requests] == ["429", "ok"]


def test_backoff_grows_and_then_gives_up(daytime, sms_gateway, due_sms_reminder, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 3
    reminder = due_sms_reminder()
    sms_gateway.mode = "500"
    waits = []
    for _ in range(3):
        Reminder.objects.filter(pk=reminder.pk).update(due_at=local(2026, 6, 15, 11))
        reminder_send(reminder_id=reminder.pk)
        reminder.refresh_from_db()
        waits.append(reminder.due_at - local(2026, 6, 15, 11))
    assert waits[:2] == [dt.timedelta(minutes=1), dt.timedelta(minutes=2)]
    assert reminder.state == ReminderState.FAILED
    assert reminder.last_error.startswith("gave up after 3 attempts")


def test_a_bad_number_fails_at_once_with_the_error_visible(daytime, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    sms_gateway.mode = "400"
    assert reminder_send(reminder_id=reminder.pk) == ReminderState.FAILED
    reminder.refresh_from_db()
    assert "21211" in reminder.last_error
    assert not reminder.needs_review


def test_a_refused_connection_is_retried(daytime, settings, due_sms_reminder, sms_gateway):
    settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{free_port()}"
    reminder = due_sms_reminder()
    assert reminder_send(reminder_id=reminder.pk) == ReminderState.SCHEDULED
    assert "could not reach Twilio" in Reminder.objects.get(pk=reminder.pk).last_error
