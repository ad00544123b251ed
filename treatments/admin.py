"""Admin for the treatments app.

Reference data (indications, codes, products, protocols, dose rules, muscles) is configuration a
manager edits here; every save or delete is audited (``audit.services.configuration_save``).
Clinical records (plans, sessions, lots) are view-only: they change only through
``treatments.services``, which run the safety checks and audit each write.
"""

from __future__ import annotations

from django.contrib import admin

from audit.admin import AuditedConfigurationAdmin, ReadAuditedAdminMixin
from clinic.admin import ViewOnlyMixin

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

SOURCED_FIELDSET = ("Source", {"fields": ("source", "confidence"),
                               "description": "The original document and its confidence mark. "
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
class IndicationAdmin(AuditedConfigurationAdmin):
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
class ProductAdmin(AuditedConfigurationAdmin):
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
class ProtocolTemplateAdmin(AuditedConfigurationAdmin):
    list_display = ("name", "indication", "product", "is_active", "source", "confidence")
    list_filter = ("indication", "confidence", "is_active")
    list_select_related = ("indication", "product")
    search_fields = ("name",)
    inlines = [ProtocolSiteInline]
    fieldsets = ((None, {"fields": ("name", "indication", "product", "description", "is_active")}), SOURCED_FIELDSET)


@admin.register(DoseRule)
class DoseRuleAdmin(AuditedConfigurationAdmin):
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
class MuscleAdmin(AuditedConfigurationAdmin):
    list_display = ("name", "region", "is_paired")
    list_filter = ("region",)
    search_fields = ("name",)


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
class InjectionSessionAdmin(ReadAuditedAdminMixin, ViewOnlyMixin, admin.ModelAdmin):
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
