"""The audit trail in the admin (view-only), and the admin base class whose edits are audited."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.forms import BaseFormSet

from clinic.admin import ViewOnlyMixin

from .models import AuditEvent
from .services import audit_access, configuration_delete, configuration_save


class AuditedConfigurationAdmin(admin.ModelAdmin):
    """A manager's edits of configuration (and of its inlines) go through the audited services,
    inside the admin's own transaction, so no unaudited change can commit."""

    def save_model(self, request, obj, form, change) -> None:
        configuration_save(actor=request.user, instance=obj)

    def save_formset(self, request, form, formset: BaseFormSet, change) -> None:
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            configuration_delete(actor=request.user, instance=removed)
        for instance in instances:
            configuration_save(actor=request.user, instance=instance)
        formset.save_m2m()

    def delete_model(self, request, obj) -> None:
        configuration_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:  # one audited delete each; never a bulk delete
                configuration_delete(actor=request.user, instance=obj)


class ReadAuditedAdminMixin:
    """Admin pages of patient records are reads of PHI: the list records which patients it showed,
    a record's page which patient. ``audit_patient_field`` names the record's patient (``None``
    when the record is the patient)."""

    audit_patient_field: str | None = "patient"

    def _patient_id(self, obj) -> int:
        return obj.pk if self.audit_patient_field is None else getattr(obj, f"{self.audit_patient_field}_id")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            audit_access(actor=request.user, action=f"{self.opts.label_lower}.admin_listed",
                         patients=[self._patient_id(obj) for obj in changelist.result_list])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if shown is not None:
            audit_access(actor=request.user, action=f"{self.opts.label_lower}.admin_viewed",
                         patient=self._patient_id(shown), target=shown)
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Read-only: the admin can browse the trail but never add, change or delete it."""

    list_display = ("sequence", "occurred_at", "actor_label", "action", "patient", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_id")
    list_select_related = ("patient",)
