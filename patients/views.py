from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from accounts.access import RoleRequiredMixin, role_required
from accounts.roles import Role
from audit.services import audit_access
from clinic.forms import add_service_errors

from .forms import ConsentForm, PatientForm, PatientSearchForm
from .hooks import PatientPage, patient_page
from .models import Channel, ConsentMethod, Patient
from .selectors import patient_search
from .services import (
    consent_record,
    consent_withdraw,
    patient_create,
    patient_record_viewed,
    patient_set_archived,
    patient_update,
)

REGISTRY_ROLES = (Role.FRONT_DESK, Role.CLINICIAN)


class PatientListView(RoleRequiredMixin, ListView):
    allowed_roles = REGISTRY_ROLES
    template_name = "patients/patient_list.html"
    context_object_name = "patients"
    paginate_by = 25

    def get_queryset(self):
        self.search_form = PatientSearchForm(self.request.GET or None)
        data = self.search_form.cleaned_data if self.search_form.is_valid() else {}
        return patient_search(query=data.get("q", ""), include_archived=data.get("archived", False))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(search_form=self.search_form, **kwargs)
        # Names and birth dates on screen are PHI: record whose (the search term only as a digest).
        audit_access(actor=self.request.user, action="patients.patient.listed", patients=context["patients"],
                     search_term=self.search_form.data.get("q", ""), shown={"matches": context["paginator"].count})
        return context


class PatientCreateView(RoleRequiredMixin, FormView):
    allowed_roles = (Role.FRONT_DESK,)
    template_name = "patients/patient_form.html"
    form_class = PatientForm

    def form_valid(self, form: PatientForm) -> HttpResponse:
        try:
            patient = patient_create(actor=self.request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Registered {patient.full_name}, MRN {patient.mrn}.")
        return redirect("patients:detail", pk=patient.pk)


class PatientUpdateView(RoleRequiredMixin, FormView):
    allowed_roles = REGISTRY_ROLES
    template_name = "patients/patient_form.html"
    form_class = PatientForm

    @cached_property
    def patient(self) -> Patient:
        # Looked up lazily, after the role check in dispatch: a user without the role gets 403
        # whether or not the id exists, so the answer does not reveal which patients exist.
        return get_object_or_404(Patient, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.patient}

    def get_context_data(self, **kwargs):
        return super().get_context_data(patient=self.patient, **kwargs)

    def form_valid(self, form: PatientForm) -> HttpResponse:
        try:
            patient_update(actor=self.request.user, patient=self.patient, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Patient details saved.")
        return redirect("patients:detail", pk=self.patient.pk)


class PatientDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = REGISTRY_ROLES
    template_name = "patients/patient_detail.html"
    context_object_name = "patient"
    queryset = Patient.objects.select_related("created_by")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patient_record_viewed(actor=request.user, patient=self.object)
        return response

    def get_context_data(self, **kwargs):
        consents = list(self.object.consents.select_related("recorded_by"))
        current = {c.channel for c in consents if c.is_current}
        page = PatientPage(user=self.request.user, patient=self.object)
        patient_page.send(page)  # the apps built on patients add their sections: patients/hooks.py
        return super().get_context_data(
            consents=consents,
            current_channels=current,
            sms_blocked=self.object.preferred_channel == Channel.SMS and Channel.SMS not in current,
            consent_form=ConsentForm(),
            patient_sections=page.templates(),
            **page.context,
            **kwargs,
        )


@require_POST
@role_required(Role.FRONT_DESK)
def patient_archive(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    archive = request.POST.get("archived") != "false"
    patient_set_archived(actor=request.user, patient=patient, archived=archive)
    messages.success(request, f"{patient.full_name} {'archived' if archive else 'restored'}.")
    return redirect("patients:detail", pk=pk)


@require_POST
@role_required(Role.FRONT_DESK)
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        channel = Channel(form.cleaned_data["channel"])
        consent_record(actor=request.user, patient=patient, channel=channel,
                       method=ConsentMethod(form.cleaned_data["method"]))
        messages.success(request, f"{channel.label} consent recorded.")
    else:
        messages.error(request, "Choose a channel and how consent was given.")
    return redirect(reverse("patients:detail", kwargs={"pk": pk}) + "#consent")


@require_POST
@role_required(Role.FRONT_DESK)
def consent_withdraw_view(request: HttpRequest, pk: int, channel: str) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    if channel not in Channel.values:
        messages.error(request, "Unknown channel.")
    elif consent_withdraw(actor=request.user, patient=patient, channel=Channel(channel),
                          method=ConsentMethod.VERBAL):
        messages.success(request, f"{Channel(channel).label} consent withdrawn; no more messages on it.")
    return redirect(reverse("patients:detail", kwargs={"pk": pk}) + "#consent")
