"""Upgrading: entries written under the old unkeyed chain are verified, then re-sealed with the
key (migration audit.0002); an old chain already broken stops the upgrade instead of being
laundered into a valid keyed one."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from audit.keyed import GENESIS_HASH
from audit.models import AuditChainHead, AuditEvent
from audit.verify import audit_verify
from tests.factories import PatientFactory

from .tampering import tamper, triggers_bypassed

pytestmark = pytest.mark.django_db
migration = import_module("audit.migrations.0002_keyed_chain_and_access_log")


@pytest.fixture
def legacy_chain(front_desk_user) -> list[AuditEvent]:
    """Three entries as the old code wrote them: plain SHA-256 links, no MAC."""
    patient, previous, events = PatientFactory(), GENESIS_HASH, []
    for sequence, action in enumerate(["patients.patient.created", "patients.patient.viewed",
                                       "patients.patient.updated"], start=1):
        event = AuditEvent(sequence=sequence, occurred_at=timezone.now() - dt.timedelta(days=4 - sequence),
                           actor=front_desk_user, actor_label="frontdesk", action=action, patient=patient,
                           previous_hash=previous, entry_mac="")
        event.entry_hash = previous = migration._legacy_hash(event)
        event.save(force_insert=True)
        events.append(event)
    AuditChainHead.objects.create(pk=1, last_sequence=3, last_hash=previous)
    return events


def test_an_intact_old_chain_is_resealed_with_the_key(legacy_chain):
    assert len(audit_verify()) == 3  # the old hashes mean nothing under the key
    with triggers_bypassed():  # the migration runs before audit.0003 installs them
        migration.reseal_with_key(apps, None)
    assert audit_verify() == []
    assert AuditChainHead.objects.get(pk=1).last_hash == AuditEvent.objects.get(sequence=3).entry_hash


def test_a_broken_old_chain_stops_the_upgrade_and_is_left_as_it_was(legacy_chain):
    tamper("UPDATE {table} SET actor_label = %s WHERE sequence = %s", ["someone-else", 2])
    with pytest.raises(RuntimeError, match="fails its old .unkeyed. verification at #2"), triggers_bypassed():
        migration.reseal_with_key(apps, None)
    assert [e.entry_hash for e in AuditEvent.objects.order_by("sequence")] == [e.entry_hash for e in legacy_chain]
