"""What a reminder says, rendered from templates/emails/ and templates/sms/.

Minimum necessary (HIPAA's minimum-necessary standard, 45 CFR 164.502(b)): the clinic's name, the date and time in
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

from .links import LinkPurpose, link_url
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


def _context(reminder: Reminder, links: LinkCodes, questionnaire_url: str = "") -> dict:
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
            context["questionnaire_url"] = questionnaire_url
    if reminder.cycle_due_on:
        context.update(date=_short_date(reminder.cycle_due_on, language),
                       long_date=_long_date(reminder.cycle_due_on, language))
    return context


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


def email_for(reminder: Reminder, *, links: LinkCodes, questionnaire_url: str = "") -> OutgoingEmail:
    """The email; rendering writes nothing. ``links``: the reminder's link codes, issued by the
    sender (``links.link_codes_issue``); an appointment reminder also carries ``questionnaire_url``,
    whose invitation the sender has made (``sending._questionnaire_link``)."""
    name, language = TEMPLATE_NAMES[reminder.kind], reminder.patient.preferred_language
    context = _context(reminder, links, questionnaire_url)
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


def sms_text(reminder: Reminder, links: LinkCodes) -> str:
    """The SMS in the patient's language; ``ContentError`` unless it fits one segment (which
    reminders.checks proves at start-up for every template, so this is the last line only)."""
    name, language = TEMPLATE_NAMES[reminder.kind], reminder.patient.preferred_language
    try:
        body = sms_render(name, language, _context(reminder, links))
    except TemplateDoesNotExist as error:
        raise ContentError(f"no SMS template for {name}") from error
    size = sms_size(body)
    if size.segments > 1:
        raise ContentError(f"SMS would be {size} (one segment is {size.one_segment_limit})")
    return body


def sms_for(reminder: Reminder, *, links: LinkCodes) -> OutgoingSms:
    return OutgoingSms(to=str(reminder.patient.phone), body=sms_text(reminder, links))
