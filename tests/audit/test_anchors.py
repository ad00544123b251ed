"""Anchors written outside the table catch what the chain alone cannot: its last entries deleted
(and the head row moved back), or an entry edited with the whole chain recomputed by someone
holding the key. Beat writes them (``audit.anchor``); ``audit_verify --anchors FILE`` checks."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from audit.anchors import anchors_read, audit_anchor_write
from audit.keyed import entry_mac
from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_record
from audit.tasks import anchor_audit_trail
from audit.verify import audit_verify
from tests.factories import PatientFactory

from .tampering import rechain, tamper

pytestmark = pytest.mark.django_db


def _append(actor, count: int) -> None:
    patient = PatientFactory()
    with transaction.atomic():
        for _ in range(count):
            audit_record(actor=actor, action="patients.patient.updated", patient=patient)


@pytest.fixture
def anchor_file(tmp_path, settings, front_desk_user):
    """Five entries, anchored; then three more, anchored again (as beat would, minutes apart)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    _append(front_desk_user, 5)
    anchor_audit_trail()
    _append(front_desk_user, 3)
    anchor_audit_trail()
    return settings.AUDIT_ANCHOR_FILE


def test_beat_appends_the_head_to_the_file_and_the_log(anchor_file, caplog):
    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert [line["sequence"] for line in lines] == [5, 8]
    head = AuditChainHead.objects.get(pk=1)
    assert lines[-1]["head"] == head.last_hash
    with caplog.at_level(logging.INFO, logger="audit.anchors"):
        anchor = audit_anchor_write()
    assert f'"head": "{head.last_hash}"' in caplog.text and '"sequence": 8' in caplog.text
    assert len(anchor_file.read_text().splitlines()) == 3 and anchor.sequence == 8


def test_an_intact_chain_holds_every_anchor(anchor_file, capsys):
    assert audit_verify(anchors=anchors_read(anchor_file)) == []
    call_command("audit_verify", "--anchors", str(anchor_file))
    assert "Audit chain intact (8 entries, 2 anchor(s) hold)" in capsys.readouterr().out


def test_deleting_the_last_entries_and_moving_the_head_back_is_found_by_the_anchors(anchor_file, capsys):
    tamper("DELETE FROM {table} WHERE sequence > %s", [5])
    rechain()  # the head row now says #5, as if the last three had never been
    assert audit_verify() == []  # the table alone cannot tell
    problems = audit_verify(anchors=anchors_read(anchor_file))
    assert [(p.sequence, p.problem.split(",")[0].split(":")[0]) for p in problems] == [(8, "missing")]
    assert "chain truncated" in problems[0].problem
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("audit_verify", "--anchors", str(anchor_file))
    assert "#8: missing, but anchored at" in capsys.readouterr().err


def test_an_edit_with_the_chain_recomputed_with_the_key_is_found_by_the_anchors(anchor_file):
    tamper("UPDATE {table} SET action = %s WHERE sequence = %s", ["patients.patient.looked_at", 2])
    edited = AuditEvent.objects.get(sequence=2)
    tamper("UPDATE {table} SET entry_mac = %s WHERE sequence = %s", [entry_mac(edited), 2])
    rechain()  # an insider holding the key re-seals the entry and re-links every one after it
    assert audit_verify() == []  # the table alone cannot tell
    problems = audit_verify(anchors=anchors_read(anchor_file))
    rewritten = [p.sequence for p in problems if "chain rewritten" in p.problem]
    assert rewritten == [5, 8]


def test_an_unreadable_anchor_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(CommandError, match="Cannot read the anchor file"):
        call_command("audit_verify", "--anchors", str(missing))
