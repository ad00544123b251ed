"""Admin building blocks shared by the apps: audited configuration edits, and view-only records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms import BaseFormSet
from django.http import HttpRequest

from audit.services import configuration_delete, configuration_save


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


class ViewOnlyMixin:
    """Records that change only through their services (safety checks, state machines, audit):
    the admin may show them, never add, change or delete them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
