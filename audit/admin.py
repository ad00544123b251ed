from django.contrib import admin

from clinic.admin import ViewOnlyMixin

from .models import AuditEvent
from .services import audit_access


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
