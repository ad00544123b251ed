"""The audit trail as a manager reads it: actions in words, each change as ``field: old → new``
(or the values a creation or a read recorded), dates in the clinic's formats, patients by name.

``changes`` holds ``{field: [before, after]}`` for an update and a read (docs/audit.md), but a
creation or a fact (an assessment's band, a role given) may record a bare value: iterating that
string as a pair is what once showed "band: M → i".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from clinic.formats import clinic_date, clinic_datetime

from .models import AuditEvent

# Words for the actions whose dotted name does not read well when spelled out; the rest fall back
# to "<thing> <verb>" ("treatments.session.signed" → "Session signed").
ACTION_WORDS = {
    "patients.patient.listed": "Patient list or search viewed",
    "patients.patient.viewed": "Patient chart viewed",
    "treatments.lot.recipients_viewed": "Lot recipients viewed",
    "treatments.lot.recipients_exported": "Lot recipients exported (CSV)",
    "treatments.billing.exported": "Billing exported (CSV)",
    "outcomes.report.exported": "Outcomes report exported (CSV)",
    "accounts.user.role_changed": "Staff role changed",
    "reminders.reminder.sent_again": "Reminder sent again",
}
FOLD_AFTER = 3  # more changes than this are folded under a <details>
EMPTY = "∅"
PATIENT_LIST_KEY = "patients"


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: str | None  # None: a bare value (a creation or a read), shown without an arrow
    after: str


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    action_words: str
    changes: list[ChangeLine]
    folded: bool


def action_in_words(action: str) -> str:
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    parts = action.split(".")
    if len(parts) < 2:
        return action.replace("_", " ").capitalize()
    thing, verb = parts[-2], parts[-1]
    if verb.startswith("admin_"):
        return f"{thing} {verb.removeprefix('admin_')} in admin".replace("_", " ").capitalize()
    return f"{thing} {verb}".replace("_", " ").capitalize()


def _value_text(value: Any, patients: dict[int, Any]) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_value_text(item, patients) for item in value) or EMPTY
    if isinstance(value, str):
        return _date_text(value) or value
    return str(value)


def _date_text(value: str) -> str | None:
    """ISO dates and date-times as stored by ``audit.services`` shown in local, readable form."""
    if len(value) == 10 and (day := _parse(parse_date, value)):
        return clinic_date(day)
    if len(value) >= 16 and "T" in value and (moment := _parse(parse_datetime, value)):
        return clinic_datetime(moment) if moment.tzinfo else clinic_datetime(moment.replace(tzinfo=dt.UTC))
    return None


def _parse(parser, value: str):
    try:
        return parser(value)
    except ValueError:
        return None


def _patient_list_text(ids: Any, patients: dict[int, Any]) -> str:
    if not isinstance(ids, list):
        return _value_text(ids, patients)
    return ", ".join(f"{patients[pk].full_name} ({patients[pk].mrn})" if pk in patients else f"#{pk}"
                     for pk in ids) or EMPTY


def change_lines(changes: Any, patients: dict[int, Any]) -> list[ChangeLine]:
    if not isinstance(changes, dict):
        return [ChangeLine("", None, _value_text(changes, patients))]
    lines = []
    for name, value in changes.items():
        label = name.replace("_", " ")
        pair = isinstance(value, list) and len(value) == 2
        before, after = (value[0], value[1]) if pair else (None, value)
        after_text = (_patient_list_text(after, patients) if name == PATIENT_LIST_KEY
                      else _value_text(after, patients))
        shown_before = _value_text(before, patients) if pair and before is not None else None
        lines.append(ChangeLine(label, shown_before, after_text))
    return lines


def _listed_patient_ids(events: Iterable[AuditEvent]) -> set[int]:
    ids: set[int] = set()
    for event in events:
        listed = event.changes.get(PATIENT_LIST_KEY) if isinstance(event.changes, dict) else None
        if isinstance(listed, list) and len(listed) == 2 and isinstance(listed[1], list):
            ids.update(pk for pk in listed[1] if isinstance(pk, int))
    return ids


def audit_rows(events: Sequence[AuditEvent]) -> list[AuditRow]:
    """One row per event, for a page of events. One query for the patients that reads listed."""
    # The model through the foreign key: audit sits below patients and does not import it.
    patient_model = AuditEvent._meta.get_field("patient").related_model
    patients = patient_model.objects.in_bulk(_listed_patient_ids(events)) if events else {}
    rows = []
    for event in events:
        lines = change_lines(event.changes, patients)
        rows.append(AuditRow(event, action_in_words(event.action), lines, folded=len(lines) > FOLD_AFTER))
    return rows
