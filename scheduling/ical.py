"""A clinician's schedule as an iCalendar feed, behind a signed URL a calendar app can subscribe to.

Calendar apps cannot sign in, so the URL itself is the credential: a value signed with
``django.core.signing`` under a salt used for nothing else. It names the clinician and carries a
fingerprint of their password hash and of their feed key, so changing the password, resetting
the feed address (a new key) or deactivating the account revokes every copy of the old URL at
once; and it expires ``ICAL_FEED_MAX_AGE_DAYS`` after it was signed. The feed holds times, rooms
and patient initials only: no names, no diagnosis, no product (a calendar is synced to phones and
third-party servers).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event

from audit.services import audit_record

from .models import Appointment, AppointmentStatus, CalendarFeedKey

SALT = "scheduling.ical-feed"
PAST_DAYS, FUTURE_DAYS = 30, 180
SHOWN_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN,
                  AppointmentStatus.COMPLETED)


def _fingerprint(user) -> str:
    key = CalendarFeedKey.objects.filter(clinician=user).values_list("key", flat=True).first() or ""
    return salted_hmac(SALT, f"{user.pk}:{user.password}:{key}").hexdigest()[:16]


def feed_max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.ICAL_FEED_MAX_AGE_DAYS)


def feed_token(user) -> str:
    """A new address for the user's feed, good for ``feed_max_age()`` from now."""
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT)


def calendar_feed_reset(*, actor, clinician) -> CalendarFeedKey:
    """A new feed key for ``clinician``: every address signed before stops working at once. Audited."""
    with transaction.atomic():
        feed_key, _ = CalendarFeedKey.objects.update_or_create(
            clinician=clinician, defaults={"key": secrets.token_hex(32), "reset_at": timezone.now()})
        audit_record(actor=actor, action="scheduling.calendar_feed.reset", target=feed_key,
                     changes={"clinician": clinician})
    return feed_key


def clinician_for_token(token: str):
    """The active user the token was signed for, or ``None`` if it is tampered with, expired or revoked."""
    try:
        value = signing.loads(token, salt=SALT, max_age=feed_max_age())
        user = get_user_model().objects.filter(pk=int(value["u"]), is_active=True).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or not constant_time_compare(str(value.get("f", "")), _fingerprint(user)):
        return None
    return user


def initials(patient) -> str:
    return "".join(f"{part[:1].upper()}." for part in (patient.first_name, patient.last_name) if part)


def clinician_calendar(clinician, *, now: dt.datetime | None = None) -> bytes:
    """The clinician's appointments from a month ago to six months ahead. One query."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic//Schedule feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Clinic schedule: {clinician}")
    appointments = (
        Appointment.objects.filter(clinician=clinician, status__in=SHOWN_STATUSES,
                                   start_at__gte=now - dt.timedelta(days=PAST_DAYS),
                                   start_at__lt=now + dt.timedelta(days=FUTURE_DAYS))
        .select_related("patient", "room__location").only(
            "pk", "start_at", "end_at", "updated_at", "status", "patient__first_name", "patient__last_name",
            "room__name", "room__location__name",
        )
    )
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@clinic")
        event.add("dtstamp", appointment.updated_at)
        event.add("dtstart", appointment.start_at)
        event.add("dtend", appointment.end_at)
        event.add("summary", f"Patient {initials(appointment.patient)}")
        event.add("location", f"{appointment.room.location}, {appointment.room}")
        calendar.add_component(event)
    return calendar.to_ical()
