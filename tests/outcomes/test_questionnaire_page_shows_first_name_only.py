"""The questionnaire page is public (the link is the credential): it greets the patient by first
name and shows the questions, never a surname, date of birth, record number, diagnosis, product
or visit details; and it is neither cached nor indexed."""

from __future__ import annotations

import pytest

from tests.factories import TreatmentPlanFactory

from .questionnaire_scene import invite, link

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("indication_code", ["chronic_migraine", "blepharospasm"])
def test_the_page_shows_the_first_name_and_nothing_else_about_the_patient(client, indication_code):
    plan = TreatmentPlanFactory(indication_code=indication_code, patient__first_name="Marisol",
                                patient__last_name="Quillfeather")
    patient = plan.patient
    response = client.get(link(invite(plan)))
    html = response.content.decode()
    assert "Hello Marisol," in html
    forbidden = [
        "Quillfeather", patient.mrn, patient.date_of_birth.isoformat(), patient.date_of_birth.strftime("%b %-d, %Y"),
        patient.email, str(patient.phone), plan.indication.name, plan.diagnosis_code.code,
        plan.diagnosis_code.description, plan.product.brand_name, plan.responsible_clinician.username,
    ]
    assert [text for text in forbidden if text and text.lower() in html.lower()] == []
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]


def test_a_preferred_name_is_used_when_the_patient_gave_one(client):
    plan = TreatmentPlanFactory(patient__first_name="Margaret", patient__preferred_name="Peggy")
    html = client.get(link(invite(plan))).content.decode()
    assert "Hello Peggy," in html and "Margaret" not in html
