"""Choose the Celery broker for `make run`: the configured one, local Redis, or an embedded one.

Printed by ``python -m clinic.broker`` so the run script can hand the same URL to web, worker
and beat. The embedded broker is kombu's SQLAlchemy transport on a SQLite file: a real broker
that needs no server, so a bare machine still runs a real worker and beat.
"""

from __future__ import annotations

import os
from pathlib import Path

import redis

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
EMBEDDED_BROKER_PATH = Path(__file__).resolve().parent.parent / "var" / "celery-broker.sqlite3"


def redis_answers(url: str, *, timeout: float = 0.5) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout).ping())
    except (redis.RedisError, OSError):
        return False


def broker_url_for_run(environ: dict[str, str] | None = None, *, redis_url: str = LOCAL_REDIS_URL) -> str:
    """The configured broker, else ``redis_url`` if a Redis answers there, else the embedded one."""
    environ = os.environ if environ is None else environ
    if configured := environ.get("CELERY_BROKER_URL"):
        return configured
    if redis_answers(redis_url):
        return redis_url
    EMBEDDED_BROKER_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqla+sqlite:///{EMBEDDED_BROKER_PATH}"


if __name__ == "__main__":
    print(broker_url_for_run())
