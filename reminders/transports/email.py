"""Email through Django's email backend (SMTP in production, console in development)."""

from __future__ import annotations

import contextlib
import smtplib
import uuid

from django.core.mail import EmailMultiAlternatives, get_connection

from . import OutgoingEmail, TransportError


def _error_for_code(code: int, message: str) -> TransportError:
    # SMTP: 4xx is "try again later", 5xx is "this will never work".
    return TransportError(f"SMTP {code}: {message}", permanent=code >= 500)


def email_send(message: OutgoingEmail) -> str:
    """Send one email; returns our Message-ID (SMTP gives no provider id)."""
    message_id = f"<reminder-{uuid.uuid4().hex}@clinic>"
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.text, to=[message.to], headers={"Message-ID": message_id}
    )
    email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    connection = get_connection(fail_silently=False)
    try:
        # Connecting sends nothing: any failure here is safe to retry.
        connection.open()
    except smtplib.SMTPResponseException as error:
        raise _error_for_code(error.smtp_code, str(error.smtp_error)) from error
    except OSError as error:  # refused, unreachable, timed out while connecting, TLS failure
        raise TransportError(f"could not connect to the mail server: {error}", permanent=False) from error
    try:
        email.connection = connection
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise _error_for_code(min(codes) if codes else 550, "recipient refused") from error
    except smtplib.SMTPResponseException as error:
        raise _error_for_code(error.smtp_code, str(error.smtp_error)) from error
    except OSError as error:
        # The message may have been handed over before the connection dropped.
        raise TransportError(f"mail server connection lost while sending: {error}", permanent=True,
                             ambiguous=True) from error
    finally:
        with contextlib.suppress(Exception):  # closing after a failure must not hide the failure
            connection.close()
    return message_id
