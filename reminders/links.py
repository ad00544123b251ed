"""Patient links (no login): a random code per reminder and purpose, expiring, spent by its use.

A link is ``<REMINDERS_PUBLIC_BASE_URL>/p/<c|x|o>/<code>/`` with a code of ``CODE_LENGTH``
characters from RFC 4648's base32 alphabet (lower case): 13 x 5 = 65 random bits, well past the
64 that guessing would need to beat, and of one length whatever the reminder's id, so every SMS
has a constant budget (reminders.checks proves it fits). The code is stored on a ``LinkCode``
row: for one reminder and one purpose ("confirm" cannot cancel), expiring after
``REMINDERS_LINK_MAX_AGE_DAYS``, spent by its first use.

Links sent before codes existed are signed tokens (``<b62 id>:<timestamp>:<signature>``, always
with a colon, which no code has). They are still honoured until they expire by themselves
(``REMINDERS_LINK_MAX_AGE_DAYS`` after they were sent), so messages already in patients' phones
keep working; after that the ``_signed_*`` functions and ``UsedLink`` can go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import LinkCode, Reminder, ReminderKind, UsedLink

CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32: URL-safe, and GSM-7 (one septet each)
CODE_LENGTH = 13


class LinkPurpose(StrEnum):
    CONFIRM = "confirm"
    CANCEL = "cancel"
    OPT_OUT = "opt_out"


# The links each kind of reminder may carry (its email carries them all; its SMS, one).
PURPOSES_BY_KIND: dict[str, tuple[LinkPurpose, ...]] = {
    ReminderKind.APPOINTMENT: (LinkPurpose.CONFIRM, LinkPurpose.CANCEL, LinkPurpose.OPT_OUT),
    ReminderKind.BOOKING_CONFIRMATION: (LinkPurpose.CONFIRM, LinkPurpose.CANCEL, LinkPurpose.OPT_OUT),
    ReminderKind.CYCLE_DUE: (LinkPurpose.OPT_OUT,),
    ReminderKind.CYCLE_OVERDUE: (LinkPurpose.OPT_OUT,),
    ReminderKind.OPT_OUT_CONFIRMATION: (),
}


class LinkInvalid(Exception):
    """Unknown, tampered or for another purpose (``gone`` False: 404), or expired, used or about
    an appointment no longer at that time (``gone`` True: 410). The message is for logs only."""

    def __init__(self, reason: str, *, gone: bool = False) -> None:
        super().__init__(reason)
        self.gone = gone


class LinkUsed(LinkInvalid):
    """The link did its job already (a confirm link's page says the visit is confirmed)."""

    def __init__(self) -> None:
        super().__init__("used", gone=True)


@dataclass(frozen=True)
class LinkGrant:
    """What a genuine, unexpired link names; ``used`` if it was spent already."""

    reminder_id: int
    used: bool


def link_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def link_url(purpose: LinkPurpose, code: str) -> str:
    path = reverse(f"reminders:{purpose}", kwargs={"token": code})
    return settings.REMINDERS_PUBLIC_BASE_URL.rstrip("/") + path


def link_codes_issue(reminders: Iterable[Reminder]) -> dict[int, dict[LinkPurpose, str]]:
    """Each reminder's link codes, one per purpose its kind carries, made where missing: two
    queries for any number of reminders. A retried send reuses its codes, so a message sent
    twice carries the same links. Call inside the send's transaction, with the rows locked: the
    codes are committed with the claim, or not at all. (A clash of two random 65-bit codes
    fails the unique index and rolls the batch back; the next attempt draws new ones.)"""
    reminders = list(reminders)
    codes: dict[int, dict[LinkPurpose, str]] = {reminder.pk: {} for reminder in reminders}
    for reminder_id, purpose, code in LinkCode.objects.filter(reminder__in=reminders).values_list(
            "reminder_id", "purpose", "code"):
        codes[reminder_id][LinkPurpose(purpose)] = code
    now = timezone.now()
    expires_at = now + dt.timedelta(days=settings.REMINDERS_LINK_MAX_AGE_DAYS)
    missing = [LinkCode(reminder=reminder, purpose=purpose, code=link_code_new(), created_at=now,
                        expires_at=expires_at)
               for reminder in reminders for purpose in PURPOSES_BY_KIND[reminder.kind]
               if purpose not in codes[reminder.pk]]
    LinkCode.objects.bulk_create(missing)
    for row in missing:
        codes[row.reminder.pk][LinkPurpose(row.purpose)] = row.code
    return codes


def link_read(purpose: LinkPurpose, token: str) -> LinkGrant:
    """What a genuine, unexpired ``purpose`` link names, used or not; else ``LinkInvalid``."""
    if ":" in token:
        return _signed_read(purpose, token)
    row = LinkCode.objects.filter(code=token, purpose=purpose).values_list("reminder_id", "expires_at", "used_at")
    found = row.first()
    if found is None:
        raise LinkInvalid("no such code")
    reminder_id, expires_at, used_at = found
    if expires_at <= timezone.now():
        raise LinkInvalid("expired", gone=True)
    return LinkGrant(reminder_id=reminder_id, used=used_at is not None)


def link_use(purpose: LinkPurpose, token: str) -> None:
    """Spend ``token`` inside the caller's transaction; a second use raises ``LinkUsed``. A
    conditional UPDATE settles two clicks at once: the second waits for the first's commit,
    then finds the code spent."""
    if ":" in token:
        return _signed_use(purpose, token)
    if not LinkCode.objects.filter(code=token, purpose=purpose, used_at__isnull=True).update(used_at=timezone.now()):
        raise LinkUsed
    return None


# --- Signed tokens, the format before codes: read and spent, never issued ------------------------

class _ShortSigner(signing.TimestampSigner):
    def signature(self, value, key=None):
        return super().signature(value, key)[:16]


def _signer(purpose: LinkPurpose) -> _ShortSigner:
    return _ShortSigner(salt=f"reminders.link.{purpose}")


def signed_link_token(purpose: LinkPurpose, reminder_id: int) -> str:
    """A token in the old format, as links sent before codes carry: for tests of their reading."""
    return _signer(purpose).sign(signing.b62_encode(reminder_id))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _signed_read(purpose: LinkPurpose, token: str) -> LinkGrant:
    try:
        value = _signer(purpose).unsign(token, max_age=settings.REMINDERS_LINK_MAX_AGE_DAYS * 24 * 3600)
        reminder_id = signing.b62_decode(value)
    except signing.SignatureExpired as error:
        raise LinkInvalid(str(error), gone=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkInvalid(str(error)) from error
    return LinkGrant(reminder_id=reminder_id, used=UsedLink.objects.filter(digest=_digest(token)).exists())


def _signed_use(purpose: LinkPurpose, token: str) -> None:
    try:
        with transaction.atomic():
            UsedLink.objects.create(digest=_digest(token), purpose=purpose, used_at=timezone.now())
    except IntegrityError as error:
        raise LinkUsed from error
