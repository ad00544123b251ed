"""Admin for the treatments app.

Reference data (indications, codes, products, protocols, dose rules, muscles) is configuration a
manager edits here; every save or delete is written to the audit trail inside the admin's own
transaction. Clinical records (plans, sessions, lots) are view-only: they change only through
``treatments.services``, which run the safety checks and audit each write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseFormSet
from django.http import HttpRequest

from audit.services import audit_record, changes_between, field_values

from .models import (
    DiagnosisCode,
    DoseRule,
    Indication,
    InjectionSession,
    InjectionSite,
    Muscle,
    Product,
    ProductVialSize,
    ProtocolSite,
    ProtocolTemplate,
    SafetyOverride,
    SessionAddendum,
    SessionVial,
    TreatmentPlan,
    VialLot,
)

REFERENCE_CHANGED = "treatments.reference.changed"
REFERENCE_CREATED = "treatments.reference.created"
REFERENCE_DELETED = "treatments.reference.deleted"


def _audited_fields(instance: models.Model) -> list[str]:
    return [f.attname for f in instance._meta.concrete_fields if f.attname not in ("id",)]


def _snapshot(instance: models.Model) -> dict[str, Any]:
    """The row as it is in the database now (before the form's changes are saved)."""
    if instance.pk is None:
        return {}
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return field_values(stored, _audited_fields(stored)) if stored is not None else {}


def reference_save_audited(*, actor: Any, instance: models.Model, save: Any) -> None:
    """Save one reference row with ``save()`` and append its before/after to the audit trail,
    in one transaction so that an unaudited change can never commit."""
    with transaction.atomic():
        before = _snapshot(instance)
        save()
        after = field_values(instance, _audited_fields(instance))
        changes = changes_between(before, after)
        if before and not changes:
            return
        audit_record(
            actor=actor, action=REFERENCE_CHANGED if before else REFERENCE_CREATED,
            target=instance, changes=changes,
        )


def reference_delete_audited(*, actor: Any, instance: models.Model) -> None:
    """Delete an unused reference row (rows in use are PROTECTed) and audit what it held."""
    with transaction.atomic():
        before = field_values(instance, _audited_fields(instance))
        audit_record(
            actor=actor, action=REFERENCE_DELETED, target=instance,
            changes=changes_between(before, {}),
        )
        instance.delete()


class AuditedReferenceAdmin(admin.ModelAdmin):
    """Audits the row and its inlines. Django's admin already wraps the change form in
    ``transaction.atomic``; the nested atomic blocks above keep that true for any other caller."""

    def save_model(self, request, obj, form, change) -> None:
        reference_save_audited(actor=request.user, instance=obj, save=obj.save)

    def save_formset(self, request, form, formset: BaseFormSet, change) -> None:
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            reference_delete_audited(actor=request.user, instance=removed)
        for instance in instances:
            reference_save_audited(actor=request.user, instance=instance, save=instance.save)
        formset.save_m2m()

    def delete_model(self, request, obj) -> None:
        reference_delete_audited(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                reference_delete_audited(actor=request.user, instance=obj)


SOURCED_FIELDSET = ("Source", {"fields": ("source", "confidence"),
                               "description": "CLINICAL.md row and its confidence mark. "
                                              "U (unverified) figures are clinic configuration, not label fact."})


class DiagnosisCodeInline(admin.TabularInline):
    model = DiagnosisCode
    extra = 0
    fields = ("code", "description", "is_billable", "source", "confidence")


class ProtocolTemplateInline(admin.TabularInline):
    model = ProtocolTemplate
    extra = 0
    fields = ("name", "product", "is_active", "source", "confidence")
    show_change_link = True


@admin.register(Indication)
class IndicationAdmin(AuditedReferenceAdmin):
    list_display = ("name", "code", "population", "default_cycle_weeks", "minimum_interval_weeks",
                    "is_active", "source", "confidence")
    list_filter = ("population", "confidence", "is_active")
    search_fields = ("name", "code", "diagnosis_codes__code")
    inlines = [DiagnosisCodeInline, ProtocolTemplateInline]
    fieldsets = (
        (None, {"fields": ("name", "code", "population", "is_active", "sort_order")}),
        ("Procedure and cycle", {"fields": ("cpt_codes", "bills_by_limb", "default_cycle_weeks",
                                            "minimum_interval_weeks", "outcome_scales")}),
        SOURCED_FIELDSET,
    )


class ProductVialSizeInline(admin.TabularInline):
    model = ProductVialSize
    extra = 0
    fields = ("units", "volume_ml", "source", "confidence")


@admin.register(Product)
class ProductAdmin(AuditedReferenceAdmin):
    list_display = ("brand_name", "generic_name", "hcpcs_code", "units_per_billing_unit", "use_within_hours",
                    "is_active", "source", "confidence")
    list_filter = ("confidence", "is_active")
    search_fields = ("brand_name", "generic_name", "hcpcs_code")
    inlines = [ProductVialSizeInline]
    fieldsets = (
        (None, {"fields": ("brand_name", "generic_name", "code", "is_active")}),
        ("Billing and handling", {"fields": ("hcpcs_code", "units_per_billing_unit", "is_ready_to_use_solution",
                                             "use_within_hours")}),
        SOURCED_FIELDSET,
    )


class ProtocolSiteInline(admin.TabularInline):
    model = ProtocolSite
    extra = 0
    fields = ("order", "muscle", "side", "units", "points")
    autocomplete_fields = ("muscle",)


@admin.register(ProtocolTemplate)
class ProtocolTemplateAdmin(AuditedReferenceAdmin):
    list_display = ("name", "indication", "product", "is_active", "source", "confidence")
    list_filter = ("indication", "confidence", "is_active")
    list_select_related = ("indication", "product")
    search_fields = ("name",)
    inlines = [ProtocolSiteInline]
    fieldsets = ((None, {"fields": ("name", "indication", "product", "description", "is_active")}), SOURCED_FIELDSET)


@admin.register(DoseRule)
class DoseRuleAdmin(AuditedReferenceAdmin):
    list_display = ("name", "code", "kind", "severity", "product", "indication", "population", "limit_units",
                    "limit_units_per_kg", "window_days", "is_active", "source", "confidence")
    list_filter = ("kind", "severity", "confidence", "population", "is_active")
    list_select_related = ("product", "indication", "muscle")
    search_fields = ("name", "code")
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "severity", "is_active")}),
        ("Applies to", {"fields": ("product", "indication", "muscle", "population"),
                        "description": "Blank means any."}),
        ("Limit", {"fields": ("limit_units", "limit_units_per_kg", "window_days")}),
        SOURCED_FIELDSET,
    )


