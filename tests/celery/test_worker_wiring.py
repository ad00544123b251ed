"""Beat's heartbeat task travels through a real broker to a real worker and lands in the database."""

from __future__ import annotations

import pytest
from django.test import Client

from clinic.models import Heartbeat
from clinic.tasks import heartbeat

from .fixtures import project_app_on_broker, wait_for, worker_running

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def _heartbeat_written() -> Heartbeat | None:
    return Heartbeat.objects.filter(name="celery").first()


def test_heartbeat_runs_through_the_redis_broker_and_worker(celery_worker, client: Client):
    assert Heartbeat.objects.count() == 0

    heartbeat.delay()

    wait_for(_heartbeat_written)
    health = client.get("/health/").json()
    assert health["database"] == "ok"
    assert 0 <= health["celery_heartbeat_age_seconds"] < 30


def test_no_test_runs_celery_eagerly(celery_app):
    assert not celery_app.conf.task_always_eager


def test_embedded_broker_carries_the_heartbeat_to_a_worker(tmp_path):
    """The broker `make run` falls back to when no Redis answers: kombu's SQLAlchemy transport."""
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    with project_app_on_broker(url) as app, worker_running(app):
        heartbeat.delay()
        wait_for(_heartbeat_written)
    assert Heartbeat.objects.get(name="celery").beat_at is not None
