"""The chain is keyed: an edited entry whose chain is recomputed without the audit key (plain
SHA-256, as the old chain was, or another key) is still found. The key is not in the database."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.db import transaction

from audit.keyed import content_fields
from audit.models import AuditEvent
from audit.services import audit_record
from audit.verify import audit_verify
from tests.factories import PatientFactory

from .tampering import rechain, tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(front_desk_user) -> list[AuditEvent]:
    patient = PatientFactory()
    with transaction.atomic():
        for action in ("patients.patient.updated", "patients.consent.recorded", "patients.patient.archived"):
            audit_record(actor=front_desk_user, action=action, patient=patient)
    return list(AuditEvent.objects.order_by("sequence"))


def _link_payload(event: AuditEvent, previous_hash: str) -> bytes:
    payload = {"previous": previous_hash, "sequence": event.sequence, **content_fields(event)}
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _plain_sha256(event: AuditEvent, *, previous_hash: str) -> str:
    return hashlib.sha256(_link_payload(event, previous_hash)).hexdigest()


def _hmac_with_a_made_up_key(event: AuditEvent, *, previous_hash: str) -> str:
    return hmac.new(b"a-key-the-attacker-made-up", _link_payload(event, previous_hash), hashlib.sha256).hexdigest()


def test_an_edit_with_the_chain_recomputed_as_plain_sha256_is_found(chain):
    tamper("UPDATE {table} SET action = %s WHERE sequence = %s", ["patients.patient.looked_at", 2])
    rechain(link=_plain_sha256)
    problems = audit_verify()
    assert {p.sequence for p in problems} == {1, 2, 3}  # every link is wrong without the key
    assert all(p.problem == "contents changed after writing" for p in problems)


def test_an_edit_with_the_chain_recomputed_under_another_key_is_found(chain):
    tamper("UPDATE {table} SET action = %s WHERE sequence = %s", ["patients.patient.looked_at", 2])
    rechain(link=_hmac_with_a_made_up_key)
    assert {p.sequence for p in audit_verify()} == {1, 2, 3}


def test_the_same_rows_verify_only_under_the_key_that_wrote_them(chain, settings):
    assert audit_verify() == []
    settings.AUDIT_HMAC_KEY = "another-deployment-key-" + "y" * 20
    assert len(audit_verify()) == len(chain)
