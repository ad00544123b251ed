"""Reliability row "Task redelivered": the same send task, run three times by a real worker through
Redis, reaches the SMS endpoint once, and the row is ``sent``. A message for the one-id task of
the version before batches (``reminders.send``), still in Redis during a deploy, is dropped by the
worker, and the row it named is still in the outbox for the next sweep to send once."""

from __future__ import annotations

import pytest

from reminders.models import Reminder, ReminderState
from reminders.sweep import sweep
from reminders.tasks import send_reminders
from tests.celery.fixtures import wait_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def state_of(reminder: Reminder) -> str:
    return Reminder.objects.get(pk=reminder.pk).state


def test_the_same_task_three_times_sends_one_sms(celery_worker, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()

    for _ in range(3):
        send_reminders.delay([reminder.pk])

    wait_for(lambda: state_of(reminder) == ReminderState.SENT)
    wait_for(lambda: len(sms_gateway.requests) >= 1)
    reminder.refresh_from_db()
    assert len(sms_gateway.requests) == 1
    assert reminder.attempts == 1
    assert reminder.provider_message_id == "SM" + "1".rjust(32, "0")
    assert sms_gateway.requests[0]["form"]["To"] == str(reminder.patient.phone)


def test_a_task_for_a_row_already_sent_does_nothing(celery_worker, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    send_reminders.delay([reminder.pk])
    wait_for(lambda: state_of(reminder) == ReminderState.SENT)

    send_reminders.delay([reminder.pk])
    send_reminders.delay([reminder.pk])
    # A marker task after them: once the solo worker has run it, it has run the two before it.
    marker = due_sms_reminder()
    send_reminders.delay([marker.pk])
    wait_for(lambda: state_of(marker) == ReminderState.SENT)
    assert len(sms_gateway.requests) == 2


def test_a_message_for_the_old_one_id_task_is_dropped_and_the_sweep_sends_its_row_once(
    celery_app, celery_worker, sms_gateway, due_sms_reminder
):
    reminder = due_sms_reminder()
    celery_app.send_task("reminders.send", args=[reminder.pk])  # as the version before batches queued it
    marker = due_sms_reminder()
    send_reminders.delay([marker.pk])
    wait_for(lambda: state_of(marker) == ReminderState.SENT)  # the solo worker has handled the old message
    assert state_of(reminder) == ReminderState.SCHEDULED

    assert sweep().published >= 1

    wait_for(lambda: state_of(reminder) == ReminderState.SENT)
    assert [request["form"]["To"] for request in sms_gateway.requests].count(str(reminder.patient.phone)) == 1
