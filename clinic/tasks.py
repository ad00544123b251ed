from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task(name="clinic.heartbeat")
def heartbeat() -> None:
    """Record that beat and a worker are both alive (read by the health check)."""
    Heartbeat.objects.update_or_create(name="celery", defaults={"beat_at": timezone.now()})
