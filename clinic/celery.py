"""The Celery application. Tasks are autodiscovered from each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import celeryd_init
from django.core.exceptions import ImproperlyConfigured

from .checks import refuse_to_start_on_errors

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def _refuse_to_start_unsafe(**_kwargs) -> None:
    """The worker program (not an in-process test worker) refuses to start on any system check
    error, as runserver does: Celery's own Django fix-up runs the checks but ignores them. By
    this signal the fix-up has set Django up."""
    try:
        refuse_to_start_on_errors()
    except ImproperlyConfigured as error:
        # Celery logs a signal handler's exception and carries on; SystemExit it lets through.
        raise SystemExit(str(error)) from error


# The whole beat schedule lives here, each entry with why it runs at that period.
# Nothing is scheduled far ahead in the broker: the database says what is due and a frequent
# sweep turns due rows into work (docs/reliability.md, "Redis is not a database").
app.conf.beat_schedule = {
    # A liveness beacon: proves beat and a worker are connected; costs one row update a minute.
    "heartbeat": {"task": "clinic.heartbeat", "schedule": 60.0},
    # The reminder outbox (reminders/sweep.py): a minute is the delay between a row falling due
    # and its hand-off, and a failed publish or a transient gateway error waits at most that long
    # for its retry. A run that waited in a queue longer than a minute is redundant with the next,
    # so it expires; two at once are harmless (unique keys, conditional claims).
    "reminders-sweep": {"task": "reminders.sweep", "schedule": 60.0, "options": {"expires": 55}},
    # Audit: reads (chart views, exports, searches) are logged unchained so that no request waits
    # on the chain's lock; until sealed, each rests on its own MAC alone. Ten seconds keeps that
    # window short at the cost of one small transaction when nothing is new. Runs that overlap
    # are harmless (both lock the chain head; the second finds nothing left), a late one redundant.
    "audit-seal": {"task": "audit.seal", "schedule": 10.0, "options": {"expires": 9}},
    # Audit: the head written outside the table bounds what an insider could rewrite or truncate
    # unseen to the last five minutes, for one ~130-byte line (about 40 kB a day).
    "audit-anchor": {"task": "audit.anchor", "schedule": 300.0, "options": {"expires": 290}},
}