@admin.register(Muscle)
class MuscleAdmin(AuditedReferenceAdmin):
    list_display = ("name", "region", "is_paired")
    list_filter = ("region",)
    search_fields = ("name",)


class ViewOnlyMixin:
    """Clinical records change only through the services (safety checks, stock, audit)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyInline(ViewOnlyMixin, admin.TabularInline):
    extra = 0


class InjectionSiteInline(ViewOnlyInline):
    model = InjectionSite
    fields = ("muscle", "side", "units", "points", "guidance")


class SessionVialInline(ViewOnlyInline):
    model = SessionVial
    fields = ("lot", "vials_opened", "diluent_ml", "reconstituted_at")


class SafetyOverrideInline(ViewOnlyInline):
    model = SafetyOverride
    fields = ("check_code", "message", "reason", "overridden_by", "overridden_at")


class SessionAddendumInline(ViewOnlyInline):
    model = SessionAddendum
    fields = ("written_at", "author", "text")


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("patient", "indication", "diagnosis_code", "product", "responsible_clinician", "status",
                    "start_date")
    list_filter = ("status", "indication", "product")
    list_select_related = ("patient", "indication", "diagnosis_code", "product", "responsible_clinician")
    search_fields = ("patient__mrn", "patient__last_name")


@admin.register(InjectionSession)
class InjectionSessionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("performed_at", "patient", "product", "status", "clinician", "signed_by")
    list_filter = ("status", "product")
    list_select_related = ("patient", "product", "clinician", "signed_by")
    search_fields = ("patient__mrn", "patient__last_name")
    date_hierarchy = "performed_at"
    inlines = [InjectionSiteInline, SessionVialInline, SafetyOverrideInline, SessionAddendumInline]


@admin.register(VialLot)
class VialLotAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("product", "lot_number", "vial_units", "expiry_date", "quantity_on_hand", "quantity_received",
                    "location")
    list_filter = ("product",)
    list_select_related = ("product",)
    search_fields = ("lot_number",)
