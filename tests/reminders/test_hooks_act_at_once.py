"""The services that change an appointment, a plan or a consent bring the outbox up to date in
their own transaction: no sweep runs in any of these tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from patients.models import Channel, ConsentMethod, ContactConsent, ReminderPreference
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sweep import reminders_create
from scheduling.models import CancelledBy
from scheduling.services import appointment_cancel, appointment_reschedule
from tests.factories import TreatmentPlanFactory, VialLotFactory, seeded, signed_session_make
from tests.treatments.conftest import migraine_sites, session_input, vial
from treatments.models import PlanStatus
from treatments.services import plan_set_status, session_save, session_sign, session_start

from .conftest import book, local

pytestmark = pytest.mark.django_db
NOW = local(2030, 6, 3, 11)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def states(**filters) -> list[tuple[str, str, str]]:
    return sorted(Reminder.objects.filter(**filters).values_list("kind", "state", "skip_reason"))


def test_booking_queues_its_confirmation_email_at_once(booking_scene, make_patient):
    appointment = book(booking_scene, make_patient(), local(2030, 6, 20, 10))
    assert states(appointment=appointment) == [(ReminderKind.BOOKING_CONFIRMATION, ReminderState.SCHEDULED, "")]


def test_booking_within_a_day_also_creates_the_reminders_already_due(booking_scene, make_patient):
    appointment = book(booking_scene, make_patient(), NOW + dt.timedelta(hours=20))
    kinds = Reminder.objects.filter(appointment=appointment).values_list("kind", "channel")
    assert sorted(kinds) == [("appointment", "email"), ("appointment", "sms"), ("booking_confirmation", "email")]


def test_rescheduling_replaces_the_pending_reminders(booking_scene, make_patient):
    appointment = book(booking_scene, make_patient(), NOW + dt.timedelta(hours=20))
    appointment_reschedule(actor=booking_scene["clinician"], appointment=appointment, start_at=local(2030, 6, 20, 10))
    old = states(appointment=appointment, appointment_start_at=NOW + dt.timedelta(hours=20))
    assert {(state, reason) for _, state, reason in old} == {(ReminderState.CANCELLED, "appointment moved")}
    assert states(appointment=appointment, appointment_start_at=local(2030, 6, 20, 10)) == [
        (ReminderKind.BOOKING_CONFIRMATION, ReminderState.SCHEDULED, "")]


def test_cancelling_cancels_the_pending_reminders(booking_scene, make_patient):
    appointment = book(booking_scene, make_patient(), NOW + dt.timedelta(hours=20))
    appointment_cancel(actor=booking_scene["clinician"], appointment=appointment, by=CancelledBy.PATIENT,
                       reason="away")
    assert {(state, reason) for _, state, reason in states(appointment=appointment)} == {
        (ReminderState.CANCELLED, "appointment cancelled")}


@pytest.fixture
def plan_with_cycle_reminder(make_patient):
    """A plan due in ten days, whose coming-up reminder is scheduled."""
    patient = make_patient(channel=ReminderPreference.EMAIL)
    plan = TreatmentPlanFactory(patient=patient)
    signed_session_make(plan=plan, performed_at=NOW - dt.timedelta(weeks=plan.cycle_weeks, days=-10))
    assert reminders_create(NOW) == 1
    return plan


def test_signing_the_next_session_cancels_the_old_cycle_reminder(plan_with_cycle_reminder):
    plan = plan_with_cycle_reminder
    clinician = plan.responsible_clinician
    lot = VialLotFactory(product=seeded("Product", code="botox"), vial_units=200, quantity_received=20,
                         expiry_date=dt.date(2099, 12, 31))
    draft = session_start(actor=clinician, plan=plan, performed_at=NOW)
    session_save(actor=clinician, session=draft, data=session_input(
        performed_at=NOW, product=plan.product, sites=migraine_sites(100), vials=[vial(lot)]))
    session_sign(actor=clinician, session=draft, overrides={"retreatment_too_soon": "symptoms back early"})
    assert states(plan=plan) == [(ReminderKind.CYCLE_DUE, ReminderState.CANCELLED, "next cycle started")]


def test_pausing_a_plan_cancels_its_cycle_reminder_and_resuming_brings_it_back(plan_with_cycle_reminder):
    plan = plan_with_cycle_reminder
    plan_set_status(actor=plan.responsible_clinician, plan=plan, status=PlanStatus.PAUSED)
    assert states(plan=plan) == [(ReminderKind.CYCLE_DUE, ReminderState.CANCELLED, "plan paused or ended")]
    plan_set_status(actor=plan.responsible_clinician, plan=plan, status=PlanStatus.ACTIVE)
    # The cancelled row holds the cycle's key: resuming cannot recreate it; the row says why.
    assert states(plan=plan) == [(ReminderKind.CYCLE_DUE, ReminderState.CANCELLED, "plan paused or ended")]


def test_staff_withdrawing_consent_cancels_pending_messages_on_that_channel(
    front_desk_client, booking_scene, make_patient
):
    patient = make_patient()
    appointment = book(booking_scene, patient, NOW + dt.timedelta(hours=20))
    response = front_desk_client.post(reverse("patients:consent_withdraw", args=[patient.pk, Channel.SMS]))
    assert response.status_code == 302
    by_channel = dict(Reminder.objects.filter(appointment=appointment, kind="appointment")
                      .values_list("channel", "skip_reason"))
    assert by_channel == {"sms": "consent withdrawn", "email": ""}
    assert not ContactConsent.objects.filter(patient=patient, channel=Channel.SMS, withdrawn_at__isnull=True).exists()
    assert ContactConsent.objects.get(patient=patient, channel=Channel.SMS).withdrawn_method == ConsentMethod.VERBAL
