"""The treatment section of the patient page (clinic/hooks.py). Imported by
``apps.TreatmentsConfig.ready``."""

from __future__ import annotations

from patients.hooks import PatientPage, patient_page

from .views.chart import treatment_chart_context


@patient_page.handler
def treatment_section(page: PatientPage) -> None:
    page.add_section(template_name="treatments/_patient_chart.html", order=20,
                     context=treatment_chart_context(user=page.user, patient=page.patient))
