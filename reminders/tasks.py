"""Celery's front door to the reminder services: ids in, services called, nothing else."""

from __future__ import annotations

from celery import shared_task

from .services import reminder_send
from .sweep import sweep


@shared_task(name="reminders.send", acks_late=True)
def send_reminder(reminder_id: int) -> str:
    """Send one outbox row. Delivered twice, or after a crash (acks_late), it is harmless: the
    service claims the row with a conditional UPDATE and only the winner sends."""
    return reminder_send(reminder_id=reminder_id)


@shared_task(name="reminders.sweep")
def sweep_reminders() -> dict[str, int]:
    """Create due rows, cancel stale ones, reap stuck ones, and hand due rows to workers."""
    result = sweep()
    return {"created": result.created, "cancelled": result.cancelled, "missed": result.missed,
            "published": result.published}
