"""Whatever is typed into the registration form, the page never fails: it saves one audited
patient, or it saves nothing and says which fields are wrong."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from patients.models import Patient
from patients.services import PATIENT_FIELDS
from tests.factories import adult_born

pytestmark = pytest.mark.django_db

# Text a browser could send: any character but lone surrogates, which cannot be encoded.
_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
_any_number = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)).map(str)

# A valid registration to start from; each example replaces any subset of its fields (up to
# all of them) with junk or leaves them out, so both the saved and the refused paths are walked.
_VALID = {
    "first_name": "Ines", "last_name": "Moreau", "date_of_birth": adult_born(45).isoformat(), "sex": "female",
    "phone": "(312) 555-0142", "email": "ines@example.com", "preferred_channel": "email",
    "preferred_language": "en", "weight_kg": "61.5", "weight_measured_on": adult_born(1).isoformat(),
    "emergency_contact_phone": "+442079460958", "postal_code": "60614", "notes": "Left-handed.",
}
_junk = st.one_of(_any_text, _any_number, st.none())


@st.composite
def _form_data(draw) -> dict[str, str]:
    data = dict(_VALID)
    for name in draw(st.sets(st.sampled_from(PATIENT_FIELDS))):
        value = draw(_junk)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    if draw(st.booleans()):
        data["confirm_duplicate"] = draw(st.sampled_from(["on", "", "yes please"]))
    return data


@settings(
    max_examples=60, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_form_data())
def test_any_registration_input_saves_one_audited_patient_or_shows_field_errors(front_desk_client, data):
    # Each example runs in a savepoint that is rolled back, so examples do not see each other's rows.
    with transaction.atomic():
        response = front_desk_client.post(reverse("patients:create"), data)
        saved = list(Patient.objects.all())
        event(f"status {response.status_code}")
        if response.status_code == 302:
            assert len(saved) == 1
            assert response.url == reverse("patients:detail", args=[saved[0].pk])
            assert AuditEvent.objects.filter(action="patients.patient.created", patient=saved[0]).count() == 1
        else:
            assert response.status_code == 200
            assert response.context["form"].errors
            assert saved == []
            assert not AuditEvent.objects.exists()
        transaction.set_rollback(True)
