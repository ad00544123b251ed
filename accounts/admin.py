"""Staff accounts in the admin. Every save goes through the audited services; roles change only
through ``staff_role_set`` (the Role field), never by ticking groups or permissions; superuser
status, and a superuser's account, are for superusers alone."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.db import transaction

from .models import User
from .roles import Role
from .services import role_of, staff_account_save, staff_role_set

ROLE_CHOICES = [("", "(no role)")] + [(role.value, role.value.capitalize()) for role in Role]


class StaffUserChangeForm(UserChangeForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False,
                             help_text="What this person may do. Changing it is recorded in the audit trail.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = role_of(self.instance) if self.instance.pk else None
        self.fields["role"].initial = current.value if current else ""


class UnsavedPasswordChangeForm(AdminPasswordChangeForm):
    """Sets the new password on the account without saving it: ``StaffUserAdmin.log_change``
    saves it through the audited service, in the same transaction."""

    def save(self, commit: bool = True) -> User:
        return super().save(commit=False)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    change_password_form = UnsavedPasswordChangeForm
    fieldsets = UserAdmin.fieldsets + (("Clinic", {"fields": ("display_name", "role")}),)
    list_display = ("username", "display_name", "email", "is_active", "is_staff")

    def get_readonly_fields(self, request, obj=None):
        # Groups and permissions are the roles' business (accounts.roles); is_staff follows the role.
        locked = ("groups", "user_permissions", "is_staff")
        if not request.user.is_superuser:
            locked += ("is_superuser",)
        return (*super().get_readonly_fields(request, obj), *locked)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        staff_account_save(actor=request.user, user=obj)
        if change and "role" in form.changed_data and form.cleaned_data["role"]:
            staff_role_set(actor=request.user, user=obj, role=Role(form.cleaned_data["role"]))

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():  # the password and its audit entry commit together
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        if message and any("password" in part.get("changed", {}).get("fields", []) for part in message):
            staff_account_save(actor=request.user, user=obj)  # the password form set it, unsaved
        return super().log_change(request, obj, message)
