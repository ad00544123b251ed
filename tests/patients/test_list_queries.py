"""The patient list asks the database the same number of questions for 5 patients or 60."""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

# Session, user, the user's roles, the count, the page; and the audit entry of whom the page
# showed (one insert). (The session is re-saved for idle logoff at most once a minute, so not on
# these requests: see tests/accounts/test_idle_logoff.py.)
LIST_PAGE_QUERY_CEILING = 6


def _register(count: int) -> None:
    """Patients who all match every search below, so both sizes fill whole pages."""
    PatientFactory.create_batch(
        count, last_name="Anderson", date_of_birth=dt.date(1970, 1, 1),
        phone=factory.Sequence(lambda n: f"+1312{200 + n:03d}0199"),
    )


def _queries_for(client, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("patients:list"), params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, {"q": "anders"}, {"q": "0199"}, {"q": "01/01/1970"}, {"archived": "on"}],
    ids=["everyone", "name", "phone", "birth-date", "with-archived"],
)
def test_query_count_does_not_grow_with_the_number_of_patients(
    front_desk_client, django_assert_num_queries, django_assert_max_num_queries, params
):
    _register(5)
    front_desk_client.get(reverse("patients:list"))  # warm the session (its first save)
    few = _queries_for(front_desk_client, params)

    _register(55)
    with django_assert_num_queries(few):
        front_desk_client.get(reverse("patients:list"), params)
    with django_assert_max_num_queries(LIST_PAGE_QUERY_CEILING):
        front_desk_client.get(reverse("patients:list"), params)


def test_a_later_page_costs_the_same_as_the_first(front_desk_client, django_assert_num_queries):
    _register(60)
    front_desk_client.get(reverse("patients:list"))  # warm the session (its first save)
    first = _queries_for(front_desk_client)
    with django_assert_num_queries(first):
        response = front_desk_client.get(reverse("patients:list"), {"page": 3})
    assert response.context["page_obj"].number == 3
    assert len(response.context["patients"]) == 60 - 2 * response.context["paginator"].per_page
