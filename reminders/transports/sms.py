"""SMS transports: Twilio for production, a file for development."""

from __future__ import annotations

import json
import uuid

import requests
from django.conf import settings
from django.utils import timezone
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from . import OutgoingSms, TransportError


def _never_reached_the_server(error: requests.RequestException) -> bool:
    """True when the request cannot have been sent: a refused connection or a connect timeout.
    Any other connection error (reset, closed mid-response) may come after the server read it."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


class TwilioSms:
    """Twilio's Messages API. ``TWILIO_API_BASE_URL`` points it elsewhere (a test server).

    requests does not retry a POST by itself (the adapter's default is no retries), and that
    matters: a library retry after a read timeout would be exactly the blind resend we refuse.
    """

    def __init__(self) -> None:
        # One timeout for connecting and for the answer (the client takes no (connect, read) pair);
        # which of the two expired is told apart below by the exception's type.
        http_client = TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT, pool_connections=False)
        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)
        # Every Messages call is built on this domain's base URL (twilio.base.domain.Domain).
        self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, message: OutgoingSms) -> str:
        try:
            sent = self.client.messages.create(to=message.to, from_=settings.TWILIO_FROM_NUMBER, body=message.body)
        except TwilioRestException as error:
            transient = error.status == 429 or error.status >= 500
            raise TransportError(f"Twilio {error.status} (code {error.code}): {error.msg}",
                                 permanent=not transient) from error
        except requests.RequestException as error:
            if _never_reached_the_server(error):
                raise TransportError(f"could not reach Twilio: {error}", permanent=False) from error
            raise TransportError(
                f"no answer from Twilio after sending ({type(error).__name__}): it may have accepted the message",
                permanent=True, ambiguous=True,
            ) from error
        return sent.sid


class FileSms:
    """Development: append each message as a JSON line to ``REMINDERS_SMS_FILE``."""

    def send(self, message: OutgoingSms) -> str:
        message_id = f"file-{uuid.uuid4().hex}"
        path = settings.REMINDERS_SMS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"id": message_id, "to": message.to, "body": message.body, "at": timezone.now().isoformat()}
        with path.open("a", encoding="utf-8") as outbox:
            outbox.write(json.dumps(record) + "\n")
        return message_id
