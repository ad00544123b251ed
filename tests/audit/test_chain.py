"""The audit trail is a keyed hash chain: any edit or deletion of an entry is found and reported."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from audit.models import AuditEvent
from audit.services import audit_seal
from audit.verify import audit_verify
from patients.models import Channel, ConsentMethod
from patients.services import (
    consent_record,
    patient_create,
    patient_record_viewed,
    patient_set_archived,
    patient_update,
)
from tests.factories import adult_born

from .tampering import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def several_writes(front_desk_user) -> list[AuditEvent]:
    patient = patient_create(
        actor=front_desk_user, data={"first_name": "Rosa", "last_name": "Varga", "date_of_birth": adult_born(61)}
    )
    patient_update(actor=front_desk_user, patient=patient, data={"notes": "Allergic to latex."})
    consent_record(actor=front_desk_user, patient=patient, channel=Channel.EMAIL, method=ConsentMethod.VERBAL)
    patient_record_viewed(actor=front_desk_user, patient=patient)
    patient_set_archived(actor=front_desk_user, patient=patient, archived=True)
    audit_seal()  # the view (a read) is chained by the sealing step: after the writes before it
    return list(AuditEvent.objects.order_by("sequence"))


def test_the_chain_verifies_after_several_writes(several_writes):
    assert [e.sequence for e in several_writes] == [1, 2, 3, 4, 5]
    assert several_writes[-1].action == "patients.patient.viewed"
    assert [e.previous_hash for e in several_writes[1:]] == [e.entry_hash for e in several_writes[:-1]]
    assert audit_verify() == []


def test_an_edited_entry_is_reported_by_its_sequence(several_writes):
    edited = several_writes[1]
    tamper("UPDATE {table} SET changes = %s WHERE sequence = %s", ['{"notes": [null, "nothing to see"]}', 2])
    problems = audit_verify()
    assert [(p.sequence, p.problem) for p in problems] == [(edited.sequence, "contents changed after writing")]


def test_an_edited_actor_or_time_is_reported(several_writes):
    tamper("UPDATE {table} SET actor_label = %s WHERE sequence = %s", ["someone-else", 3])
    tamper("UPDATE {table} SET occurred_at = %s WHERE sequence = %s", ["2001-01-01 00:00:00", 4])
    assert {p.sequence for p in audit_verify()} == {3, 4}


def test_a_deleted_entry_is_detected(several_writes):
    tamper("DELETE FROM {table} WHERE sequence = %s", [3])
    problems = audit_verify()
    assert {p.sequence for p in problems} == {4}
    assert any("gap" in p.problem for p in problems)


def test_deleting_the_latest_entries_is_detected(several_writes):
    tamper("DELETE FROM {table} WHERE sequence >= %s", [4])
    assert [p.problem for p in audit_verify()] == ["entries missing from the end of the chain"]


def test_the_command_reports_an_intact_chain(several_writes, capsys):
    call_command("audit_verify")
    assert "Audit chain intact (5 entries)" in capsys.readouterr().out


def test_the_command_exits_non_zero_on_tampering(several_writes, capsys):
    tamper("UPDATE {table} SET action = %s WHERE sequence = %s", ["patients.patient.looked_at", 4])
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("audit_verify")
    # And from the command line, as cron or CI would run it:
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "audit_verify"])
    assert exit_info.value.code != 0
    assert "#4: contents changed after writing" in capsys.readouterr().err
