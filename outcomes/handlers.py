"""The outcomes section of the patient page (clinic/hooks.py). Imported by
``apps.OutcomesConfig.ready``."""

from __future__ import annotations

from patients.hooks import PatientPage, patient_page


@patient_page.handler
def outcomes_section(page: PatientPage) -> None:
    # No context of its own: the template's {% outcomes_section %} reads the plans and sessions
    # the treatment section already loaded, so the scores cost a fixed few queries more.
    page.add_section(template_name="outcomes/_patient_section.html", order=30)
