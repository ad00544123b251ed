"""Patient links: signed, expiring, single-purpose, single-use tokens (no login).

A token is ``<reminder id>:<timestamp>:<signature>``, signed with a salt per purpose, so a
"confirm" token cannot cancel. The signature is HMAC-SHA256 cut to 16 base64 characters
(96 bits, as HMAC truncation standards allow) so that a link fits in a 160-character SMS.
A used token's digest is stored, so it works once.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import UsedLink


class LinkPurpose(StrEnum):
    CONFIRM = "confirm"
    CANCEL = "cancel"
    OPT_OUT = "opt_out"


class LinkInvalid(Exception):
    """Tampered, expired, reused or for another purpose. Its message is for logs, not patients."""


class _ShortSigner(signing.TimestampSigner):
    def signature(self, value, key=None):
        return super().signature(value, key)[:16]


def _signer(purpose: LinkPurpose) -> _ShortSigner:
    return _ShortSigner(salt=f"reminders.link.{purpose}")


def link_token(purpose: LinkPurpose, reminder_id: int) -> str:
    return _signer(purpose).sign(signing.b62_encode(reminder_id))


def link_url(purpose: LinkPurpose, reminder_id: int) -> str:
    path = reverse(f"reminders:{purpose}", kwargs={"token": link_token(purpose, reminder_id)})
    return settings.REMINDERS_PUBLIC_BASE_URL.rstrip("/") + path


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_read(purpose: LinkPurpose, token: str) -> int:
    """The reminder id in a valid, unexpired, unused ``purpose`` token; else ``LinkInvalid``."""
    try:
        value = _signer(purpose).unsign(token, max_age=settings.REMINDERS_LINK_MAX_AGE_DAYS * 24 * 3600)
        reminder_id = signing.b62_decode(value)
    except (signing.BadSignature, ValueError) as error:  # SignatureExpired is a BadSignature
        raise LinkInvalid(str(error)) from error
    if UsedLink.objects.filter(digest=_digest(token)).exists():
        raise LinkInvalid("used")
    return reminder_id


def link_use(purpose: LinkPurpose, token: str) -> None:
    """Spend ``token`` inside the caller's transaction; a second use raises ``LinkInvalid``
    (the unique digest settles two clicks at once)."""
    try:
        with transaction.atomic():
            UsedLink.objects.create(digest=_digest(token), purpose=purpose, used_at=timezone.now())
    except IntegrityError as error:
        raise LinkInvalid("used") from error
