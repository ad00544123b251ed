from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.access import role_required
from accounts.roles import Role, roles_of

from .models import Heartbeat


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and the run script: the database answers; when beat last ran.

    Public by design, so it says nothing about patients.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    beat = Heartbeat.objects.filter(name="celery").values_list("beat_at", flat=True).first()
    age = (timezone.now() - beat).total_seconds() if beat else None
    return JsonResponse({"database": "ok", "celery_heartbeat_age_seconds": age})


@role_required(Role.FRONT_DESK, Role.CLINICIAN)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its day starts: front desk and managers to today's day view, a
    clinician to their own column of it. A user with no role gets the 403 page."""
    day = reverse("scheduling:day")
    if roles_of(request.user) & {Role.FRONT_DESK, Role.MANAGER}:
        return redirect(day)
    return redirect(f"{day}?{urlencode({'clinician': request.user.pk})}")


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """static/favicon.svg for browsers that ask for /favicon.ico before reading the page's
    ``<link rel=icon>`` (they go by the content type, not the name)."""
    response = HttpResponse(Path(finders.find("favicon.svg")).read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
