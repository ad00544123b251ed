"""audit_record only runs inside the writing transaction, so a change and its record go together."""

from __future__ import annotations

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from tests.factories import PatientFactory


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(front_desk_user):
    patient = PatientFactory()
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        audit_record(actor=front_desk_user, action="patients.patient.viewed", patient=patient)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_record(front_desk_user):
    patient = PatientFactory()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=front_desk_user, action="patients.patient.viewed", patient=patient)
        1 / 0  # noqa: B018 - the change fails after it was recorded
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        event = audit_record(actor=front_desk_user, action="patients.patient.viewed", patient=patient)
    assert event.sequence == 1  # the rolled-back entry did not use up a place in the chain


@pytest.mark.django_db
def test_an_entry_says_who_what_when_and_which_patient(front_desk_user):
    patient = PatientFactory()
    with transaction.atomic():
        event = audit_record(actor=front_desk_user, action="patients.patient.viewed", patient=patient, target=patient)
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.patient) == (front_desk_user, "frontdesk", patient)
    assert (event.object_type, event.object_id) == ("patients.patient", str(patient.pk))
    assert event.occurred_at is not None


@pytest.mark.django_db
def test_work_without_a_signed_in_user_is_recorded_as_system():
    with transaction.atomic():
        event = audit_record(actor=None, action="reminders.sweep.ran")
    assert (event.actor, event.actor_label) == (None, "system")
