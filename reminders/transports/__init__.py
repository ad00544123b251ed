"""How messages leave: one error type for every transport, saying what the worker should do.

- ``permanent=False`` (transient): nothing was accepted (connection refused, a timeout before
  the request was sent, 429, 5xx): the row goes back to ``scheduled`` with a backoff.
- ``permanent=True``: retrying cannot help (a bad number, an unsubscribed recipient): ``failed``.
- ``ambiguous=True`` (always permanent): the request went out and we do not know whether it was
  accepted (a read timeout, a dropped connection). Sending again could be a duplicate, so the row
  is ``failed`` for review, never resent blindly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent or ambiguous
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (filename, content, mimetype)


@dataclass(frozen=True)
class OutgoingSms:
    to: str
    body: str


class SmsTransport(Protocol):
    def send(self, message: OutgoingSms) -> str:
        """Send ``message``; return the provider's message id, or raise ``TransportError``."""


def sms_transport() -> SmsTransport:
    """The configured SMS transport (``REMINDERS_SMS_TRANSPORT``: a dotted class path)."""
    return import_string(settings.REMINDERS_SMS_TRANSPORT)()
