from django.contrib import admin

from audit.admin import ReadAuditedAdminMixin
from clinic.admin import ViewOnlyMixin

from .models import ContactConsent, Patient
from .services import PATIENT_FIELDS, patient_create, patient_update


@admin.register(Patient)
class PatientAdmin(ReadAuditedAdminMixin, admin.ModelAdmin):
    """Admin edits go through the same audited services as the pages; its pages are audited reads."""

    audit_patient_field = None

    list_display = ("mrn", "last_name", "first_name", "date_of_birth", "phone", "is_archived")
    search_fields = ("mrn", "last_name", "first_name", "phone")
    list_filter = ("is_archived", "preferred_channel")
    fields = ("mrn",) + PATIENT_FIELDS
    readonly_fields = ("mrn",)

    def has_delete_permission(self, request, obj=None):
        return False  # patients are archived, never deleted

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in PATIENT_FIELDS if name in form.cleaned_data}
        if change:
            saved = patient_update(actor=request.user, patient=obj, data=data)
        else:
            saved = patient_create(actor=request.user, data=data)
        obj.pk, obj.mrn = saved.pk, saved.mrn


@admin.register(ContactConsent)
class ContactConsentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Consent is recorded from the patient page (audited); the admin only shows it."""

    list_display = ("patient", "channel", "given_at", "given_method", "withdrawn_at")
    list_select_related = ("patient",)
