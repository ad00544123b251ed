"""Admin building blocks shared by the apps: view-only records. (Audited configuration edits:
``audit.admin.AuditedConfigurationAdmin``.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ViewOnlyMixin:
    """Records that change only through their services (safety checks, state machines, audit):
    the admin may show them, never add, change or delete them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
