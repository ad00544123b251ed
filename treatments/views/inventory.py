"""Stock: the lots on hand, receiving a lot, and the recall look-up (who received a lot)."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import RoleRequiredMixin
from audit.services import audit_access
from clinic.formats import csv_datetime
from clinic.forms import add_service_errors
from clinic.spreadsheets import csv_streaming_response, safe_cell

from ..forms import LotReceiveForm
from ..models import SessionVial, VialLot
from ..selectors import lot_recipients, lot_recipients_stream
from ..services import lot_receive
from .common import CLINICAL_ROLES, STOCK_ROLES, LotFromUrlMixin


class LotListView(RoleRequiredMixin, ListView):
    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/lot_list.html"
    context_object_name = "lots"

    def get_queryset(self):
        self.show_empty = self.request.GET.get("all") == "1"
        lots = VialLot.objects.select_related("product").order_by("product__brand_name", "expiry_date", "lot_number")
        return lots if self.show_empty else lots.filter(quantity_on_hand__gt=0)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), show_empty=self.show_empty, **kwargs)


class LotReceiveView(RoleRequiredMixin, FormView):
    allowed_roles = STOCK_ROLES
    template_name = "treatments/lot_form.html"
    form_class = LotReceiveForm

    def form_valid(self, form: LotReceiveForm) -> HttpResponse:
        try:
            lot = lot_receive(actor=self.request.user, data=form.lot_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Received {lot.quantity_received} vials: {lot}.")
        return redirect("treatments:lot_list")


class LotRecipientsView(RoleRequiredMixin, LotFromUrlMixin, TemplateView):
    """For a manufacturer's recall: every patient who received this lot, with the session dates."""

    allowed_roles = CLINICAL_ROLES
    template_name = "treatments/lot_recipients.html"

    def get_context_data(self, **kwargs):
        recipients = lot_recipients(self.lot)
        audit_access(actor=self.request.user, action="treatments.lot.recipients_viewed", target=self.lot,
                     patients=[row.patient for row in recipients])
        return super().get_context_data(lot=self.lot, recipients=recipients, **kwargs)


class LotRecipientsCsvView(RoleRequiredMixin, LotFromUrlMixin, View):
    allowed_roles = CLINICAL_ROLES

    def get(self, request, *args, **kwargs) -> StreamingHttpResponse:
        # Which patients the download names, recorded before the first row leaves (one query).
        audit_access(actor=request.user, action="treatments.lot.recipients_exported", target=self.lot,
                     patients=SessionVial.objects.filter(lot=self.lot).values_list("session__patient_id", flat=True))
        return csv_streaming_response(self._rows(), f"lot-{self.lot.lot_number}-recipients.csv")

    def _rows(self) -> Iterator[list[str]]:
        yield ["MRN", "Last name", "First name", "Date of birth", "Phone", "Session date",
               "Session status", "Vials opened", "Product", "Lot", "Expiry"]
        for row in lot_recipients_stream(self.lot):
            yield _recipient_row(row, self.lot)


def _recipient_row(row, lot: VialLot) -> list[str]:
    session, patient = row.session, row.patient
    return [safe_cell(value) for value in (
        patient.mrn, patient.last_name, patient.first_name, patient.date_of_birth.isoformat(),
        patient.phone.as_national if patient.phone else "",
        csv_datetime(session.performed_at), session.get_status_display(),
        row.vials_opened, lot.product.brand_name, lot.lot_number, lot.expiry_date.isoformat(),
    )]
