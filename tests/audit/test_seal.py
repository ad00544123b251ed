"""Reads are logged unchained (each with its own MAC) and sealed into the chain in batches by
beat's ``audit.seal``: idempotent, safe to run twice at once, and an entry altered before or
after sealing is found."""

from __future__ import annotations

import pytest
from django.db import transaction

from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_access, audit_record, audit_seal
from audit.tasks import seal_audit_trail
from audit.verify import audit_verify
from tests.celery.fixtures import wait_for
from tests.concurrency import run_at_once
from tests.factories import PatientFactory

from .tampering import tamper


def _reads(actor, count: int) -> list[AuditEvent]:
    patient = PatientFactory()
    return [audit_access(actor=actor, action="patients.patient.viewed", patient=patient, target=patient)
            for _ in range(count)]


@pytest.mark.django_db
def test_a_read_is_logged_at_once_and_chained_by_the_seal(front_desk_user):
    read = _reads(front_desk_user, 1)[0]
    assert (read.sequence, read.entry_hash) == (None, None) and read.entry_mac
    with transaction.atomic():
        audit_record(actor=front_desk_user, action="patients.patient.updated", patient=read.patient)
    assert audit_seal() == 1
    read.refresh_from_db()
    assert read.sequence == 2  # after the write that was chained at once
    assert AuditChainHead.objects.get(pk=1).last_hash == read.entry_hash
    assert audit_verify() == []


@pytest.mark.django_db
def test_sealing_again_seals_nothing_and_batches_cover_everything(front_desk_user):
    _reads(front_desk_user, 7)
    assert audit_seal(batch_size=3) == 7
    assert audit_seal(batch_size=3) == 0
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 8))
    assert audit_verify() == []


@pytest.mark.django_db
def test_an_entry_altered_before_sealing_is_found_and_still_sealed(front_desk_user):
    read = _reads(front_desk_user, 2)[0]
    tamper("UPDATE {table} SET actor_label = %s WHERE id = %s", ["someone-else", read.pk])
    assert [(p.sequence, p.entry_id, p.problem) for p in audit_verify()] == [
        (None, read.pk, "contents changed before sealing")]
    audit_seal()
    read.refresh_from_db()
    assert [(p.sequence, p.problem) for p in audit_verify()] == [(read.sequence, "contents changed after writing")]


@pytest.mark.django_db
def test_an_entry_altered_after_sealing_is_found(front_desk_user):
    read = _reads(front_desk_user, 2)[1]
    audit_seal()
    read.refresh_from_db()
    tamper("UPDATE {table} SET patient_id = NULL WHERE id = %s", [read.pk])
    assert [(p.sequence, p.problem) for p in audit_verify()] == [(read.sequence, "contents changed after writing")]


@pytest.mark.django_db(transaction=True)
def test_two_seals_at_once_chain_each_entry_once(front_desk_user):
    _reads(front_desk_user, 40)
    outcomes = run_at_once([lambda: audit_seal(batch_size=5), lambda: audit_seal(batch_size=5)])
    assert sum(outcomes) == 40  # however the two interleaved their batches
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 41))
    assert audit_verify() == []


@pytest.mark.celery
def test_a_worker_seals_what_the_task_is_sent(celery_worker, front_desk_user):
    _reads(front_desk_user, 3)
    seal_audit_trail.delay()
    wait_for(lambda: not AuditEvent.objects.filter(sequence__isnull=True).exists())
    assert audit_verify() == []
