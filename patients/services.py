"""Writes to the patient registry. Each is atomic and audited."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_access, audit_record, changes_between, field_values

from .hooks import ConsentWithdrawn, consent_withdrawn
from .models import Channel, ConsentMethod, ContactConsent, Patient

# Fields a registration form may set; also what the audit diff covers.
PATIENT_FIELDS = (
    "first_name", "last_name", "preferred_name", "date_of_birth", "sex", "phone", "email",
    "preferred_channel", "preferred_language", "address_line1", "address_line2", "city", "state",
    "postal_code", "emergency_contact_name", "emergency_contact_relationship",
    "emergency_contact_phone", "weight_kg", "weight_measured_on", "notes",
)
_MRN_ATTEMPTS = 10


def _luhn_check_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def mrn_generate() -> str:
    """An 8-digit MRN: 7 random digits and a Luhn check digit, so a mistyped MRN is caught.

    Random rather than sequential so that an MRN does not reveal how many patients we have.
    """
    body = f"{secrets.randbelow(9_000_000) + 1_000_000}"
    return body + _luhn_check_digit(body)


def mrn_is_valid(value: str) -> bool:
    return len(value) == 8 and value.isdigit() and _luhn_check_digit(value[:-1]) == value[-1]


@transaction.atomic
def patient_create(*, actor: Any, data: Mapping[str, Any]) -> Patient:
    """Register a patient with a fresh MRN. ``data`` holds cleaned form values."""
    patient = Patient(**{name: data[name] for name in PATIENT_FIELDS if name in data})
    patient.created_by = actor if getattr(actor, "is_authenticated", False) else None
    patient.full_clean(exclude=["mrn"])
    for _ in range(_MRN_ATTEMPTS):
        patient.mrn = mrn_generate()
        try:
            with transaction.atomic():  # a savepoint: a clash retries without losing the outer work
                patient.save(force_insert=True)
            break
        except IntegrityError:
            if not Patient.objects.filter(mrn=patient.mrn).exists():
                raise
            patient.pk = None
    else:
        raise RuntimeError("Could not allocate a unique MRN")
    audit_record(
        actor=actor, action="patients.patient.created", patient=patient, target=patient,
        changes=changes_between({}, field_values(patient, PATIENT_FIELDS)),
    )
    return patient


@transaction.atomic
def patient_update(*, actor: Any, patient: Patient, data: Mapping[str, Any]) -> Patient:
    """Change a patient's details; the audit entry holds each changed field before and after."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    before = field_values(patient, PATIENT_FIELDS)
    for name in PATIENT_FIELDS:
        if name in data:
            setattr(patient, name, data[name])
    patient.full_clean()
    changes = changes_between(before, field_values(patient, PATIENT_FIELDS))
    if changes:
        patient.save()
        audit_record(actor=actor, action="patients.patient.updated", patient=patient, target=patient, changes=changes)
    return patient


@transaction.atomic
def patient_set_archived(*, actor: Any, patient: Patient, archived: bool) -> Patient:
    """Archive (hide from day-to-day lists, stop reminders) or restore a patient."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.is_archived == archived:
        return patient
    patient.is_archived = archived
    patient.archived_at = timezone.now() if archived else None
    patient.save(update_fields=["is_archived", "archived_at", "updated_at"])
    audit_record(
        actor=actor, action="patients.patient.archived" if archived else "patients.patient.restored",
        patient=patient, target=patient, changes={"is_archived": [not archived, archived]},
    )
    return patient


@transaction.atomic
def consent_record(
    *, actor: Any, patient: Patient, channel: Channel, method: ConsentMethod, given_at=None
) -> ContactConsent:
    """Record consent to be contacted on ``channel``. Recording it again changes nothing."""
    current = ContactConsent.objects.select_for_update().filter(
        patient=patient, channel=channel, withdrawn_at__isnull=True
    ).first()
    if current:
        return current
    consent = ContactConsent.objects.create(
        patient=patient, channel=channel, given_method=method, given_at=given_at or timezone.now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor, action="patients.consent.given", patient=patient, target=consent,
        changes={"channel": [None, channel], "method": [None, method]},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, patient: Patient, channel: Channel, method: ConsentMethod) -> bool:
    """Withdraw consent on ``channel`` at once. Returns False when there was none to withdraw."""
    consent = ContactConsent.objects.select_for_update().filter(
        patient=patient, channel=channel, withdrawn_at__isnull=True
    ).first()
    if consent is None:
        return False
    consent.withdrawn_at, consent.withdrawn_method = timezone.now(), method
    consent.save(update_fields=["withdrawn_at", "withdrawn_method"])
    audit_record(
        actor=actor, action="patients.consent.withdrawn", patient=patient, target=consent,
        changes={"channel": [channel, channel], "method": [None, method]},
    )
    consent_withdrawn.send(ConsentWithdrawn(patient_id=patient.pk, channel=channel))
    return True


def patient_record_viewed(*, actor: Any, patient: Patient) -> None:
    """Every view of a patient's record is in the audit trail (HIPAA access accounting); as a read,
    it takes no lock on the chain (``audit_access``)."""
    audit_access(actor=actor, action="patients.patient.viewed", patient=patient, target=patient)
