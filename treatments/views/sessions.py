"""Injection sessions: start one from a plan, edit the draft, preview totals live, sign, and add
addenda to a signed session. Every write goes through ``treatments.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin, role_required
from accounts.roles import Role, roles_of
from audit.services import audit_access
from clinic.clock import local_date
from clinic.forms import add_service_errors

from ..dosing import session_dose_totals, units_label
from ..forms import AddendumForm, SessionEditor, SignForm
from ..forms.sessions import ADD_ROWS
from ..models import InjectionSession, PlanStatus, TreatmentPlan
from ..safety import safety_check_session
from ..services import (
    OverrideReasonRequired,
    SessionLocked,
    SigningBlocked,
    session_addendum_add,
    session_save,
    session_sign,
    session_start,
)
from .common import CLINICAL_ROLES, SessionFromUrlMixin
from .editor import editor_choices, editor_panel, saved_input


def session_url(pk: int) -> str:
    return reverse("treatments:session_detail", kwargs={"pk": pk})


@require_POST
@role_required(Role.CLINICIAN)
def session_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """'Start session' on a plan: a draft with the plan's template sites, dated now."""
    plan = get_object_or_404(TreatmentPlan.objects.select_related("patient", "product", "protocol_template"), pk=pk)
    if plan.status != PlanStatus.ACTIVE:
        messages.error(request, f"This plan is {plan.get_status_display().lower()}: resume it to start a session.")
        return redirect(reverse("patients:detail", kwargs={"pk": plan.patient_id}) + "#treatment")
    try:
        session = session_start(actor=request.user, plan=plan, performed_at=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("patients:detail", kwargs={"pk": plan.patient_id}) + "#treatment")
    return redirect(session_url(session.pk))


class SessionDetailView(RoleRequiredMixin, SessionFromUrlMixin, TemplateView):
    """A draft opens in the editor; a signed session is read-only, with addenda."""

    allowed_roles = CLINICAL_ROLES

    def get_template_names(self) -> list[str]:
        return ["treatments/session_signed.html" if self.session.is_signed else "treatments/session_editor.html"]

    def get(self, request, *args, **kwargs) -> HttpResponse:
        audit_access(actor=request.user, action="treatments.session.viewed", patient=self.patient, target=self.session)
        if self.session.is_signed:
            return self.render_to_response(self.signed_context(addendum_form=AddendumForm()))
        editor = self._editor()
        return self.render_to_response(self.editor_context(
            editor, editor_panel(session=self.session, data=saved_input(self.session))))

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if self.session.is_signed:
            messages.error(request, SessionLocked().messages[0])
            return redirect(session_url(self.session.pk))
        if "add_rows" in request.POST:
            which = request.POST["add_rows"] if request.POST["add_rows"] in ADD_ROWS else "sites"
            editor = self._editor(data=request.POST, extra_rows={which: ADD_ROWS[which]})
            for form in (editor.header, *editor.vials.forms, *editor.sites.forms):
                form.is_valid()  # keep the rows as typed; errors are shown only on save
            return self._render_unsaved(editor, show_errors=False)
        editor = self._editor(data=request.POST)
        if not editor.is_valid():
            return self._render_unsaved(editor)
        try:
            report = session_save(actor=request.user, session=self.session, data=editor.session_input())
        except ValidationError as exc:
            add_service_errors(editor.header, exc)
            return self._render_unsaved(editor)
        if "sign" in request.POST:
            return redirect("treatments:session_sign", pk=self.session.pk)
        if report.hard:
            messages.warning(request, "Draft saved. It cannot be signed until the findings marked "
                                      "'Blocks signing' are resolved.")
        else:
            messages.success(request, "Draft saved.")
        return redirect(session_url(self.session.pk))

    def _editor(self, data=None, extra_rows: dict[str, int] | None = None) -> SessionEditor:
        day = local_date(self.session.performed_at)
        return SessionEditor(session=self.session, patient=self.patient, data=data,
                             choices=editor_choices(self.session, day), extra_rows=extra_rows)

    def _render_unsaved(self, editor: SessionEditor, show_errors: bool = True) -> HttpResponse:
        data, problems = editor.draft_input()
        context = self.editor_context(editor, editor_panel(session=self.session, data=data, problems=problems))
        context["show_errors"] = show_errors
        if not show_errors:
            for formset in (editor.vials, editor.sites):
                formset.helper.form_show_errors = False
            editor.header.helper.form_show_errors = False
        return self.render_to_response(context, status=200)

    def editor_context(self, editor: SessionEditor, panel: dict) -> dict:
        return self.get_context_data(
            session=self.session, plan=self.plan, patient=self.patient, editor=editor, panel=panel,
            can_sign=Role.CLINICIAN in roles_of(self.request.user), show_errors=True,
        )

    def signed_context(self, **extra) -> dict:
        return self.get_context_data(
            session=self.session, plan=self.plan, patient=self.patient,
            totals=session_dose_totals(self.session), units_label=units_label, **extra,
        )


class SessionPreviewView(RoleRequiredMixin, SessionFromUrlMixin, View):
    """The editor's live totals: the unsaved form in, the panel's figures out. Saves nothing."""

    allowed_roles = CLINICAL_ROLES

    def post(self, request, *args, **kwargs) -> JsonResponse:
        if self.session.is_signed:
            return JsonResponse({"error": SessionLocked().messages[0]}, status=409)
        editor = SessionEditor(session=self.session, patient=self.patient, data=request.POST,
                               choices=editor_choices(self.session, local_date(self.session.performed_at)))
        data, problems = editor.draft_input()
        return JsonResponse(editor_panel(session=self.session, data=data, problems=problems))


class SessionSignView(RoleRequiredMixin, SessionFromUrlMixin, TemplateView):
    """Shows every finding of the saved draft: hard ones block; each warning needs a reason."""

    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/session_sign.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        if self.session.is_signed:
            return redirect(session_url(self.session.pk))
        report = safety_check_session(self.session)
        return self.render_to_response(self._context(report, SignForm(warnings=report.warnings)))

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if self.session.is_signed:
            messages.info(request, "This session is already signed.")
            return redirect(session_url(self.session.pk))
        report = safety_check_session(self.session)
        form = SignForm(request.POST, warnings=report.warnings)
        if report.blocks_signing or not form.is_valid():
            return self.render_to_response(self._context(report, form))
        try:
            session_sign(actor=request.user, session=self.session, overrides=form.overrides())
        except SigningBlocked as exc:
            return self.render_to_response(self._context(exc.report, form))
        except OverrideReasonRequired as exc:
            form = SignForm(request.POST, warnings=exc.report.warnings)
            form.is_valid()
            for code in exc.missing_codes:
                if f"reason_{code}" in form.fields:
                    form.add_error(f"reason_{code}", "Write why you are proceeding despite this warning.")
            return self.render_to_response(self._context(exc.report, form))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self._context(report, form))
        messages.success(request, "Session signed. It is now locked; corrections are added as addenda.")
        return redirect(session_url(self.session.pk))

    def _context(self, report, form: SignForm) -> dict:
        return self.get_context_data(
            session=self.session, plan=self.plan, patient=self.patient, report=report, form=form,
            total_label=units_label(report.total_units, self.session.product),
            can_sign=Role.CLINICIAN in roles_of(self.request.user),
        )


@require_POST
@role_required(Role.CLINICIAN)
def session_addendum_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(InjectionSession, pk=pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            session_addendum_add(actor=request.user, session=session, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Addendum added.")
    else:
        messages.error(request, "Write the addendum's text (at least a few words).")
    return redirect(session_url(pk) + "#addenda")
