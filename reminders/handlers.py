"""What reminders does when the apps below it announce a change (clinic/hooks.py), and its
section of the patient page. Imported by ``apps.RemindersConfig.ready``.

Each handler brings the affected rows up to date in the sender's transaction. The sweep does the
same for every appointment and plan each minute, so nothing depends on these; they make it prompt."""

from __future__ import annotations

from patients.hooks import ConsentWithdrawn, PatientPage, consent_withdrawn, patient_page
from scheduling.hooks import AppointmentChanged, appointment_changed
from treatments.hooks import PlanStatusChanged, SessionSigned, plan_status_changed, session_signed

from .selectors import patient_reminder_history
from .services import reminders_cancel_on_channel, reminders_for_appointment_sync, reminders_for_plan_sync


@appointment_changed.handler
def appointment_reminders_sync(event: AppointmentChanged) -> None:
    """Booked: the confirmation now. Moved: the old time's pending reminders replaced. Cancelled:
    its pending reminders cancelled."""
    reminders_for_appointment_sync(appointment_id=event.appointment_id)


@session_signed.handler
def cycle_reminders_sync_on_signing(event: SessionSigned) -> None:
    """The next cycle starts: the old cycle's reminders stop."""
    reminders_for_plan_sync(plan_id=event.session.plan_id)


@plan_status_changed.handler
def cycle_reminders_sync_on_status(event: PlanStatusChanged) -> None:
    """A pause or end stops pending cycle reminders at once; a resume brings due ones back."""
    reminders_for_plan_sync(plan_id=event.plan_id)


@consent_withdrawn.handler
def reminders_cancel_on_withdrawal(event: ConsentWithdrawn) -> None:
    reminders_cancel_on_channel(patient_id=event.patient_id, channel=event.channel, reason="consent withdrawn")


@patient_page.handler
def reminder_history_section(page: PatientPage) -> None:
    """The patient's reminder history (one query)."""
    page.add_section(template_name="reminders/_patient_history.html", order=40,
                     context={"reminder_history": patient_reminder_history(patient_id=page.patient.pk)})
