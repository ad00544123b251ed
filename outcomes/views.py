"""Clinician entry of outcome scores, and the PHQ-9 alert worklist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import RoleRequiredMixin, role_required
from accounts.roles import Role
from audit.services import audit_access
from clinic.forms import add_service_errors
from clinic.redirects import redirect_next
from clinic.spreadsheets import csv_streaming_response
from patients.models import Patient

from .forms import AssessmentForm, ReportFilterForm
from .instruments import INSTRUMENTS
from .models import AssessmentAlert
from .report import outcomes_report, report_csv_rows
from .selectors import open_alerts
from .services import alert_acknowledge, assessment_record

CLINICAL_ROLES = (Role.CLINICIAN,)


def chart_url(patient_pk: int) -> str:
    return reverse("patients:detail", kwargs={"pk": patient_pk}) + "#outcomes"


class AssessmentCreateView(RoleRequiredMixin, FormView):
    """Record one instrument for a patient, linked to a plan/session (``?plan=``, ``?session=``) or not."""

    allowed_roles = CLINICAL_ROLES
    template_name = "outcomes/assessment_form.html"
    form_class = AssessmentForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.instrument_code = kwargs["instrument"]

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def _load(self) -> None:
        # After the role check (dispatch), so that a refused user learns nothing about which ids exist.
        self.patient = get_object_or_404(Patient, pk=self.kwargs["pk"])
        if self.instrument_code not in INSTRUMENTS:
            raise Http404("No such scale.")
        self.instrument = INSTRUMENTS[self.instrument_code]

    def get_initial(self):
        return {"plan": self.request.GET.get("plan"), "session": self.request.GET.get("session")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instrument": self.instrument, "patient": self.patient}

    def get_context_data(self, **kwargs):
        return super().get_context_data(patient=self.patient, instrument=self.instrument, **kwargs)

    def form_valid(self, form: AssessmentForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            assessment = assessment_record(
                actor=self.request.user, patient=self.patient, instrument=self.instrument.code,
                items=form.items(), taken_on=data["taken_on"], plan=data["plan"], session=data["session"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        saved = f"{self.instrument.name} saved: {assessment.total_label} {assessment.band}".strip()
        messages.success(self.request, saved)
        if hasattr(assessment, "alert"):
            messages.warning(self.request, "PHQ-9 item 9 is above zero: an alert is raised for the responsible "
                                           "clinician. Assess risk today.")
        return redirect(chart_url(self.patient.pk))


class AlertWorklistView(RoleRequiredMixin, ListView):
    """Open alerts for the signed-in clinician (a manager sees every clinician's)."""

    allowed_roles = CLINICAL_ROLES
    template_name = "outcomes/alert_list.html"
    context_object_name = "alerts"

    def get_queryset(self):
        return open_alerts(user=self.request.user)


@require_POST
@role_required(Role.CLINICIAN)
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(AssessmentAlert.objects.select_related("patient"), pk=pk)
    if alert_acknowledge(actor=request.user, alert=alert):
        messages.success(request, f"Alert for {alert.patient.display_name} acknowledged.")
    return redirect_next(request, reverse("outcomes:alerts"))


class OutcomesReportView(RoleRequiredMixin, TemplateView):
    """The clinic's response by indication and cycle, and PHQ-9 / GAD-7 band shifts, for clinicians
    and managers; ``?format=csv`` downloads the same figures."""

    allowed_roles = CLINICAL_ROLES
    template_name = "outcomes/report.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        form = ReportFilterForm(request.GET)  # always bound: no filter at all is the whole clinic
        report = outcomes_report(form.filters()) if form.is_valid() else None
        if report is not None and request.GET.get("format") == "csv":
            audit_access(actor=request.user, action="outcomes.report.exported", shown=form.cleaned_data)
            return csv_streaming_response(report_csv_rows(report),
                                          f"outcomes-report-{timezone.localdate():%Y-%m-%d}.csv")
        csv_query = request.GET.copy()
        csv_query["format"] = "csv"
        return self.render_to_response(self.get_context_data(form=form, report=report,
                                                             csv_query=csv_query.urlencode()))
