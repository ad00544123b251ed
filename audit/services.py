"""Write the audit trail: ``audit_record`` for writes (in the writing transaction), ``audit_access``
for reads of PHI, ``audit_seal`` to chain the reads. Verifying lives in ``audit.verify``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .keyed import chain_hash, entry_mac, term_digest
from .models import SEAL_FIELDS, AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)


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


def _new_event(*, actor: Any, action: str, patient: Any, target: models.Model | None,
               changes: Mapping[str, Any]) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "system",
        action=action,
        patient_id=getattr(patient, "pk", patient),  # a row or its id
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        changes={k: _jsonable(v) for k, v in changes.items()},
    )
    event.entry_mac = entry_mac(event)
    return event


def audit_record(
    *,
    actor: Any,
    action: str,
    patient: Any = None,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record a WRITE: append one entry to the chain at once. Must run inside the transaction
    that made the change, so that the change and its record commit or roll back together.
    Reads use ``audit_access``, which takes no lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    event = _new_event(actor=actor, action=action, patient=patient, target=target, changes=changes or {})
    # Locking the head row serializes appends on PostgreSQL; on SQLite the IMMEDIATE
    # transaction mode already holds the database's single write lock.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    _chain(event, head)
    event.save(force_insert=True)
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


def audit_access(
    *,
    actor: Any,
    action: str,
    patient: Any = None,
    target: models.Model | None = None,
    patients: Iterable[Any] | None = None,
    search_term: str = "",
    shown: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record a READ of PHI (a chart opened, an export, a search, an admin page): who, what, when,
    and which patients: ``patient`` for one, ``patients`` (rows or ids) for a list or an export.
    ``search_term`` is kept only as its keyed digest (a name or a birth date is PHI); ``shown``
    adds what else identifies the read (a date range, a row count).

    The entry is appended unchained, with its own keyed MAC, and takes no shared lock, so two
    chart views never wait for each other; ``audit_seal`` (beat, every few seconds) chains it."""
    details = dict(shown or {})
    if patients is not None:
        ids = sorted({getattr(p, "pk", p) for p in patients})
        details.update(patients=ids, patient_count=len(ids))
    if search_term.strip():
        details["search_term_digest"] = term_digest(search_term)
    event = _new_event(actor=actor, action=action, patient=patient, target=target,
                       changes={name: [None, value] for name, value in details.items()})  # a read has no "before"
    event.save(force_insert=True)
    return event


def _chain(event: AuditEvent, head: AuditChainHead) -> None:
    """Give ``event`` the next place after ``head`` and its keyed link; advance ``head``."""
    event.sequence, event.previous_hash = head.last_sequence + 1, head.last_hash
    event.entry_hash = chain_hash(event, previous_hash=head.last_hash)
    head.last_sequence, head.last_hash = event.sequence, event.entry_hash


def _seal_fields_save(events: list[AuditEvent]) -> None:
    # One prepared UPDATE per row (executemany): bulk_update's CASE over a whole batch is
    # quadratic (measured on SQLite, 5000 rows: 114 rows/s with it, ~1,300 with this).
    table, columns = AuditEvent._meta.db_table, ", ".join(f"{name} = %s" for name in SEAL_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 - names are ours
                           [[getattr(event, name) for name in SEAL_FIELDS] + [event.pk] for event in events])


def audit_seal(*, batch_size: int | None = None) -> int:
    """Chain the entries ``audit_access`` appended, oldest first, a batch per transaction; returns
    how many were sealed. Safe to run twice at once: both take the head's lock, and the second
    then finds only what the first left. An entry whose own MAC no longer matches (altered before
    sealing) is still sealed, so the chain keeps the evidence; ``audit_verify`` reports it."""
    batch_size = batch_size or settings.AUDIT_SEAL_BATCH
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            batch = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("id")[:batch_size])
            for event in batch:
                if event.entry_mac != entry_mac(event):
                    logger.error("Audit entry id %s was altered before it was sealed.", event.pk)
                _chain(event, head)
            _seal_fields_save(batch)
            head.save(update_fields=["last_sequence", "last_hash"])
        sealed += len(batch)
        if len(batch) < batch_size:
            return sealed


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
