"""Anchors: the chain's head, written outside the table on a schedule (beat, ``audit.anchor``).

Someone who can edit the table (and even knew the key) could delete the last entries or rewrite
the chain so that it verifies; they cannot take back an anchor already appended to a file and a
log line elsewhere. ``audit_verify --anchors FILE`` checks that every anchor is still in the chain.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .keyed import GENESIS_HASH
from .models import AuditEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """The chain's head as beat saw it: entry ``sequence`` had hash ``head`` at ``at``."""

    sequence: int
    head: str
    at: str

    def as_json(self) -> str:
        return json.dumps({"at": self.at, "sequence": self.sequence, "head": self.head}, sort_keys=True)


def anchors_read(path: Path | str) -> list[Anchor]:
    """The anchors in an anchor file (one JSON object a line, as ``audit_anchor_write`` appends)."""
    anchors = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            data = json.loads(line)
            anchors.append(Anchor(sequence=int(data["sequence"]), head=str(data["head"]), at=str(data["at"])))
    return anchors


def audit_anchor_write(*, path: Path | str | None = None) -> Anchor:
    """Append the chain's current head to the anchor file (flushed to disk) and to the log."""
    last = AuditEvent.objects.filter(sequence__isnull=False).order_by("-sequence").first()
    anchor = Anchor(sequence=last.sequence if last else 0, head=last.entry_hash if last else GENESIS_HASH,
                    at=timezone.now().isoformat())
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as anchor_file:  # append only: earlier anchors are never rewritten
        anchor_file.write(anchor.as_json() + "\n")
        anchor_file.flush()
        os.fsync(anchor_file.fileno())
    logger.info("audit anchor %s", anchor.as_json())
    return anchor
