"""How dates and times are written, for people and for machines: the one place that spells a format.

People: Django's localisation formats (``FORMAT_MODULE_PATH`` points here; ``en/formats.py`` and
``es/formats.py`` override only what the stock locale gets wrong for the clinic). Templates use
``{{ value|date }}``, ``{{ value|time }}`` or a format name (``|date:"DATETIME_FORMAT"``); code
uses ``clinic_date`` and friends below, in the active language and the clinic's time zone.

Machines: ISO 8601 for ``<input type=date>``, query strings, iCal and stored values, and the CSV
exports' local date-time column (spreadsheets read ``2026-12-02 09:10`` as a date in any locale;
"12/02/2026" means February in half the world).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation

CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def clinic_date(value: dt.date | dt.datetime) -> str:
    """"Dec 2, 2026" (US English), "2 de diciembre de 2026" (Spanish)."""
    return formats.date_format(_local(value), "DATE_FORMAT")


def clinic_datetime(value: dt.datetime) -> str:
    """"Dec 2, 2026, 9:10 AM" (US English), "2 de diciembre de 2026 a las 09:10" (Spanish)."""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def clinic_time(value: dt.datetime | dt.time) -> str:
    """"9:10 AM" (US English), "09:10" (Spanish)."""
    return formats.time_format(_local(value), "TIME_FORMAT")


def clinic_month_day(value: dt.date | dt.datetime) -> str:
    """"Wed, Dec 2" / "2 dic": short enough for an SMS, whose 160 characters hold everything."""
    return formats.date_format(_local(value), "MONTH_DAY_FORMAT")


def _patient_format(name: str) -> str:
    """A format Django has no name for (``LONG_DATE_FORMAT``...), from the active language's module
    in clinic/formats/, else the clinic's own language's."""
    for language in (translation.get_language(), settings.LANGUAGE_CODE):
        for module in formats.get_format_modules(language):
            if hasattr(module, name):
                return getattr(module, name)
    raise LookupError(f"no {name} in clinic/formats/ for {settings.LANGUAGE_CODE}")


def patient_long_date(value: dt.date | dt.datetime) -> str:
    """"Thursday, June 13, 2030" / "jueves 13 de junio de 2030": a patient's message spells the day out."""
    return dateformat.format(_local(value), _patient_format("LONG_DATE_FORMAT"))


def patient_long_datetime(value: dt.datetime) -> str:
    """"Tuesday, June 4, 2030 at 10:00 AM" / "martes 4 de junio de 2030 a las 10:00"."""
    return dateformat.format(_local(value), _patient_format("LONG_DATETIME_FORMAT"))


def csv_datetime(value: dt.datetime) -> str:
    """Clinic-local "2026-12-02 09:10" for a spreadsheet column (see the module docstring)."""
    return timezone.localtime(value).strftime(CSV_DATETIME_FORMAT)
