"""Every SMS fits one segment, proved at start-up: each SMS template in each language, rendered
with the configured clinic name, phone and base URL, the longest date and time the language
writes and a link code (all codes have one length), fits 160 GSM-7 septets (or 70 UCS-2 units).
A template that cannot fit stops the process (runserver, migrate, the worker, the web
application) and the error names it and by how much it overflows; nothing is lost at send time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.template import TemplateDoesNotExist
from django.utils import timezone, translation

from clinic.formats import clinic_month_day, clinic_time, patient_long_date, patient_long_datetime
from patients.models import Language, Patient

from .content import TEMPLATE_NAMES, sms_render
from .links import CODE_ALPHABET, CODE_LENGTH, LinkPurpose, link_url
from .sms_encoding import SmsSize, sms_fold, sms_size

_A_LEAP_YEAR = [dt.date(2028, 1, 1) + dt.timedelta(days=n) for n in range(366)]


@dataclass(frozen=True)
class SmsBudget:
    template: str
    language: str
    text: str
    size: SmsSize


def _longest(values) -> str:
    return max(values, key=lambda value: sms_size(sms_fold(value)).units)


def _longest_dates(language: str) -> dict[str, str]:
    """Each date and time form a template may use, at its longest in ``language``, written by
    the same formats as reminders.content (clinic/formats/)."""
    instants = [timezone.make_aware(dt.datetime.combine(_A_LEAP_YEAR[0], dt.time(hour, minute)))
                for hour in range(24) for minute in range(60)]
    with translation.override(language):
        return {
            "date": _longest(clinic_month_day(day) for day in _A_LEAP_YEAR),
            "long_date": _longest(patient_long_date(day) for day in _A_LEAP_YEAR),
            "time": _longest(clinic_time(instant) for instant in instants),
            "long_when": _longest(patient_long_datetime(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59))))
                                  for day in _A_LEAP_YEAR),
        }


def sms_worst_context(language: str) -> dict:
    """What reminders.content gives an SMS template, each value at its longest: the configured
    clinic name and phone, links on the configured base URL, names as long as the field allows
    (a template that prints one can never be proved to fit, and fails)."""
    longest_code = CODE_ALPHABET[-1] * CODE_LENGTH  # every code character is one septet
    longest_name = "W" * Patient._meta.get_field("first_name").max_length
    return {
        "clinic_name": settings.CLINIC_NAME, "clinic_phone": settings.CLINIC_PHONE, "first_name": longest_name,
        **{f"{purpose}_url": link_url(purpose, longest_code) for purpose in LinkPurpose},
        **_longest_dates(language), "moved": True, "questionnaire_url": "",
    }


def sms_budgets() -> list[SmsBudget]:
    """Every SMS template x language at its longest (a kind with no SMS template has no row)."""
    budgets = []
    for name in dict.fromkeys(TEMPLATE_NAMES.values()):
        for language in Language.values:
            try:
                text = sms_render(name, language, sms_worst_context(language))
            except TemplateDoesNotExist:
                continue
            budgets.append(SmsBudget(template=name, language=language, text=text, size=sms_size(text)))
    return budgets


@checks.register("reminders")
def sms_templates_fit_one_segment(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"SMS template {budget.template!r} in {budget.language!r} can reach {budget.size}: "
            f"{budget.size.units - budget.size.one_segment_limit} over one segment "
            f"({budget.size.one_segment_limit}) with CLINIC_NAME, CLINIC_PHONE and REMINDERS_PUBLIC_BASE_URL as set.",
            hint="Shorten CLINIC_NAME or the template; keep to GSM-7 characters (see docs/sms.md).",
            id="reminders.E001")
        for budget in sms_budgets() if budget.size.segments > 1
    ]
