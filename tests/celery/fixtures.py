"""Fixtures for tests that need a real Celery broker and worker (never eager mode).

Registered for the whole suite from ``tests/conftest.py``, so any app's tests can ask for
``celery_worker``. The worker runs in a thread of the test process with the project's own app,
pointed at a real broker: Redis from ``CELERY_BROKER_URL`` (default database 15, so tests never
touch the development queue in database 0).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.worker import WorkController
from kombu import Connection, pools

from clinic.celery import app as project_app

TEST_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")

# Every test session gets its own key prefix on Redis, so two suites running at once on one
# machine (two developers, or a developer and CI) never consume each other's messages.
SESSION_KEY_PREFIX = f"clinic-test-{uuid.uuid4().hex[:12]}:"


def broker_answers(url: str, *, timeout: float = 2.0) -> bool:
    try:
        with Connection(url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
    except Exception:  # noqa: BLE001 - any failure to connect means "no broker here"
        return False
    return True


def _drop_connection_pools(app: Celery) -> None:
    """Forget pooled connections, so the next publish connects to the broker now configured.

    Celery builds its connection and producer pools lazily from ``broker_url`` and keeps them;
    this is what Celery itself does after a fork (``Celery._after_fork``).
    """
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def project_app_on_broker(url: str) -> Iterator[Celery]:
    """The project's Celery app, publishing to and consuming from ``url`` until the block ends."""
    keys = ("broker_url", "broker_transport_options", "worker_hijack_root_logger")
    saved = {key: project_app.conf[key] for key in keys}
    # The configured options belong to the configured broker (Redis); another transport gets none.
    options: dict[str, object] = {}
    if url.startswith(("redis://", "rediss://")):
        options = {**(saved["broker_transport_options"] or {}), "global_keyprefix": SESSION_KEY_PREFIX}
    _drop_connection_pools(project_app)
    project_app.conf.update(
        broker_url=url,
        broker_transport_options=options,
        # Leave pytest's log capture alone.
        worker_hijack_root_logger=False,
    )
    try:
        yield project_app
    finally:
        _drop_connection_pools(project_app)
        project_app.conf.update(saved)


@contextmanager
def worker_running(app: Celery) -> Iterator[WorkController]:
    """A real worker (solo pool, in a thread) consuming the app's default queue.

    The ping check is off because the project ignores results and has no result backend;
    callers wait on the effect in the database instead.
    """
    app.control.purge()  # leftovers of an interrupted run are not this test's work
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


def wait_for(condition: Callable[[], object], *, timeout: float = 20.0, interval: float = 0.1) -> object:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    pytest.fail(f"gave up after {timeout:.0f}s waiting for {getattr(condition, '__name__', condition)}")


@pytest.fixture(scope="session")
def celery_broker_url() -> str:
    """The real broker for the suite; skips (fails in CI) when nothing answers there."""
    if not broker_answers(TEST_BROKER_URL):
        message = (
            f"no Celery broker answers at {TEST_BROKER_URL}: start Redis "
            "(redis-server --daemonize yes --bind 127.0.0.1 --port 6379) or set CELERY_BROKER_URL"
        )
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must test against a real broker.")
        pytest.skip(message)
    return TEST_BROKER_URL


@pytest.fixture
def celery_app(celery_broker_url: str) -> Iterator[Celery]:
    """The project's Celery app configured for the real test broker."""
    with project_app_on_broker(celery_broker_url) as app:
        yield app


@pytest.fixture
def celery_worker(celery_app: Celery, transactional_db: None) -> Iterator[WorkController]:
    """A started worker for ``celery_app``.

    The worker runs in another thread with its own database connection, so it sees only
    committed rows: hence the transactional database (no wrapping test transaction).

    kombu's process-wide pools are forgotten first: Celery's ``app.pool`` comes from
    ``kombu.pools.connections[connection]``, so after an earlier test's teardown closed it
    (``force_close_all``), this one would get the same closed pool back for the same broker URL
    ("Acquire on closed pool"), whichever app's tests ran before it in this process.
    """
    _drop_connection_pools(celery_app)
    pools.reset()
    with worker_running(celery_app) as worker:
        yield worker
