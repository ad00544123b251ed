"""What the schedule does when the apps below it announce something (clinic/hooks.py), and its
section of the patient page. Imported by ``apps.SchedulingConfig.ready``."""

from __future__ import annotations

from patients.hooks import PatientPage, patient_page
from treatments.hooks import SessionSigned, session_signed

from .services import appointment_complete_for_session
from .views.patient import patient_appointments_context


@session_signed.handler
def appointment_complete_on_signing(event: SessionSigned) -> None:
    """A signed session completes the checked-in injection appointment it records, if any."""
    appointment_complete_for_session(actor=event.actor, session=event.session)


@patient_page.handler
def appointments_section(page: PatientPage) -> None:
    page.add_section(template_name="scheduling/_patient_appointments.html", order=10,
                     context=patient_appointments_context(user=page.user, patient=page.patient))
