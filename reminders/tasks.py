"""Celery's front door to the reminder services: ids in, services called, nothing else."""

from __future__ import annotations

from collections import Counter

from celery import shared_task

from .sending import reminders_send
from .sweep import SEND_BATCH_TASK, sweep


@shared_task(name=SEND_BATCH_TASK, acks_late=True)
def send_reminders(reminder_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows (the sweep publishes ``REMINDERS_SEND_BATCH`` ids a task).
    Delivered twice, or after a crash (acks_late), it is harmless: the service claims the rows
    with a conditional UPDATE and only the claimant of a row sends it. Returns a count per state."""
    return dict(Counter(reminders_send(reminder_ids=reminder_ids).values()))


@shared_task(name="reminders.sweep")
def sweep_reminders() -> dict[str, int]:
    """Create due rows, cancel stale ones, reap stuck ones, and hand due rows to workers."""
    result = sweep()
    return {"created": result.created, "cancelled": result.cancelled, "missed": result.missed,
            "published": result.published}
