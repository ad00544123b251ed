"""Whatever is posted to the booking page, it never fails: it books one audited appointment, or
books nothing and shows why on the form."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from scheduling.models import Appointment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

FIELDS = ("appointment_type", "plan", "clinician", "room", "date", "time", "confirm_early", "override_reason")
_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
_junk = st.one_of(_any_text, st.integers().map(str), st.sampled_from(["2026-06-15", "18:00", "09:00", "on"]),
                  st.none())


@st.composite
def _changes(draw) -> dict[str, str | None]:
    return {name: draw(_junk) for name in draw(st.sets(st.sampled_from(FIELDS)))}


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=_changes())
def test_any_booking_input_books_once_or_shows_errors(manager_client, patient, clinician, room, follow_up, changes):
    data = {"patient": patient.pk, "appointment_type": follow_up.pk, "clinician": clinician.pk, "room": room.pk,
            "date": "2026-06-15", "time": "10:00"}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    with transaction.atomic():
        response = manager_client.post(reverse("scheduling:book"), data)
        event(f"status {response.status_code}")
        booked = list(Appointment.objects.all())
        if response.status_code == 302:
            assert len(booked) == 1
            assert AuditEvent.objects.filter(action="scheduling.appointment.booked").count() == 1
        else:
            assert response.status_code == 200 and response.context["form"].errors
            assert booked == [] and not AuditEvent.objects.filter(action__startswith="scheduling.").exists()
        transaction.set_rollback(True)
