"""RELIABILITY "Task redelivered": the same reminder task, run three times by a real worker
through Redis, reaches the SMS endpoint once, and the row is ``sent``."""

from __future__ import annotations

import pytest

from reminders.models import Reminder, ReminderState
from reminders.tasks import send_reminder
from tests.celery.fixtures import wait_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_the_same_task_three_times_sends_one_sms(celery_worker, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()

    for _ in range(3):
        send_reminder.delay(reminder.pk)

    wait_for(lambda: Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENT)
    wait_for(lambda: len(sms_gateway.requests) >= 1)
    reminder.refresh_from_db()
    assert len(sms_gateway.requests) == 1
    assert reminder.attempts == 1
    assert reminder.provider_message_id == "SM" + "1".rjust(32, "0")
    assert sms_gateway.requests[0]["form"]["To"] == str(reminder.patient.phone)


def test_a_task_for_a_row_already_sent_does_nothing(celery_worker, sms_gateway, due_sms_reminder):
    reminder = due_sms_reminder()
    send_reminder.delay(reminder.pk)
    wait_for(lambda: Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENT)

    send_reminder.delay(reminder.pk)
    send_reminder.delay(reminder.pk)
    # A marker task after them: once the solo worker has run it, it has run the two before it.
    marker = due_sms_reminder()
    send_reminder.delay(marker.pk)
    wait_for(lambda: Reminder.objects.get(pk=marker.pk).state == ReminderState.SENT)
    assert len(sms_gateway.requests) == 2
