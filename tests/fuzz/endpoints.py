"""The forms the fuzzers post to: for each, who posts it, the fresh rows a post acts on, a valid
post to mutate, which rows it may change, and which audit entries record such a change.

A change counts as whole when the request succeeded (``saves_on``) and its audit entry is there;
a refused or failed request must leave every watched row as it was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from outcomes.instruments import ASHWORTH_GRADES, INSTRUMENTS
from outcomes.links import questionnaire_token
from outcomes.models import Assessment, AssessmentAlert, QuestionnaireInvitation
from outcomes.services import questionnaire_invitation_for_appointment
from patients.models import ContactConsent, Patient
from scheduling.models import Appointment, CancelledBy
from tests.factories import InjectionSessionFactory, PatientFactory, seeded
from treatments.models import InjectionSession, InjectionSite, ProductVialSize, SessionVial, TreatmentPlan, VialLot

from . import scene as build
from .scene import Scene


@dataclass
class Target:
    """One post's URL, its valid data, and the rows to compare before and after it."""

    url: str
    data: dict[str, Any]
    watch: tuple[QuerySet, ...]
    extra_fields: tuple[str, ...] = ()
    headers: Callable[[str, dict[str, Any]], dict[str, str]] | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.data, *self.extra_fields)


def redirected(response: HttpResponse) -> bool:
    return response.status_code == 302


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str | None  # the Scene attribute of the staff user who posts; None: a patient, signed out
    target: Callable[[Scene, str], Target]
    writes: frozenset[str]
    saves_on: Callable[[HttpResponse], bool] = redirected
    variants: tuple[str, ...] = ("",)
    notes: dict[str, str] = field(default_factory=dict)


def _new_rows(model) -> QuerySet:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return model.objects.filter(pk__gt=last)


def _today() -> str:
    return timezone.localdate().isoformat()


def patient_target(scene: Scene, variant: str) -> Target:
    data = {
        "first_name": f"Ines{uuid.uuid4().hex[:6]}", "last_name": "Moreau", "date_of_birth": "1981-04-02",
        "sex": "female", "phone": "(312) 555-0142", "email": "ines@example.com", "preferred_channel": "email",
        "preferred_language": "en", "weight_kg": "61.5", "weight_measured_on": _today(),
        "emergency_contact_phone": "+442079460958", "postal_code": "60614", "notes": "Left-handed.",
    }
    return Target(reverse("patients:create"), data, (_new_rows(Patient), _new_rows(ContactConsent)),
                  extra_fields=("confirm_duplicate",))


def booking_target(scene: Scene, variant: str) -> Target:
    at, patient = build.practice(scene), PatientFactory()
    data = {"patient": patient.pk, "appointment_type": scene.follow_up.pk, "clinician": at.clinician.pk,
            "room": at.room.pk, "date": build.next_week(1).isoformat(), "time": "10:00"}
    return Target(reverse("scheduling:book"), data, (Appointment.objects.filter(patient=patient),),
                  extra_fields=("plan", "confirm_early", "override_reason"))


def reschedule_target(scene: Scene, variant: str) -> Target:
    appointment = build.appointment(scene)
    data = {"clinician": appointment.clinician_id, "room": appointment.room_id,
            "date": build.next_week(2).isoformat(), "time": "11:00"}
    return Target(reverse("scheduling:reschedule", args=[appointment.pk]), data,
                  (Appointment.objects.filter(pk=appointment.pk),), extra_fields=("confirm_early", "override_reason"))


def appointment_action_target(scene: Scene, variant: str) -> Target:
    appointment = build.appointment(scene)
    data = {"next": reverse("scheduling:recall")}
    if variant == "cancel":
        data.update(by=CancelledBy.PATIENT, reason="Flu")
    return Target(reverse(f"scheduling:{variant}", args=[appointment.pk]), data,
                  (Appointment.objects.filter(pk=appointment.pk),))


def _session_data(scene: Scene, session: InjectionSession) -> dict[str, Any]:
    frontalis, temporalis = seeded("Muscle", name="Frontalis"), seeded("Muscle", name="Temporalis")
    data = {
        "session-performed_at": timezone.localtime(session.performed_at).strftime("%Y-%m-%dT%H:%M"),
        "session-product": session.product_id, "session-adverse_events": "none", "session-notes": "",
        "vials-TOTAL_FORMS": 1, "vials-INITIAL_FORMS": 0, "vials-0-lot": scene.lot.pk, "vials-0-vials_opened": 1,
        "vials-0-diluent_ml": "2", "vials-0-reconstituted_at": "",
        "sites-TOTAL_FORMS": 2, "sites-INITIAL_FORMS": 0,
    }
    for row, muscle in enumerate((frontalis, temporalis)):
        data.update({f"sites-{row}-muscle": muscle.pk, f"sites-{row}-side": "left", f"sites-{row}-units": "5",
                     f"sites-{row}-points": 1, f"sites-{row}-guidance": "anatomical"})
    return data


def session_target(scene: Scene, variant: str) -> Target:
    session = InjectionSessionFactory(plan=build.plan(scene))
    name = "treatments:session_preview" if variant == "preview" else "treatments:session_detail"
    watch = (InjectionSession.objects.filter(pk=session.pk), InjectionSite.objects.filter(session=session),
             SessionVial.objects.filter(session=session), VialLot.objects.filter(pk=scene.lot.pk))
    return Target(reverse(name, args=[session.pk]), _session_data(scene, session), watch,
                  extra_fields=("vials-0-DELETE", "sites-1-DELETE", "add_rows", "sign", "session-patient_weight_kg"))


