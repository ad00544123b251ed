"""A transport that sends nothing, for benchmarks only: it measures our path, not a gateway's.
Select it with ``REMINDERS_SMS_TRANSPORT=reminders.transports.noop.NoopSms``; for email, Django's
own no-op is ``EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend``."""

from __future__ import annotations

import itertools

from . import OutgoingSms

_ids = itertools.count(1)


class NoopSms:
    def send(self, message: OutgoingSms) -> str:
        return f"noop-{next(_ids)}"
