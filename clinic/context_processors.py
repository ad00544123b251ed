from django.conf import settings
from django.http import HttpRequest

from accounts.roles import roles_of


def clinic(request: HttpRequest) -> dict:
    """The clinic's name and phone, and the signed-in user's roles, for every template."""
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "idle_logoff_minutes": settings.SESSION_COOKIE_AGE // 60,
        "user_roles": roles_of(request.user) if hasattr(request, "user") else frozenset(),
    }
