"""What a reminder says, rendered from templates/emails/ and templates/sms/.

Minimum necessary (RELIABILITY.md's messaging rules): the clinic's name, the date and time in
the clinic's zone, its phone number and a link. Never a product, diagnosis or dose: the context
handed to the templates holds none, so a template cannot leak one by accident.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from icalendar import Calendar, Event

from outcomes.links import questionnaire_url
from outcomes.services import questionnaire_invitation_for_appointment

from .links import LinkPurpose, link_codes_issue, link_url
from .models import Reminder, ReminderChannel, ReminderKind
from .sms_encoding import sms_fold, sms_size
from .transports import OutgoingEmail, OutgoingSms

# Codes of each of a reminder's link purposes (``links.link_codes_issue``).
LinkCodes = dict[LinkPurpose, str]

_DAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
}
TEMPLATE_NAMES = {
    ReminderKind.CYCLE_DUE: "cycle_due",
    ReminderKind.CYCLE_OVERDUE: "cycle_overdue",
    ReminderKind.APPOINTMENT: "appointment_reminder",
    ReminderKind.BOOKING_CONFIRMATION: "booking_confirmation",
    ReminderKind.OPT_OUT_CONFIRMATION: "opt_out_confirmation",
}


class ContentError(Exception):
    """The message cannot be built (e.g. too long for one SMS): a permanent failure."""


def _short_date(day: dt.date, language: str) -> str:
    language = language if language in _DAYS else "en"
    # Numeric and short ("Tue 6/16", "mar 16/6"): an SMS has 160 characters for everything.
    weekday = _DAYS[language][day.weekday()]
    return f"{weekday} {day.month}/{day.day}" if language == "en" else f"{weekday} {day.day}/{day.month}"


_LONG_DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
_MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]


def _long_date(day: dt.date, language: str) -> str:
    """"Tuesday 16 June 2026" / "martes 16 de junio de 2026", whatever the server's locale."""
    if language == "es":
        return f"{_LONG_DAYS_ES[day.weekday()]} {day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    return day.strftime("%A %d %B %Y")


def _long_when(instant: dt.datetime, language: str) -> str:
    local = timezone.localtime(instant)
    joiner = "a las" if language == "es" else "at"
    return f"{_long_date(local.date(), language)} {joiner} {local:%H:%M}"


def _short_time(instant: dt.datetime, language: str) -> str:
    local = timezone.localtime(instant)
    if language == "en":
        return local.strftime("%I:%M %p").lstrip("0")
    return local.strftime("%H:%M")


def _context(reminder: Reminder, links: LinkCodes) -> dict:
    patient = reminder.patient
    language = patient.preferred_language
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "first_name": patient.preferred_name or patient.first_name,
        **{f"{purpose}_url": link_url(purpose, code) for purpose, code in links.items()},
    }
    if reminder.appointment_start_at:
        start = reminder.appointment_start_at
        context.update(
            date=_short_date(timezone.localdate(start), language), time=_short_time(start, language),
            long_when=_long_when(start, language),
            moved=reminder.kind == ReminderKind.BOOKING_CONFIRMATION and Reminder.objects.filter(
                appointment_id=reminder.appointment_id, kind=reminder.kind,
            ).exclude(appointment_start_at=start).exists(),
        )
        if reminder.kind == ReminderKind.APPOINTMENT and reminder.channel == ReminderChannel.EMAIL:
            context["questionnaire_url"] = _questionnaire_url(reminder)
    if reminder.cycle_due_on:
        context.update(date=_short_date(reminder.cycle_due_on, language),
                       long_date=_long_date(reminder.cycle_due_on, language))
    return context


def _questionnaire_url(reminder: Reminder) -> str:
    """The link to the visit's questionnaire, or "" when it has none (no plan to ask about).

    The invitation is made here, where its link is first written into a message, inside the
    send's transaction (``services._prepare``): every link sent has its row, no row exists that
    no message carried, and retries or a second reminder reuse the one row. Email only: an SMS
    has no room for a second link within 160 characters (an SMS patient is offered it after
    confirming from the SMS's link: ``patient_actions.link_act``)."""
    invitation = questionnaire_invitation_for_appointment(appointment=reminder.appointment)
    return questionnaire_url(invitation.pk) if invitation is not None else ""


def _ics(reminder: Reminder) -> str:
    """A calendar entry for the appointment: when, where (the clinic) and its phone; no clinical detail."""
    appointment = reminder.appointment
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Reminders//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@clinic")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", reminder.appointment_start_at)
    event.add("dtend", reminder.appointment_start_at + (appointment.end_at - appointment.start_at))
    event.add("summary", f"Appointment at {settings.CLINIC_NAME}")
    event.add("description", f"Questions or changes: {settings.CLINIC_PHONE}")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _email_part(name: str, part: str, language: str, context: dict) -> str:
    """``emails/<lang>/<name>_<part>`` where a translation exists, else the English one."""
    return select_template([f"emails/{language}/{name}_{part}", f"emails/{name}_{part}"]).render(context)


def _links(reminder: Reminder, links: LinkCodes | None) -> LinkCodes:
    return links if links is not None else link_codes_issue([reminder])[reminder.pk]


def email_for(reminder: Reminder, links: LinkCodes | None = None) -> OutgoingEmail:
    """The email; ``links``: the reminder's link codes if the caller issued them for a batch."""
    name, language = TEMPLATE_NAMES[reminder.kind], reminder.patient.preferred_language
    context = _context(reminder, _links(reminder, links))
    subject = " ".join(_email_part(name, "subject.txt", language, context).split())
    attachments = []
    if reminder.appointment_id:
        attachments.append(("appointment.ics", _ics(reminder), "text/calendar"))
    return OutgoingEmail(
        to=reminder.patient.email, subject=subject,
        text=_email_part(name, "body.txt", language, context),
        html=_email_part(name, "body.html", language, context), attachments=attachments,
    )


def sms_render(name: str, language: str, context: dict) -> str:
    """``sms/<lang>/<name>.txt`` where a translation exists, else the English one, on one line and
    folded to GSM-7 (see reminders.sms_encoding); ``TemplateDoesNotExist`` if there is none."""
    template = select_template([f"sms/{language}/{name}.txt", f"sms/{name}.txt"])
    return sms_fold(" ".join(template.render(context).split()))


def sms_text(reminder: Reminder, links: LinkCodes | None = None) -> str:
    """The SMS in the patient's language; ``ContentError`` unless it fits one segment (which
    reminders.checks proves at start-up for every template, so this is the last line only)."""
    name, language = TEMPLATE_NAMES[reminder.kind], reminder.patient.preferred_language
    try:
        body = sms_render(name, language, _context(reminder, _links(reminder, links)))
    except TemplateDoesNotExist as error:
        raise ContentError(f"no SMS template for {name}") from error
    size = sms_size(body)
    if size.segments > 1:
        raise ContentError(f"SMS would be {size} (one segment is {size.one_segment_limit})")
    return body


def sms_for(reminder: Reminder, links: LinkCodes | None = None) -> OutgoingSms:
    return OutgoingSms(to=str(reminder.patient.phone), body=sms_text(reminder, links))


def message_for(reminder: Reminder, links: LinkCodes | None = None) -> OutgoingEmail | OutgoingSms:
    return sms_for(reminder, links) if reminder.channel == ReminderChannel.SMS else email_for(reminder, links)
