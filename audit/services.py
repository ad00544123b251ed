"""Write and verify the audit trail. Call ``audit_record`` inside the writing transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _entry_hash(*, previous_hash: str, fields: Mapping[str, Any]) -> str:
    payload = json.dumps({"previous": previous_hash, **fields}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "patient_id": event.patient_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
    }


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """``{field: [before, after]}`` for the fields whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in sorted(set(before) | set(after))
        if _jsonable(before.get(name)) != _jsonable(after.get(name))
    }


def field_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A snapshot of ``fields`` to diff with ``changes_between``."""
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def audit_record(
    *,
    actor: Any,
    action: str,
    patient: Any = None,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the chain. Must run inside the transaction that made the change,
    so that the change and its record commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    # Locking the head row serializes appends on PostgreSQL; on SQLite the IMMEDIATE
    # transaction mode already holds the database's single write lock.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        occurred_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "system",
        action=action,
        patient=patient,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        previous_hash=head.last_hash,
    )
    event.entry_hash = _entry_hash(previous_hash=head.last_hash, fields=_hashed_fields(event))
    event.save(force_insert=True)
    head.last_sequence, head.last_hash = event.sequence, event.entry_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str


def audit_verify(*, batch_size: int = 2000) -> list[ChainProblem]:
    """Walk the chain in order and list every entry whose hash or link does not hold."""
    problems: list[ChainProblem] = []
    expected_previous, expected_sequence = GENESIS_HASH, 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            problems.append(ChainProblem(event.sequence, f"gap: expected #{expected_sequence}"))
        if event.previous_hash != expected_previous:
            problems.append(ChainProblem(event.sequence, "link to the previous entry is broken"))
        recomputed = _entry_hash(previous_hash=event.previous_hash, fields=_hashed_fields(event))
        if recomputed != event.entry_hash:
            problems.append(ChainProblem(event.sequence, "contents changed after writing"))
        expected_previous, expected_sequence = event.entry_hash, event.sequence + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_sequence != expected_sequence - 1:
        problems.append(ChainProblem(head.last_sequence, "entries missing from the end of the chain"))
    return problems


def _configuration_fields(instance: models.Model) -> list[str]:
    return [f.attname for f in instance._meta.concrete_fields if not f.primary_key]


@transaction.atomic
def configuration_save(*, actor: Any, instance: models.Model) -> models.Model:
    """Create or change a configuration row that a manager edits (reference data, locations,
    hours), audited as ``<app>.<model>.created`` / ``.updated`` with each changed field.
    Saving without a change writes no entry."""
    fields = _configuration_fields(instance)
    adding = instance._state.adding
    stored = None if adding else type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
    before = field_values(stored, fields) if stored is not None else {}
    instance.full_clean()
    instance.save()
    changes = changes_between(before, field_values(instance, fields))
    if stored is not None and not changes:
        return instance
    audit_record(
        actor=actor, action=f"{instance._meta.label_lower}.{'created' if stored is None else 'updated'}",
        target=instance, changes=changes,
    )
    return instance


@transaction.atomic
def configuration_delete(*, actor: Any, instance: models.Model) -> None:
    """Delete a configuration row (rows in use are PROTECTed); the entry keeps what it held."""
    before = field_values(instance, _configuration_fields(instance))
    audit_record(actor=actor, action=f"{instance._meta.label_lower}.deleted", target=instance,
                 changes=changes_between(before, {}))
    instance.delete()
