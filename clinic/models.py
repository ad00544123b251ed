from django.db import models


class Heartbeat(models.Model):
    """One row per named beacon, touched by a Celery task that beat schedules.

    The health check reads it to tell whether beat and a worker are alive.
    """

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
