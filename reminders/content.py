"""What a reminder says, rendered from templates/emails/ and templates/sms/.

Minimum necessary (HIPAA's minimum-necessary standard, 45 CFR 164.502(b)): the clinic's name, the date and time in
the clinic's zone, its phone number and a link. Never a product, diagnosis or dose: the context
handed to the templates holds none, so a template cannot leak one by accident.
"""

from __future__ import annotations

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone, translation
from icalendar import Calendar, Event

from clinic.formats import clinic_month_day, clinic_time, patient_long_date, patient_long_datetime
from patients.models import Language

from .links import LinkPurpose, link_url
from .models import Reminder, ReminderChannel, ReminderKind
from .sms_encoding import sms_fold, sms_size
from .transports import OutgoingEmail, OutgoingSms

# Codes of each of a reminder's link purposes (``links.link_codes_issue``).
LinkCodes = dict[LinkPurpose, str]

TEMPLATE_NAMES = {
    ReminderKind.CYCLE_DUE: "cycle_due",
    ReminderKind.CYCLE_OVERDUE: "cycle_overdue",
    ReminderKind.APPOINTMENT: "appointment_reminder",
    ReminderKind.BOOKING_CONFIRMATION: "booking_confirmation",
    ReminderKind.OPT_OUT_CONFIRMATION: "opt_out_confirmation",
}


class ContentError(Exception):
    """The message cannot be built (e.g. too long for one SMS): a permanent failure."""


def _context(reminder: Reminder, links: LinkCodes, questionnaire_url: str = "") -> dict:
    """Dates in the patient's language and the clinic's zone, written by the formats in
    clinic/formats/: short ("Dec 2", "9:10 AM") where an SMS or subject needs them short."""
    language = reminder.patient.preferred_language
    with translation.override(language if language in Language.values else settings.LANGUAGE_CODE):
        return _context_in_language(reminder, links, questionnaire_url)


def _context_in_language(reminder: Reminder, links: LinkCodes, questionnaire_url: str) -> dict:
    patient = reminder.patient
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "first_name": patient.preferred_name or patient.first_name,
        **{f"{purpose}_url": link_url(purpose, code) for purpose, code in links.items()},
    }
    if reminder.appointment_start_at:
        start = reminder.appointment_start_at
        context.update(
            date=clinic_month_day(start), time=clinic_time(start), long_when=patient_long_datetime(start),
            moved=reminder.kind == ReminderKind.BOOKING_CONFIRMATION and Reminder.objects.filter(
                appointment_id=reminder.appointment_id, kind=reminder.kind,
            ).exclude(appointment_start_at=start).exists(),
        )
        if reminder.kind == ReminderKind.APPOINTMENT and reminder.channel == ReminderChannel.EMAIL:
            context["questionnaire_url"] = questionnaire_url
    if reminder.cycle_due_on:
        context.update(date=clinic_month_day(reminder.cycle_due_on), long_date=patient_long_date(reminder.cycle_due_on))
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
