"""The keyed hashes of the audit trail: each entry's own MAC, and the chain's link hash.

Both are HMAC-SHA256 with ``AUDIT_HMAC_KEY``, a secret that is not in the database: someone who
can edit the table cannot recompute either (a plain hash they could). See docs/audit.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .models import AuditEvent

GENESIS_HASH = "0" * 64


def audit_key() -> bytes:
    key = settings.AUDIT_HMAC_KEY
    if not key:
        # The system check stops start-up first; this guards any process that skipped checks.
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set: the audit trail cannot be written or verified.")
    return key.encode()


def keyed_digest(payload: Mapping[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hmac.new(audit_key(), text.encode(), hashlib.sha256).hexdigest()


def content_fields(event: AuditEvent) -> dict[str, Any]:
    """What an entry says: who, what, when, which patient, which object, which values."""
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "patient_id": event.patient_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
    }


def entry_mac(event: AuditEvent) -> str:
    """The entry's own MAC, written with the row: it protects an entry not yet in the chain."""
    return keyed_digest(content_fields(event))


def chain_hash(event: AuditEvent, *, previous_hash: str) -> str:
    """The link: covers the previous link, the entry's place and everything it says."""
    return keyed_digest({"previous": previous_hash, "sequence": event.sequence, **content_fields(event)})


def term_digest(term: str) -> str:
    """A search term is PHI (a name, a date of birth): the trail keeps its keyed digest, so an
    investigator holding the key can test "was X searched for?" but the table never says X."""
    return keyed_digest({"term": " ".join(term.lower().split())})
