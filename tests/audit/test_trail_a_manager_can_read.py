"""The audit page reads as sentences: actions in words, updates as ``field: old → new``, creations
and reads as their values, dates in the clinic's formats, patients by name beside the MRN, long
changes folded; and the same number of queries for 5 or 40 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.presenters import action_in_words
from audit.services import audit_access, audit_record
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _record(actor, action, patient=None, changes=None):
    with transaction.atomic():
        audit_record(actor=actor, action=action, patient=patient, changes=changes)


def _changes_cells(manager_client) -> str:
    return manager_client.get(reverse("audit:list")).content.decode()


def test_a_bare_value_is_shown_whole_not_letter_by_letter(manager_client, clinician_user):
    _record(clinician_user, "outcomes.assessment.recorded", PatientFactory(), {"band": "Mild", "total": 7})
    page = _changes_cells(manager_client)
    assert "<strong>band</strong>: Mild" in page and "<strong>total</strong>: 7" in page
    assert "M → i" not in page


def test_an_update_shows_old_and_new_with_dates_in_local_time(manager_client, front_desk_user, settings):
    settings.TIME_ZONE = "America/Chicago"
    patient = PatientFactory(first_name="Ana", last_name="Diaz")
    _record(front_desk_user, "patients.patient.updated", patient,
            {"date_of_birth": ["1980-01-02", "1980-02-01"], "weight_measured_on": [None, "2026-12-01"],
             "archived_at": [None, dt.datetime(2026, 12, 2, 15, 10, tzinfo=dt.UTC)]})
    page = _changes_cells(manager_client)
    assert "<strong>date of birth</strong>: Jan 2, 1980 → Feb 1, 1980" in page
    assert "<strong>archived at</strong>: Dec 2, 2026, 9:10 AM" in page
    assert f"Ana Diaz <span class=\"text-nowrap\">(MRN <span class=\"mrn\">{patient.mrn}</span>)" in page
    assert "Patient updated" in page


def test_a_read_lists_the_patients_by_name(manager_client, front_desk_user):
    first, second = PatientFactory(first_name="Ana", last_name="Diaz"), PatientFactory(first_name="Bo", last_name="Li")
    audit_access(actor=front_desk_user, action="patients.patient.listed",
                 patients=[first, second])
    page = _changes_cells(manager_client)
    assert f"Ana Diaz ({first.mrn}), Bo Li ({second.mrn})" in page
    assert "Patient list or search viewed" in page and "not yet sealed" in page


def test_long_changes_are_folded(manager_client, front_desk_user):
    _record(front_desk_user, "patients.patient.updated", PatientFactory(),
            {name: ["a", "b"] for name in ("first_name", "last_name", "phone", "email")})
    assert "<details><summary>4 changes</summary>" in _changes_cells(manager_client)


def test_action_names_read_as_words_with_a_fallback():
    assert action_in_words("treatments.session.signed") == "Session signed"
    assert action_in_words("treatments.session.addendum_added") == "Session addendum added"
    assert action_in_words("patients.patient.admin_viewed") == "Patient viewed in admin"
    assert action_in_words("patients.patient.viewed") == "Patient chart viewed"
    assert action_in_words("odd") == "Odd"


def _add_rows(actor, count: int) -> None:
    for _ in range(count):
        patient = PatientFactory()
        _record(actor, "patients.patient.updated", patient, {"phone": ["1", "2"]})
        audit_access(actor=actor, action="patients.patient.listed", patients=[patient])


def _queries_for_the_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("audit:list")).status_code == 200
    return len(captured)


def test_the_list_takes_the_same_queries_as_rows_grow(manager_client, front_desk_user, django_assert_max_num_queries):
    _add_rows(front_desk_user, 3)
    manager_client.get(reverse("audit:list"))  # the session's first-request queries
    few = _queries_for_the_list(manager_client)
    _add_rows(front_desk_user, 30)  # 66 entries: more than a page of 50
    assert _queries_for_the_list(manager_client) == few
    with django_assert_max_num_queries(MAX_QUERIES):
        manager_client.get(reverse("audit:list"))


MAX_QUERIES = 12
