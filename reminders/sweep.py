"""The sweep: beat runs it every minute; it is safe to run twice at once or to skip a run.

1. Create the rows that have become due: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per
   creation queryset, so its cost in queries does not grow with the number of patients, and a
   second sweep racing this one inserts nothing (the unique keys say what already exists).
2. Cancel scheduled rows whose appointment was cancelled or moved, or whose cycle was booked,
   restarted or stopped; mark rows whose window has passed ``missed``; deal with stale ``sending``.
3. Hand due rows to workers by id, after those writes have committed. A failed publish leaves
   the row scheduled and due: the next sweep publishes it again, and the worker's conditional
   claim makes a duplicate message harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Reminder, ReminderState
from .selectors import (
    INSERT_COLUMNS,
    SelectStatement,
    creation_sources,
    reminders_due,
    reminders_missed,
    reminders_no_longer_wanted,
)

logger = logging.getLogger(__name__)

SEND_BATCH_TASK = "reminders.send_batch"  # tasks.send_reminders


@dataclass
class SweepResult:
    created: int = 0
    cancelled: int = 0
    missed: int = 0
    requeued: int = 0
    flagged: int = 0
    published: int = 0
    publish_failed: bool = False
    details: dict[str, int] = field(default_factory=dict)


def insert_from_select(source: QuerySet | SelectStatement) -> int:
    """``INSERT INTO reminder (…) SELECT … ON CONFLICT DO NOTHING``; returns the rows inserted.
    ``source`` yields the columns of ``INSERT_COLUMNS`` in order.

    The SELECT is wrapped with ``WHERE 1 = 1`` because SQLite cannot otherwise tell the upsert's
    ON CONFLICT from a join's ON (documented in SQLite's "upsert" page). Every unique key of a
    reminder is a partial index, which a bare ``ON CONFLICT DO NOTHING`` covers on both databases.
    """
    sql, params = (source.query if isinstance(source, QuerySet) else source).sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Reminder._meta.get_field(name.removesuffix("_id")).column) for name in INSERT_COLUMNS)
    # Only identifiers from the model's own metadata are formatted in; values stay parameters.
    table = quote(Reminder._meta.db_table)
    statement = f"INSERT INTO {table} ({columns}) SELECT * FROM ({sql}) AS source WHERE 1 = 1 ON CONFLICT DO NOTHING"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def reminders_create(now: dt.datetime) -> int:
    created = 0
    for source in creation_sources(now):
        with transaction.atomic():
            created += insert_from_select(source)
    return created


@transaction.atomic
def reminders_cancel_unwanted(now: dt.datetime) -> int:
    cancelled = 0
    for reason, rows in reminders_no_longer_wanted(now):
        # Re-filter on the state inside the UPDATE: a worker may have claimed one meanwhile.
        cancelled += Reminder.objects.filter(pk__in=rows.values("pk"), state=ReminderState.SCHEDULED).update(
            state=ReminderState.CANCELLED, skip_reason=reason, updated_at=now
        )
    return cancelled


@transaction.atomic
def reminders_mark_missed(now: dt.datetime) -> int:
    return Reminder.objects.filter(pk__in=reminders_missed(now).values("pk"), state=ReminderState.SCHEDULED).update(
        state=ReminderState.MISSED, skip_reason="its time passed before it could be sent", updated_at=now
    )


@transaction.atomic
def reminders_reap_stale_sending(now: dt.datetime) -> tuple[int, int]:
    """Rows in ``sending`` for longer than ``REMINDERS_STUCK_SENDING_MINUTES``: their worker died.

    A worker cannot legitimately take that long (Celery's hard time limit is shorter), so the
    row's fate depends only on whether the transport was called:
    - not called (``transport_called_at`` is empty): nothing left the building; it goes back to
      ``scheduled`` and is sent once, by the next sweep. (A worker claims a batch at once and
      records each row's call just before making it, committed: these are the rows of a batch
      its worker died before reaching.)
    - called: the gateway may have accepted it (SMS gateways are not idempotent and Twilio's
      Messages API takes no idempotency key), and we have no provider id to look it up by,
      because that arrives with the response we never recorded. Sending again risks a
      duplicate; not sending risks a lost reminder. Neither is ours to guess: it is marked
      ``failed`` for review, with the reason, and staff check the provider's log.
    """
    stale = Reminder.objects.filter(
        state=ReminderState.SENDING,
        claimed_at__lt=now - dt.timedelta(minutes=settings.REMINDERS_STUCK_SENDING_MINUTES),
    )
    requeued = stale.filter(transport_called_at__isnull=True).update(
        state=ReminderState.SCHEDULED, due_at=now, attempts=F("attempts") - 1, published_at=None, updated_at=now,
        last_error="worker stopped before calling the provider; sent again",
    )
    flagged = stale.filter(transport_called_at__isnull=False).update(
        state=ReminderState.FAILED, needs_review=True, updated_at=now,
        last_error="interrupted, check provider: the worker stopped after handing it to the provider",
    )
    return requeued, flagged


def _publish(reminder_ids: list[int], now: dt.datetime) -> bool:
    try:
        # By the registered name of ``tasks.send_reminders``, as ``.delay`` would send it: the
        # task module imports this one, so importing it here would make a cycle.
        current_app.send_task(SEND_BATCH_TASK, args=[reminder_ids])
    except Exception:  # noqa: BLE001 - any broker failure: the rows stay due for the next sweep
        Reminder.objects.filter(pk__in=reminder_ids, published_at=now).update(published_at=None)
        logger.warning("reminders: publishing %s reminders failed; the next sweep retries", len(reminder_ids),
                       exc_info=True)
        return False
    return True


def reminders_publish(reminder_ids: list[int], now: dt.datetime) -> tuple[int, bool]:
    """Hand ``reminder_ids`` (already marked ``published_at=now``) to the broker, a task per
    ``REMINDERS_SEND_BATCH`` ids: a task costs a worker as much as a few sends, so one per row
    spent most of dispatch on Celery. Stops at the first failed publish (the broker is down: do
    not spend the minute timing out batch after batch) and unmarks the rest.

    Inside a transaction (a caller's ``atomic``) the publishes wait for its commit, as every
    task of ours does: a worker must never be told about a row it cannot see yet."""
    size = settings.REMINDERS_SEND_BATCH
    batches = [reminder_ids[start:start + size] for start in range(0, len(reminder_ids), size)]
    if connection.in_atomic_block:
        for batch in batches:
            transaction.on_commit(lambda batch=batch: _publish(batch, now))
        return len(reminder_ids), False
    published = 0
    for number, batch in enumerate(batches):
        if not _publish(batch, now):
            rest = [pk for later in batches[number + 1:] for pk in later]
            Reminder.objects.filter(pk__in=rest, published_at=now).update(published_at=None)
            return published, True
        published += len(batch)
    return published, False


def reminders_publish_due(now: dt.datetime) -> tuple[int, bool]:
    """Hand due rows to the broker, oldest first, ``REMINDERS_DISPATCH_BATCH`` per sweep."""
    republish_before = now - dt.timedelta(seconds=settings.REMINDERS_REPUBLISH_AFTER_SECONDS)
    ids = list(reminders_due(now, republish_before=republish_before).values_list("pk", flat=True)
               [: settings.REMINDERS_DISPATCH_BATCH])
    if not ids:
        return 0, False
    Reminder.objects.filter(pk__in=ids).update(published_at=now)
    return reminders_publish(ids, now)


def sweep(now: dt.datetime | None = None) -> SweepResult:
    """One pass of the outbox (see the module docstring). Returns what it did, for logs and tests."""
    now = now or timezone.now()
    result = SweepResult()
    result.created = reminders_create(now)
    result.cancelled = reminders_cancel_unwanted(now)
    result.missed = reminders_mark_missed(now)
    result.requeued, result.flagged = reminders_reap_stale_sending(now)
    result.published, result.publish_failed = reminders_publish_due(now)
    return result
