"""Check the audit trail: every entry's own MAC, every link of the chain, and the anchors written
outside the table (so that deleting the last entries, or rewriting the chain, is found too)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .anchors import Anchor
from .keyed import GENESIS_HASH, chain_hash, entry_mac
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None  # None for an entry not yet sealed into the chain
    problem: str
    entry_id: int | None = None


def _sealed_problems(events: Iterator[AuditEvent], anchored: dict[int, list[Anchor]]) -> Iterator[ChainProblem]:
    expected_previous, expected_sequence = GENESIS_HASH, 1
    for event in events:
        if event.sequence != expected_sequence:
            yield ChainProblem(event.sequence, f"gap: expected #{expected_sequence}", event.pk)
        if event.previous_hash != expected_previous:
            yield ChainProblem(event.sequence, "link to the previous entry is broken", event.pk)
        if (chain_hash(event, previous_hash=event.previous_hash) != event.entry_hash
                or entry_mac(event) != event.entry_mac):
            yield ChainProblem(event.sequence, "contents changed after writing", event.pk)
        for anchor in anchored.pop(event.sequence, []):
            if anchor.head != event.entry_hash:
                yield ChainProblem(event.sequence, f"differs from the anchor of {anchor.at}: chain rewritten",
                                   event.pk)
        expected_previous, expected_sequence = event.entry_hash, event.sequence + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_sequence != expected_sequence - 1:
        yield ChainProblem(head.last_sequence, "entries missing from the end of the chain")
    for sequence, anchors in sorted(anchored.items()):
        if sequence > 0:
            yield ChainProblem(sequence, f"missing, but anchored at {anchors[0].at}: chain truncated")


def audit_verify(*, anchors: Iterable[Anchor] = (), batch_size: int = 2000) -> list[ChainProblem]:
    """Walk the chain in order and list every entry whose MAC, hash, link or anchor does not hold,
    then check the entries not yet sealed against their own MAC."""
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.sequence, []).append(anchor)
    sealed = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence").iterator(chunk_size=batch_size)
    problems = list(_sealed_problems(sealed, anchored))
    unsealed = AuditEvent.objects.filter(sequence__isnull=True).order_by("id").iterator(chunk_size=batch_size)
    problems += [ChainProblem(None, "contents changed before sealing", event.pk)
                 for event in unsealed if entry_mac(event) != event.entry_mac]
    return problems
