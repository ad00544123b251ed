""""Send again" puts a failed reminder back in the outbox with a fresh attempt budget, audited;
one that may have reached the patient goes again only when staff say they checked the provider."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from reminders.models import Reminder, ReminderState
from reminders.services import SendAgainRefused, reminder_send_again

from .conftest import local
from .test_outbox_page import make_reminders

pytestmark = pytest.mark.django_db
NOW = local(2030, 6, 3, 11)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_a_failed_reminder_goes_back_to_scheduled_with_a_fresh_budget(front_desk_user):
    [reminder] = make_reminders(1, state=ReminderState.FAILED, attempts=8, last_error="gave up")
    reminder = reminder_send_again(actor=front_desk_user, reminder_id=reminder.pk)
    assert (reminder.state, reminder.attempts, reminder.due_at) == (ReminderState.SCHEDULED, 0, NOW)
    event = AuditEvent.objects.get(action="reminders.reminder.sent_again")
    assert (event.actor, event.patient_id, event.object_id) == (front_desk_user, reminder.patient_id, str(reminder.pk))


def test_an_ambiguous_failure_is_refused_until_the_provider_was_checked(front_desk_user):
    [reminder] = make_reminders(1, state=ReminderState.FAILED, needs_review=True)
    with pytest.raises(SendAgainRefused, match="check the provider"):
        reminder_send_again(actor=front_desk_user, reminder_id=reminder.pk)
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.FAILED
    reminder = reminder_send_again(actor=front_desk_user, reminder_id=reminder.pk, provider_checked=True)
    assert (reminder.state, reminder.needs_review) == (ReminderState.SCHEDULED, False)
    assert AuditEvent.objects.get(action="reminders.reminder.sent_again").changes[
        "provider_checked_not_delivered"] == [None, True]


@pytest.mark.parametrize("state", [ReminderState.SENT, ReminderState.SCHEDULED, ReminderState.CANCELLED])
def test_only_failed_reminders_can_be_sent_again(front_desk_user, state):
    [reminder] = make_reminders(1, state=state)
    with pytest.raises(SendAgainRefused):
        reminder_send_again(actor=front_desk_user, reminder_id=reminder.pk)


def test_a_reminder_whose_time_has_passed_is_refused(front_desk_user):
    [reminder] = make_reminders(1, state=ReminderState.FAILED)
    Reminder.objects.filter(pk=reminder.pk).update(cycle_due_on=NOW.date())  # the coming-up window closed
    with pytest.raises(SendAgainRefused, match="time has passed"):
        reminder_send_again(actor=front_desk_user, reminder_id=reminder.pk)


def test_the_button_needs_the_tick_for_an_ambiguous_row(front_desk_client):
    [reminder] = make_reminders(1, state=ReminderState.FAILED, needs_review=True)
    url = reverse("outbox:send_again", args=[reminder.pk])
    response = front_desk_client.post(url, follow=True)
    assert "check the provider" in response.content.decode()
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.FAILED
    front_desk_client.post(url, {f"r{reminder.pk}-provider_checked": "on"})
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.SCHEDULED


def test_clinicians_cannot_send_again(clinician_client):
    [reminder] = make_reminders(1, state=ReminderState.FAILED)
    assert clinician_client.post(reverse("outbox:send_again", args=[reminder.pk])).status_code == 403
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.FAILED
