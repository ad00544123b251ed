"""Questionnaire links: a signed token naming one ``QuestionnaireInvitation``, with a salt of its
own (a reminder's confirm or cancel token cannot open it, nor it them).

Unlike the reminder links, this one is reusable: a patient must be able to come back to partial
answers. It stops working when the appointment starts or the questionnaire is complete (checked
against the rows in ``outcomes.selectors.questionnaire_open``), and in any case
``REMINDERS_LINK_MAX_AGE_DAYS`` after it was sent, since it travels in a reminder.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "outcomes.questionnaire.link"


class QuestionnaireLinkInvalid(Exception):
    """Tampered or unknown (``gone`` False: 404), or expired, completed or no longer wanted
    (``gone`` True: 410). The message is for logs, not patients."""

    def __init__(self, reason: str, *, gone: bool = False) -> None:
        super().__init__(reason)
        self.gone = gone


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def questionnaire_token(invitation_id: int) -> str:
    return _signer().sign(signing.b62_encode(invitation_id))


def questionnaire_url(invitation_id: int) -> str:
    path = reverse("questionnaire:answer", kwargs={"token": questionnaire_token(invitation_id)})
    return settings.REMINDERS_PUBLIC_BASE_URL.rstrip("/") + path


def questionnaire_token_read(token: str) -> int:
    """The invitation id in a genuine, unexpired token; else ``QuestionnaireLinkInvalid``."""
    try:
        value = _signer().unsign(token, max_age=settings.REMINDERS_LINK_MAX_AGE_DAYS * 24 * 3600)
        return signing.b62_decode(value)
    except signing.SignatureExpired as error:
        raise QuestionnaireLinkInvalid(str(error), gone=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise QuestionnaireLinkInvalid(str(error)) from error
