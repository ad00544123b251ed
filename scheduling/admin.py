"""A manager edits locations, rooms, appointment types, hours and time off here, through the
same audited services as the pages. Appointments are shown only: booking and every change of
status go through ``scheduling.services``, which enforce the no-double-booking rules."""

from django.contrib import admin

from audit.admin import AuditedConfigurationAdmin
from clinic.admin import ViewOnlyMixin

from .models import Appointment, AppointmentType, Location, Room, TimeOff, WorkingHours
from .services import schedule_setting_save


class AuditedAdmin(AuditedConfigurationAdmin):
    def save_model(self, request, obj, form, change):
        schedule_setting_save(actor=request.user, instance=obj)  # also records who entered time off


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # rooms are added on their own page, where the save is audited

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    list_display = ("name", "address", "is_active")
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ("name", "location", "is_active")
    list_filter = ("location", "is_active")
    list_select_related = ("location",)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(AuditedAdmin):
    list_display = ("name", "default_duration_minutes", "is_injection", "is_active", "sort_order")
    list_editable = ()


@admin.register(WorkingHours)
class WorkingHoursAdmin(AuditedAdmin):
    list_display = ("clinician", "weekday", "starts_at", "ends_at", "location")
    list_filter = ("location", "weekday", "clinician")
    list_select_related = ("clinician", "location")


@admin.register(TimeOff)
class TimeOffAdmin(AuditedAdmin):
    list_display = ("clinician", "starts_at", "ends_at", "reason")
    list_filter = ("clinician",)
    list_select_related = ("clinician",)
    date_hierarchy = "starts_at"


@admin.register(Appointment)
class AppointmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("start_at", "patient", "clinician", "room", "appointment_type", "status")
    list_filter = ("status", "appointment_type", "room__location")
    list_select_related = ("patient", "clinician", "room", "appointment_type")
    date_hierarchy = "start_at"
    search_fields = ("patient__last_name", "patient__mrn")
