"""Tampering with the audit table as someone with database superuser rights would: straight SQL,
no model code, and (on PostgreSQL) the append-only triggers bypassed first, as a superuser can."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from audit.keyed import GENESIS_HASH, chain_hash
from audit.models import AuditChainHead, AuditEvent

TABLE = AuditEvent._meta.db_table


@contextmanager
def triggers_bypassed() -> Iterator[None]:
    """On PostgreSQL, a superuser's way round every trigger of the session (what replication uses)."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            if postgresql:
                cursor.execute("RESET session_replication_role")


def tamper(sql: str, params: list) -> None:
    with triggers_bypassed(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=TABLE), params)


def rechain(*, link=chain_hash) -> None:
    """Recompute every link after an edit, with ``link`` (the real keyed one: an insider holding
    the key), and point the head at the new end, so that the chain alone verifies again."""
    previous = GENESIS_HASH
    for event in AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence"):
        entry_hash = link(event, previous_hash=previous)
        tamper("UPDATE {table} SET previous_hash = %s, entry_hash = %s WHERE id = %s", [previous, entry_hash, event.pk])
        previous = entry_hash
    AuditChainHead.objects.filter(pk=1).update(
        last_sequence=AuditEvent.objects.filter(sequence__isnull=False).count(), last_hash=previous)
