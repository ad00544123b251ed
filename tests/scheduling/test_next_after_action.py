"""An appointment button's ``next`` is user input: only one of our pages is followed, it is never
reversed as a URL name, and a bad one still lands on the day page after the action, not a 500."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from scheduling.models import Appointment, AppointmentStatus, CancelledBy
from tests.factories import AppointmentFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

DAY_PAGE = f"{reverse('scheduling:day')}?date={MONDAY.isoformat()}"
BAD_NEXTS = ["email", "scheduling:recall", "https://evil.example/", "//evil.example/", "/\\evil.example",
             "javascript:alert(1)", "/no/such/page/", " /scheduling/day/", "\x00/scheduling/day/"]


@pytest.fixture
def appointment(clinician, room, patient, follow_up):
    return AppointmentFactory(clinician=clinician, room=room, patient=patient, appointment_type=follow_up,
                              start_at=local(MONDAY, "10:00"))


@pytest.mark.parametrize("bad_next", BAD_NEXTS)
def test_a_cancel_with_a_bad_next_is_cancelled_once_and_lands_on_the_day_page(front_desk_client, appointment,
                                                                              bad_next):
    response = front_desk_client.post(reverse("scheduling:cancel", args=[appointment.pk]),
                                      {"by": CancelledBy.PATIENT, "reason": "Flu", "next": bad_next})
    assert response.status_code == 302 and response.url == DAY_PAGE
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CANCELLED
    assert AuditEvent.objects.filter(action="scheduling.appointment.cancelled").count() == 1


@pytest.mark.parametrize("button", ["confirm", "check_in", "no_show"])
def test_every_button_ignores_a_next_that_is_a_url_name(front_desk_client, appointment, button):
    response = front_desk_client.post(reverse(f"scheduling:{button}", args=[appointment.pk]), {"next": "email"})
    assert response.status_code == 302 and response.url == DAY_PAGE


def test_a_refused_cancel_with_a_bad_next_lands_on_the_day_page(front_desk_client, appointment):
    response = front_desk_client.post(reverse("scheduling:cancel", args=[appointment.pk]), {"next": "email"})
    assert response.status_code == 302 and response.url == DAY_PAGE
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.BOOKED


def test_a_local_next_with_its_query_is_followed(front_desk_client, appointment):
    back = f"{reverse('scheduling:week')}?date={MONDAY.isoformat()}"
    response = front_desk_client.post(reverse("scheduling:confirm", args=[appointment.pk]), {"next": back})
    assert response.url == back
