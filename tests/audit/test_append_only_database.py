"""On PostgreSQL the database itself keeps the trail append-only: no DELETE, no UPDATE of a sealed
entry, no UPDATE of what an entry says; only the seal fields of an unsealed entry may be set."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from audit.models import AuditEvent
from audit.services import audit_access, audit_record, audit_seal
from audit.verify import audit_verify
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
REFUSED = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers are PostgreSQL's (django-pgtrigger); on SQLite the chain and "
                    "anchors alone find changes")


@pytest.fixture
def sealed_and_unsealed(front_desk_user) -> tuple[AuditEvent, AuditEvent]:
    patient = PatientFactory()
    with transaction.atomic():
        sealed = audit_record(actor=front_desk_user, action="patients.patient.updated", patient=patient)
    unsealed = audit_access(actor=front_desk_user, action="patients.patient.viewed", patient=patient)
    return sealed, unsealed


def _refused(sql: str, params: list) -> None:
    with (pytest.raises(REFUSED, match="Cannot (update|delete) rows"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(sql.format(table=AuditEvent._meta.db_table), params)


def test_no_entry_can_be_deleted(sealed_and_unsealed):
    for event in sealed_and_unsealed:
        _refused("DELETE FROM {table} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.count() == 2


def test_a_sealed_entry_cannot_be_changed_at_all(sealed_and_unsealed):
    sealed, _ = sealed_and_unsealed
    _refused("UPDATE {table} SET action = %s WHERE id = %s", ["x.y.z", sealed.pk])
    _refused("UPDATE {table} SET entry_hash = %s WHERE id = %s", ["0" * 64, sealed.pk])


def test_an_unsealed_entry_cannot_be_changed_but_can_be_sealed(sealed_and_unsealed):
    _, unsealed = sealed_and_unsealed
    _refused("UPDATE {table} SET actor_label = %s WHERE id = %s", ["someone-else", unsealed.pk])
    assert audit_seal() == 1
    assert audit_verify() == []
