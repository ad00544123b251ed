"""Creating and editing treatment plans, and pausing, ending or resuming them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from accounts.access import RoleRequiredMixin, role_required
from accounts.roles import Role
from clinic.forms import add_service_errors

from ..forms import PlanForm
from ..models import PlanStatus, TreatmentPlan
from ..services import plan_create, plan_set_status, plan_update
from .common import CLINICAL_ROLES, PatientFromUrlMixin, PlanFromUrlMixin

# The buttons a plan page offers, in order; the current status's button is hidden.
PLAN_STATUS_ACTIONS = (
    (PlanStatus.ACTIVE.value, "Resume"),
    (PlanStatus.PAUSED.value, "Pause"),
    (PlanStatus.ENDED.value, "End plan"),
)


def chart_url(patient_pk: int) -> str:
    return reverse("patients:detail", kwargs={"pk": patient_pk}) + "#treatment"


class PlanCreateView(RoleRequiredMixin, PatientFromUrlMixin, FormView):
    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/plan_form.html"
    form_class = PlanForm

    def get_initial(self):
        return {"start_date": timezone.localdate(), "responsible_clinician": self.request.user.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(patient=self.patient, **kwargs)

    def form_valid(self, form: PlanForm) -> HttpResponse:
        try:
            plan = plan_create(actor=self.request.user, patient=self.patient, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Plan created: {plan}.")
        return redirect(chart_url(self.patient.pk))


class PlanUpdateView(RoleRequiredMixin, PlanFromUrlMixin, FormView):
    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/plan_form.html"
    form_class = PlanForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            patient=self.patient, plan=self.plan, plan_status_actions=PLAN_STATUS_ACTIONS, **kwargs
        )

    def form_valid(self, form: PlanForm) -> HttpResponse:
        try:
            plan_update(actor=self.request.user, plan=self.plan, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Plan saved.")
        return redirect(chart_url(self.patient.pk))


@require_POST
@role_required(Role.CLINICIAN)
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(TreatmentPlan.objects.select_related("indication", "product"), pk=pk)
    status = request.POST.get("status", "")
    if status not in PlanStatus.values:
        messages.error(request, "Choose active, paused or ended.")
        return redirect(chart_url(plan.patient_id))
    try:
        plan_set_status(actor=request.user, plan=plan, status=PlanStatus(status))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{plan}: {PlanStatus(status).label.lower()}.")
    return redirect(chart_url(plan.patient_id))
