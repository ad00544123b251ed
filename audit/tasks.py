"""Celery's front door to the audit trail's scheduled work (see the beat schedule)."""

from __future__ import annotations

from celery import shared_task

from .anchors import audit_anchor_write
from .services import audit_seal


@shared_task(name="audit.seal")
def seal_audit_trail() -> int:
    """Chain the reads logged since the last run; returns how many. Two runs at once are harmless."""
    return audit_seal()


@shared_task(name="audit.anchor")
def anchor_audit_trail() -> int:
    """Append the chain's head to the anchor file and the log; returns the anchored sequence."""
    return audit_anchor_write().sequence