def _score_items(code: str) -> dict[str, Any]:
    instrument = INSTRUMENTS[code]
    if instrument.per_muscle:
        return {"muscle_1": seeded("Muscle", name="Biceps brachii").pk, "side_1": "left", "grade_1": ASHWORTH_GRADES[1]}
    return {f"item_{item.code}": int(item.minimum) for item in instrument.items}


def score_target(scene: Scene, variant: str) -> Target:
    plan = build.plan(scene)
    data = {"taken_on": _today(), "plan": plan.pk, "session": "", **_score_items(variant)}
    watch = (Assessment.objects.filter(patient=plan.patient), AssessmentAlert.objects.filter(patient=plan.patient))
    return Target(reverse("outcomes:assessment_create", args=[plan.patient_id, variant]), data, watch)


def questionnaire_target(scene: Scene, variant: str) -> Target:
    plan = build.plan(scene)
    visit = build.appointment(scene, patient=plan.patient, plan=plan)
    invitation = questionnaire_invitation_for_appointment(appointment=visit)
    step = INSTRUMENTS[invitation.instruments_asked[0]]
    data = {"step": step.code, **{item.code: int(item.minimum) for item in step.items}, variant: "1"}
    watch = (QuestionnaireInvitation.objects.filter(pk=invitation.pk), Assessment.objects.filter(patient=plan.patient))
    return Target(reverse("questionnaire:answer", args=[questionnaire_token(invitation.pk)]), data, watch,
                  extra_fields=("next", "save"))


def _twilio_signature(url: str, data: dict[str, Any]) -> dict[str, str]:
    """Signed as Twilio signs: over our public URL and the fields (the last value of a repeated one)."""
    public = settings.REMINDERS_PUBLIC_BASE_URL.rstrip("/") + url
    fields = {name: str(value[-1] if isinstance(value, list) else value) for name, value in data.items()}
    return {"X-Twilio-Signature": RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(public, fields)}


def sms_target(scene: Scene, variant: str) -> Target:
    patient = build.sms_patient()
    build.appointment(scene, patient=patient)
    data = {"From": str(patient.phone), "Body": "C", "To": "+13125550100", "MessageSid": f"SM{uuid.uuid4().hex}"}
    watch = (ContactConsent.objects.filter(patient=patient), Appointment.objects.filter(patient=patient))
    return Target(reverse("reminders:sms_inbound"), data, watch,
                  headers=_twilio_signature if variant == "signed" else None)


def lot_target(scene: Scene, variant: str) -> Target:
    size = ProductVialSize.objects.select_related("product").filter(product__is_active=True).first()
    data = {"vial_size": size.pk, "lot_number": f"F{uuid.uuid4().hex[:8]}", "quantity_received": 10,
            "expiry_date": (timezone.localdate() + dt.timedelta(days=365)).isoformat(), "location": "Fridge 2",
            "received_on": _today()}
    return Target(reverse("treatments:lot_receive"), data, (_new_rows(VialLot),))


def plan_target(scene: Scene, variant: str) -> Target:
    patient = PatientFactory()
    indication = seeded("Indication", code="chronic_migraine")
    data = {"indication": indication.pk, "diagnosis_code": indication.diagnosis_codes.first().pk, "side": "",
            "product": seeded("Product", code="botox").pk, "responsible_clinician": scene.clinician.pk,
            "cycle_weeks": "", "minimum_interval_weeks": "", "protocol_template": "", "start_date": _today(),
            "notes": ""}
    return Target(reverse("treatments:plan_create", args=[patient.pk]), data,
                  (TreatmentPlan.objects.filter(patient=patient),))


def _always(response: HttpResponse) -> bool:
    return response.status_code < 400


def _never(response: HttpResponse) -> bool:
    return False


ENDPOINTS: dict[str, Endpoint] = {endpoint.name: endpoint for endpoint in (
    Endpoint("patient", "front_desk", patient_target, frozenset({"patients.patient.created"})),
    Endpoint("booking", "manager", booking_target, frozenset({"scheduling.appointment.booked"})),
    Endpoint("reschedule", "manager", reschedule_target, frozenset({"scheduling.appointment.rescheduled"})),
    Endpoint("appointment action", "front_desk", appointment_action_target,
             frozenset({"scheduling.appointment.confirmed", "scheduling.appointment.checked_in",
                        "scheduling.appointment.cancelled", "scheduling.appointment.no_show"}),
             variants=("confirm", "check_in", "cancel", "no_show")),
    Endpoint("session editor", "clinician", session_target, frozenset({"treatments.session.updated"})),
    Endpoint("session preview", "clinician", session_target, frozenset(), saves_on=_never, variants=("preview",)),
    Endpoint("score entry", "clinician", score_target,
             frozenset({"outcomes.assessment.recorded", "outcomes.alert.raised"}), variants=tuple(INSTRUMENTS)),
    # Answers that pass their own check are kept even when the step is refused (nothing typed is lost).
    Endpoint("questionnaire step", None, questionnaire_target,
             frozenset({"outcomes.questionnaire.saved", "outcomes.questionnaire.completed",
                        "outcomes.assessment.recorded", "outcomes.alert.raised"}),
             saves_on=_always, variants=("next", "save")),
    Endpoint("sms webhook", None, sms_target,
             frozenset({"patients.consent.withdrawn", "scheduling.appointment.confirmed"}),
             saves_on=lambda response: response.status_code == 200, variants=("signed", "unsigned")),
    Endpoint("lot receive", "manager", lot_target, frozenset({"treatments.lot.received"})),
    Endpoint("plan", "clinician", plan_target, frozenset({"treatments.plan.created"})),
)}
