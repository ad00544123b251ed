"""Sending in batches: a batch is as safe as its rows sent one by one. Two SMS of one patient in
a batch never both go (the caps count what is sent or in flight); one row's failing transport
does not stop the others; a batch delivered twice sends each row once; a batch out of time hands
its unsent rows back; and a batch costs a fixed number of queries plus two a row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from patients.models import ReminderPreference
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import reminders_send
from reminders.sweep import reminders_create, sweep
from reminders.tasks import send_reminders
from tests.celery.fixtures import wait_for

from .conftest import local, outbox_pass

NOW = local(2026, 5, 11, 10)


@pytest.fixture
def cycle_sms(time_machine, make_patient, make_plan, sign):
    """``make(patient=None)``: a plan whose coming-up SMS reminder is due now; returns the row."""
    time_machine.move_to(NOW, tick=False)

    def make(patient=None) -> Reminder:
        plan = make_plan(patient or make_patient(channel=ReminderPreference.SMS))
        sign(plan, local(2026, 3, 2))
        reminders_create(timezone.now())
        return Reminder.objects.get(plan=plan, kind=ReminderKind.CYCLE_DUE)

    return make


def states(*reminders: Reminder) -> list[str]:
    return [Reminder.objects.get(pk=reminder.pk).state for reminder in reminders]


@pytest.mark.django_db
def test_two_sms_of_one_patient_in_one_batch_go_one_now_and_the_other_a_day_later(cycle_sms, sms_file,
                                                                                  time_machine):
    first = cycle_sms()
    second = cycle_sms(first.patient)

    sent = reminders_send(reminder_ids=[second.pk, first.pk])

    assert sent == {first.pk: ReminderState.SENT, second.pk: ReminderState.SCHEDULED}
    second.refresh_from_db()
    assert (second.attempts, second.published_at) == (0, None)  # untouched, for the next sweep at once
    outbox_pass()  # the same day: the cap (one a day) defers it
    second.refresh_from_db()
    assert (second.state, second.due_at) == (ReminderState.SCHEDULED, local(2026, 5, 12, 9))
    time_machine.move_to(local(2026, 5, 12, 9, 5), tick=False)
    assert outbox_pass() == [second.pk]
    assert len(sms_file()) == 2


@pytest.mark.django_db
def test_one_row_whose_transport_fails_does_not_stop_the_others_and_is_retried(cycle_sms, sms_gateway,
                                                                              time_machine):
    rows = [cycle_sms() for _ in range(3)]
    failing = rows[1]
    sms_gateway.mode_for[str(failing.patient.phone)] = "500"

    sent = reminders_send(reminder_ids=[row.pk for row in rows])

    assert sent == {rows[0].pk: ReminderState.SENT, failing.pk: ReminderState.SCHEDULED,
                    rows[2].pk: ReminderState.SENT}
    failing.refresh_from_db()
    assert (failing.attempts, failing.due_at) == (1, NOW + dt.timedelta(minutes=1))
    sms_gateway.mode_for.clear()
    time_machine.move_to(NOW + dt.timedelta(minutes=2), tick=False)
    assert outbox_pass() == [failing.pk]
    assert states(*rows) == [ReminderState.SENT] * 3
    assert sorted(request["form"]["To"] for request in sms_gateway.requests) == sorted(
        [str(row.patient.phone) for row in rows] + [str(failing.patient.phone)])


@pytest.mark.django_db
def test_a_batch_out_of_time_hands_its_unsent_rows_back_to_the_outbox(cycle_sms, sms_file, settings):
    settings.REMINDERS_SEND_BATCH_SECONDS = 0  # out of time as soon as the first call is made
    rows = [cycle_sms() for _ in range(3)]

    sent = reminders_send(reminder_ids=[row.pk for row in rows])

    assert list(sent.values()) == [ReminderState.SENT, ReminderState.SCHEDULED, ReminderState.SCHEDULED]
    for row in rows[1:]:
        row.refresh_from_db()
        assert (row.attempts, row.published_at, row.claimed_at, row.transport_called_at) == (0, None, None, None)
    settings.REMINDERS_SEND_BATCH_SECONDS = 120
    assert outbox_pass() == [row.pk for row in rows[1:]]
    assert len(sms_file()) == 3


@pytest.mark.django_db
def test_a_batch_costs_a_fixed_number_of_queries_plus_two_a_row(cycle_sms, sms_file, django_assert_max_num_queries):
    rows = [cycle_sms() for _ in range(5)]
    # BEGIN, the locked read, the re-checks (one kind and channel), the link codes read and
    # made, the claim, COMMIT; then for each row its call recorded (the claim records the
    # first's) and its outcome.
    with django_assert_max_num_queries(7 + 2 * len(rows) - 1):
        assert set(reminders_send(reminder_ids=[row.pk for row in rows]).values()) == {ReminderState.SENT}


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_batch_delivered_three_times_sends_each_row_once(celery_worker, sms_gateway, due_sms_reminder):
    rows = [due_sms_reminder() for _ in range(3)]

    for _ in range(3):
        send_reminders.delay([row.pk for row in rows])

    wait_for(lambda: set(states(*rows)) == {ReminderState.SENT})
    marker = due_sms_reminder()  # once the solo worker has sent this, it has run every batch before it
    send_reminders.delay([marker.pk])
    wait_for(lambda: states(marker) == [ReminderState.SENT])
    assert len(sms_gateway.requests) == 4
    assert [Reminder.objects.get(pk=row.pk).attempts for row in rows] == [1, 1, 1]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_sweep_publishes_due_rows_in_batches_that_a_worker_sends(celery_worker, sms_gateway, due_sms_reminder,
                                                                     settings):
    settings.REMINDERS_SEND_BATCH = 2
    rows = [due_sms_reminder() for _ in range(5)]  # and each appointment's emails
    due = Reminder.objects.filter(state=ReminderState.SCHEDULED, due_at__lte=timezone.now()).count()

    assert sweep().published == due >= 5

    wait_for(lambda: set(states(*rows)) == {ReminderState.SENT})
    assert len(sms_gateway.requests) == 5


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_rows_handed_over_for_review_and_the_rest_sent_once(
    celery_worker, sms_gateway, killed_sender
):
    """A worker killed (SIGKILL) during its second provider call of a batch of three: the first
    row was sent, the second is in flight, the third not reached."""
    rows = killed_sender(3, held=1)
    assert states(*rows) == [ReminderState.SENT, ReminderState.SENDING, ReminderState.SENDING]

    result = sweep()

    assert (result.flagged, result.requeued) == (1, 1)
    wait_for(lambda: states(rows[2]) == [ReminderState.SENT])
    sweep()
    rows[1].refresh_from_db()
    assert (rows[1].state, rows[1].needs_review) == (ReminderState.FAILED, True)
    assert [request["form"]["To"] for request in sms_gateway.requests] == [str(row.patient.phone) for row in rows]
    assert [Reminder.objects.get(pk=row.pk).attempts for row in rows] == [1, 1, 1]
