"""The recall board page: due and overdue plans with nothing booked, soonest first, overdue
highlighted, filters, one click to a prefilled booking page, and a query count that does not
grow with the number of plans."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LocationFactory, PatientFactory, WorkingHoursFactory

from .conftest import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

TODAY = dt.date(2026, 6, 12)
RECALL = reverse("scheduling:recall")


@pytest.fixture
def due_plan(make_plan, sign_session):
    def make(patient=None, *, due_in: int, **plan_kwargs):
        plan = make_plan(patient or PatientFactory(), cycle_weeks=12, **plan_kwargs)
        sign_session(plan, local(TODAY + dt.timedelta(days=due_in) - dt.timedelta(weeks=12), "10:00"))
        return plan

    return make


def _rows(response):
    return [plan for plan, _ in response.context["rows"]]


def test_due_and_overdue_plans_soonest_first_with_overdue_highlighted(front_desk_client, due_plan, injection):
    later, overdue, soon = due_plan(due_in=40), due_plan(due_in=-9), due_plan(due_in=12)
    response = front_desk_client.get(RECALL)
    assert _rows(response) == [overdue, soon]
    page = response.content.decode()
    assert page.count("table-danger") == 1 and "overdue 1\xa0week" in page
    assert later.patient.last_name not in page
    assert _rows(front_desk_client.get(RECALL, {"within_weeks": 8})) == [overdue, soon, later]


def test_one_click_books_with_patient_plan_clinician_and_type_prefilled(front_desk_client, due_plan, injection):
    plan = due_plan(due_in=12)
    page = front_desk_client.get(RECALL).content.decode()
    link = (f"{reverse('scheduling:book')}?patient={plan.patient_id}&amp;plan={plan.pk}"
            f"&amp;clinician={plan.responsible_clinician_id}&amp;appointment_type={injection.pk}"
            f"&amp;start_date=2026-06-17")  # a week before it is due
    assert link in page


def test_filters_by_indication_clinician_and_location(front_desk_client, due_plan, make_clinician_at, clinician):
    north = LocationFactory(name="North")
    okafor = make_clinician_at(north, "Dr. Okafor")
    migraine = due_plan(due_in=3, indication_code="test_migraine")
    dystonia = due_plan(due_in=4, indication_code="test_dystonia", responsible=okafor)
    assert _rows(front_desk_client.get(RECALL, {"indication": dystonia.indication_id})) == [dystonia]
    assert _rows(front_desk_client.get(RECALL, {"clinician": clinician.pk})) == [migraine]
    assert _rows(front_desk_client.get(RECALL, {"location": north.pk})) == [dystonia]


def test_bad_filters_fall_back_to_the_defaults(front_desk_client, due_plan):
    plan = due_plan(due_in=3)
    response = front_desk_client.get(RECALL, {"within_weeks": "lots", "clinician": "x"})
    assert response.status_code == 200 and _rows(response) == [plan]


def test_only_the_front_desk_and_managers_see_it(clinician_client, manager_client, no_role_client):
    assert manager_client.get(RECALL).status_code == 200
    assert clinician_client.get(RECALL).status_code == 403
    assert no_role_client.get(RECALL).status_code == 403


def test_the_query_count_does_not_grow_with_the_number_of_plans(front_desk_client, due_plan, make_clinician_at):
    others = [make_clinician_at(LocationFactory(), f"Dr. {n}") for n in range(3)]
    for n in range(3):
        due_plan(due_in=n, responsible=others[n % 3])
    front_desk_client.get(RECALL)  # warm the session: its first save (then at most once a minute)
    with CaptureQueriesContext(connection) as few:
        assert front_desk_client.get(RECALL).status_code == 200
    for n in range(60):
        due_plan(due_in=n % 20 - 5, responsible=others[n % 3], indication_code=f"test_{n % 4}")
    WorkingHoursFactory(clinician=others[0], location=LocationFactory(), weekday=5)
    with CaptureQueriesContext(connection) as many:
        response = front_desk_client.get(RECALL)
    assert len(response.context["rows"]) == 50  # a page
    assert len(many) == len(few) <= 9, [q["sql"] for q in many.captured_queries]
