"""Response rules are clinic configuration a manager edits (audited); assessments and alerts are
view-only here: they change only through ``outcomes.services``."""

from __future__ import annotations

from django.contrib import admin

from audit.admin import AuditedConfigurationAdmin as AuditedReferenceAdmin
from clinic.admin import ViewOnlyMixin

from .models import Assessment, AssessmentAlert, ResponseRule


@admin.register(ResponseRule)
class ResponseRuleAdmin(AuditedReferenceAdmin):
    list_display = ("name", "indication", "instrument", "after_cycles", "minimum_improvement_percent", "is_active")


@admin.register(Assessment)
class AssessmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("patient", "instrument", "taken_on", "total", "band", "reported_by")
    list_filter = ("instrument", "reported_by")


@admin.register(AssessmentAlert)
class AssessmentAlertAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("patient", "kind", "clinician", "raised_at", "acknowledged_at")
