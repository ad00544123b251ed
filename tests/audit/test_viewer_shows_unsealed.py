"""The managers' audit page shows every entry at once: sealed ones with their place in the chain,
reads that beat has not sealed yet marked as such."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from audit.services import audit_access, audit_record
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_the_audit_page_lists_sealed_and_not_yet_sealed_entries(manager_client, front_desk_user):
    patient = PatientFactory()
    with transaction.atomic():
        audit_record(actor=front_desk_user, action="patients.patient.updated", patient=patient)
    audit_access(actor=front_desk_user, action="patients.patient.viewed", patient=patient)
    page = manager_client.get(reverse("audit:list")).content.decode()
    assert "patients.patient.updated" in page and "patients.patient.viewed" in page
    assert page.count("not yet sealed") == 1
