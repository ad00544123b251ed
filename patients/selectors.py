"""Reads of the patient registry."""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Reverse
from django.db.models.lookups import StartsWith

from .models import Channel, ContactConsent, Patient

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
_MRN = re.compile(r"^\d{8}$")


def _as_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _as_e164(text: str) -> str | None:
    digits = re.sub(r"[^\d+]", "", text)
    if len(digits.lstrip("+")) < 7:
        return None
    try:
        number = phonenumbers.parse(digits, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _name_filter(text: str) -> Q:
    query = Q()
    for word in text.split():
        query &= (
            Q(last_name__istartswith=word) | Q(first_name__istartswith=word) | Q(preferred_name__istartswith=word)
        )
    return query


def _phone_ends_with(digits: str) -> Q:
    """The phone ends with ``digits``, asked as a prefix of the reversed number: PostgreSQL
    answers that from the ``patient_phone_reversed`` index (a plain ``LIKE '%1234'`` scans)."""
    return Q(StartsWith(Reverse("phone"), digits[::-1]))


def patient_search(*, query: str = "", include_archived: bool = False) -> QuerySet[Patient]:
    """Patients matching ``query``: a date of birth, an MRN, a phone number, or name words.

    The kind of query is read from its shape, so the front desk types into one box.
    Each name word must start the first, last or preferred name (case-insensitive).
    """
    patients = Patient.objects.all() if include_archived else Patient.objects.active()
    text = query.strip()
    if not text:
        return patients
    if (born := _as_date(text)) is not None:
        return patients.filter(date_of_birth=born)
    if _MRN.match(text):
        # An 8-digit string may also be the tail of a phone number.
        return patients.filter(Q(mrn=text) | _phone_ends_with(text))
    if (e164 := _as_e164(text)) is not None:
        return patients.filter(phone=e164)
    if re.fullmatch(r"[\d\s().+-]+", text):
        digits = re.sub(r"\D", "", text)
        return patients.filter(_phone_ends_with(digits)) if len(digits) >= 4 else patients.none()
    return patients.filter(_name_filter(text))


def patient_find_duplicates(
    *, first_name: str, last_name: str, date_of_birth: dt.date | None, phone: str | None,
    exclude_pk: int | None = None,
) -> QuerySet[Patient]:
    """Registered patients who look like the same person: same name and birth date, or same phone."""
    query = Q(pk__in=[])
    if first_name and last_name and date_of_birth:
        query |= Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(),
                   date_of_birth=date_of_birth)
    if phone:
        query |= Q(phone=str(phone))
    duplicates = Patient.objects.filter(query)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    return duplicates.order_by("last_name", "first_name")[:10]


def consent_current(*, patient: Patient, channel: Channel) -> ContactConsent | None:
    return ContactConsent.objects.filter(patient=patient, channel=channel, withdrawn_at__isnull=True).first()
