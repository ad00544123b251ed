"""Billing summaries of signed sessions, as a page and as CSV (one session or a date range)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin
from audit.services import audit_access
from clinic.clock import local_date
from clinic.spreadsheets import csv_response, csv_streaming_response

from ..billing import billing_csv, billing_csv_rows, billing_summary
from ..forms import DateRangeForm
from ..selectors import billing_sessions, sessions_with_parts
from .common import CLINICAL_ROLES, SessionFromUrlMixin


class SignedSessionMixin(SessionFromUrlMixin):
    """A draft has no bill yet: send the user back to finish and sign it."""

    def get(self, request, *args, **kwargs):
        if not self.session.is_signed:
            messages.info(request, "Sign the session first: only a signed session has a billing summary.")
            return redirect("treatments:session_detail", pk=self.session.pk)
        return self.signed_get(request, *args, **kwargs)


class BillingSummaryView(RoleRequiredMixin, SignedSessionMixin, TemplateView):
    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/billing_summary.html"

    def signed_get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(
            session=self.session, plan=self.plan, patient=self.patient, summary=billing_summary(self.session),
        ))


class BillingCsvView(RoleRequiredMixin, SignedSessionMixin, View):
    allowed_roles = CLINICAL_ROLES

    def signed_get(self, request, *args, **kwargs):
        day = local_date(self.session.performed_at)
        audit_access(actor=request.user, action="treatments.billing.exported", patient=self.patient,
                     target=self.session)
        return csv_response(billing_csv([self.session]), f"billing-{self.patient.mrn}-{day:%Y-%m-%d}.csv")


class BillingExportView(RoleRequiredMixin, TemplateView):
    """Signed sessions in a date range (clinic days, inclusive) as one CSV for the biller."""

    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/billing_export.html"

    def get(self, request, *args, **kwargs):
        form = DateRangeForm(request.GET or None)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        sessions = billing_sessions(since=data["since"], until=data["until"], product=data.get("product"))
        # Which patients the download names, recorded before the first row leaves (one query).
        audit_access(actor=request.user, action="treatments.billing.exported",
                     patients=sessions.values_list("patient_id", flat=True).distinct(), shown=data)
        return csv_streaming_response(billing_csv_rows(sessions_with_parts(sessions)),
                                      f"billing-{data['since']:%Y-%m-%d}-to-{data['until']:%Y-%m-%d}.csv")
