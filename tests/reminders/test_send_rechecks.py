"""The worker re-checks a due row under its lock before sending: whatever changed since the sweep
created it (and that no hook has yet acted on) stops it, with the reason shown to staff. And a
send costs the same few queries whatever the patient's history, so dispatch cannot slow down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from patients.models import ContactConsent, ReminderPreference
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import reminder_send
from reminders.sweep import reminders_create
from scheduling.models import Appointment, AppointmentStatus, CancelledBy
from treatments.models import PlanStatus, TreatmentPlan

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 5, 11, 10)
# Every query of a send: BEGIN, the lock on the row and its patient, the re-checks, the link
# codes read and made, the claim that records the attempt, COMMIT, the outcome (both databases
# log the BEGIN and the COMMIT).
QUERIES_PER_SEND = 8


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def cycle_reminder(now, make_patient, make_plan, sign) -> Reminder:
    """A coming-up SMS reminder, due now: the plan's next cycle is due in 14 days."""
    plan = make_plan(make_patient(channel=ReminderPreference.SMS))
    sign(plan, local(2026, 3, 2))
    reminders_create(now)
    return Reminder.objects.get(plan=plan, kind=ReminderKind.CYCLE_DUE)


@pytest.fixture
def appointment_reminder(now, make_patient, make_appointment) -> Reminder:
    appointment = make_appointment(make_patient(channel=ReminderPreference.SMS), NOW + dt.timedelta(hours=20))
    reminders_create(now)
    return Reminder.objects.get(appointment=appointment, kind=ReminderKind.APPOINTMENT, channel="sms")


def outcome(reminder: Reminder) -> tuple[str, str]:
    reminder.refresh_from_db()
    return reminder.state, reminder.skip_reason


def test_a_cycle_reminder_whose_plan_was_paused_is_cancelled(cycle_reminder, sms_file):
    TreatmentPlan.objects.filter(pk=cycle_reminder.plan_id).update(status=PlanStatus.PAUSED)
    assert reminder_send(reminder_id=cycle_reminder.pk) == ReminderState.CANCELLED
    assert outcome(cycle_reminder) == (ReminderState.CANCELLED, "plan paused or ended")
    assert sms_file() == []


def test_a_cycle_reminder_after_a_new_signed_session_is_cancelled(cycle_reminder, sign, sms_file):
    sign(cycle_reminder.plan, local(2026, 5, 4))  # an early re-treatment: the next cycle has started
    assert reminder_send(reminder_id=cycle_reminder.pk) == ReminderState.CANCELLED
    assert outcome(cycle_reminder) == (ReminderState.CANCELLED, "next cycle started")
    assert sms_file() == []


def test_a_cycle_reminder_after_an_injection_was_booked_is_cancelled(cycle_reminder, make_appointment, sms_file):
    make_appointment(cycle_reminder.patient, local(2026, 5, 26, 9), injection=True, plan=cycle_reminder.plan)
    assert reminder_send(reminder_id=cycle_reminder.pk) == ReminderState.CANCELLED
    assert outcome(cycle_reminder) == (ReminderState.CANCELLED, "appointment booked")
    assert sms_file() == []


@pytest.mark.parametrize(("change", "reason"), [
    ({"status": AppointmentStatus.CANCELLED, "cancelled_by": CancelledBy.PATIENT, "cancelled_at": NOW},
     "appointment cancelled"),
    ({"start_at": F("start_at") + dt.timedelta(hours=2), "end_at": F("end_at") + dt.timedelta(hours=2)},
     "appointment moved"),
])
def test_an_appointment_reminder_whose_appointment_changed_is_cancelled(
    change, reason, appointment_reminder, sms_file
):
    Appointment.objects.filter(pk=appointment_reminder.appointment_id).update(**change)
    assert reminder_send(reminder_id=appointment_reminder.pk) == ReminderState.CANCELLED
    assert outcome(appointment_reminder) == (ReminderState.CANCELLED, reason)
    assert sms_file() == []


def test_consent_withdrawn_since_the_sweep_skips_the_reminder(cycle_reminder, sms_file):
    ContactConsent.objects.filter(patient_id=cycle_reminder.patient_id, channel="sms").update(withdrawn_at=NOW)
    assert reminder_send(reminder_id=cycle_reminder.pk) == ReminderState.SKIPPED
    assert outcome(cycle_reminder) == (ReminderState.SKIPPED, "no sms consent")
    assert sms_file() == []


def test_a_reminder_still_wanted_is_sent_once(cycle_reminder, sms_file):
    assert reminder_send(reminder_id=cycle_reminder.pk) == ReminderState.SENT
    assert reminder_send(reminder_id=cycle_reminder.pk) == "not claimed"
    cycle_reminder.refresh_from_db()
    assert (cycle_reminder.state, cycle_reminder.attempts) == (ReminderState.SENT, 1)
    assert cycle_reminder.transport_called_at == cycle_reminder.claimed_at == NOW
    assert len(sms_file()) == 1


def test_a_send_costs_a_fixed_number_of_queries_whatever_the_patients_history(
    cycle_reminder, appointment_reminder, make_plan, sign, sms_file, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES_PER_SEND):
        assert reminder_send(reminder_id=appointment_reminder.pk) == ReminderState.SENT
    # The cycle reminder's patient now has other SMS reminders, one of them sent two days ago.
    for _ in range(2):
        plan = make_plan(cycle_reminder.patient)
        sign(plan, local(2026, 3, 2))
    reminders_create(NOW)
    others = Reminder.objects.filter(patient_id=cycle_reminder.patient_id).exclude(pk=cycle_reminder.pk)
    others.filter(pk=others.first().pk).update(state=ReminderState.SENT, sent_at=NOW - dt.timedelta(days=2))
    with django_assert_max_num_queries(QUERIES_PER_SEND):
        assert reminder_send(reminder_id=cycle_reminder.pk) == ReminderState.SENT
