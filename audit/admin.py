from django.contrib import admin

from clinic.admin import ViewOnlyMixin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Read-only: the admin can browse the trail but never add, change or delete it."""

    list_display = ("sequence", "occurred_at", "actor_label", "action", "patient", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_id")
    list_select_related = ("patient",)
