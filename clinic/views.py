from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

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


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its day starts."""
    roles = roles_of(request.user)
    if Role.FRONT_DESK in roles or Role.CLINICIAN in roles or Role.MANAGER in roles:
        return redirect("patients:list")
    return HttpResponse("Your account has no role yet. Ask a manager to assign one.", status=403)
