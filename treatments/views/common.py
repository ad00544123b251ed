"""Shared pieces of the treatments views: roles, and loading the row a URL names.

Rows are loaded in ``dispatch`` *after* ``RoleRequiredMixin`` has checked the role (the mixin comes
first in each view's bases), so that a user without the role gets 403 whether or not the id
exists: a 404 would tell them which ids are real.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.roles import Role
from patients.models import Patient

from ..models import TreatmentPlan, VialLot
from ..selectors import session_queryset

# Clinical records: clinicians (and managers, who may do everything). Never front desk.
CLINICAL_ROLES = (Role.CLINICIAN,)
# Receiving stock changes inventory counts the clinic pays for: managers only.
STOCK_ROLES = (Role.MANAGER,)


class PatientFromUrlMixin:
    def dispatch(self, request, *args, **kwargs):
        self.patient = get_object_or_404(Patient, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class PlanFromUrlMixin:
    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(
            TreatmentPlan.objects.select_related("patient", "indication", "diagnosis_code", "product",
                                                 "protocol_template", "responsible_clinician"),
            pk=kwargs["pk"],
        )
        self.patient = self.plan.patient
        return super().dispatch(request, *args, **kwargs)


class SessionFromUrlMixin:
    def dispatch(self, request, *args, **kwargs):
        self.session = get_object_or_404(session_queryset(), pk=kwargs["pk"])
        self.plan, self.patient = self.session.plan, self.session.patient
        return super().dispatch(request, *args, **kwargs)


class LotFromUrlMixin:
    def dispatch(self, request, *args, **kwargs):
        self.lot = get_object_or_404(VialLot.objects.select_related("product"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)
