from django.contrib import admin

from clinic.admin import ViewOnlyMixin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Read-only: outbox rows change only through the sweep and the worker."""

    list_display = ("id", "patient", "kind", "channel", "state", "due_at", "attempts", "sent_at", "needs_review")
    list_filter = ("state", "kind", "channel", "needs_review")
    search_fields = ("patient__mrn", "patient__last_name", "provider_message_id")
    raw_id_fields = ("patient", "plan", "appointment", "consent")
