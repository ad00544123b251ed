"""The run command's broker: the configured one, else local Redis, else the embedded one."""

from __future__ import annotations

import socket

import pytest

from clinic.broker import EMBEDDED_BROKER_PATH, LOCAL_REDIS_URL, broker_url_for_run, redis_answers


def _port_where_nothing_listens() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed on exit: nothing listens there now


def test_a_configured_broker_url_wins():
    configured = "redis://broker.internal:6380/2"
    assert broker_url_for_run({"CELERY_BROKER_URL": configured}) == configured


def test_local_redis_is_used_when_it_answers():
    if not redis_answers(LOCAL_REDIS_URL):
        pytest.skip(f"no Redis answers at {LOCAL_REDIS_URL} on this machine")
    assert broker_url_for_run({}) == LOCAL_REDIS_URL


def test_the_embedded_broker_is_used_when_no_redis_answers():
    nowhere = f"redis://127.0.0.1:{_port_where_nothing_listens()}/0"
    url = broker_url_for_run({}, redis_url=nowhere)
    assert url == f"sqla+sqlite:///{EMBEDDED_BROKER_PATH}"
    assert EMBEDDED_BROKER_PATH.parent.is_dir()
