"""One search box finds patients by name, date of birth, phone or MRN; archived ones on request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from patients.selectors import patient_search
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria():
    return PatientFactory(
        first_name="Maria", last_name="Delgado-Reyes", preferred_name="Mari",
        date_of_birth=dt.date(1972, 3, 15), phone="+13125550199",
    )


@pytest.fixture
def others():
    return [
        PatientFactory(first_name="Marcus", last_name="Oyelaran", date_of_birth=dt.date(1980, 7, 1),
                       phone="+13125550300"),
        PatientFactory(first_name="Ann", last_name="Delacroix", date_of_birth=dt.date(1972, 3, 16),
                       phone="+17735550199"),
    ]


def _found(query: str, **kwargs) -> set[str]:
    return {patient.last_name for patient in patient_search(query=query, **kwargs)}


@pytest.mark.parametrize("query", ["Delgado", "delg", "MARIA", "maria delg", "Delgado-Reyes", "  mari  "])
def test_name_words_match_the_start_of_a_name_in_any_case(maria, others, query):
    assert _found(query) == {"Delgado-Reyes"}


def test_the_preferred_name_is_searched(maria, others):
    assert _found("Mari") == {"Delgado-Reyes"}
    assert _found("Mar") == {"Delgado-Reyes", "Oyelaran"}


def test_every_name_word_must_match(maria, others):
    assert _found("Maria Oyelaran") == set()
    assert _found("elgado") == set()  # a prefix, not a substring


@pytest.mark.parametrize("query", ["1972-03-15", "03/15/1972", "3/15/1972", "03-15-1972", "03/15/72"])
def test_date_of_birth_in_iso_and_us_formats(maria, others, query):
    assert _found(query) == {"Delgado-Reyes"}


@pytest.mark.parametrize("query", ["(312) 555-0199", "312-555-0199", "+13125550199", "3125550199", "312.555.0199"])
def test_phone_in_the_ways_people_write_it(maria, others, query):
    assert _found(query) == {"Delgado-Reyes"}


def test_the_last_four_digits_of_a_phone_find_every_match(maria, others):
    assert _found("0199") == {"Delgado-Reyes", "Delacroix"}


def test_too_few_digits_find_nobody(maria, others):
    assert _found("99") == set()


def test_mrn(maria, others):
    assert _found(maria.mrn) == {"Delgado-Reyes"}


def test_archived_patients_are_left_out_unless_asked_for(maria, others):
    maria.is_archived = True
    maria.save()
    assert _found("Delgado") == set()
    assert _found("Delgado", include_archived=True) == {"Delgado-Reyes"}
    assert "Delgado-Reyes" not in _found("")


def test_the_list_page_searches_with_the_same_rules(front_desk_client, maria, others):
    response = front_desk_client.get(reverse("patients:list"), {"q": "(312) 555-0199"})
    assert [p.pk for p in response.context["patients"]] == [maria.pk]
    assert b"Delgado-Reyes" in response.content
    assert b"Oyelaran" not in response.content
