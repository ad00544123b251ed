"""Post one fuzzed request and judge it: a server error, a half-save, or fine.

A half-save is a watched row changed without the audit entry that records it, or any change (or
audit entry) left by a request that was refused or failed.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

from django.test import Client

from audit.models import AuditEvent

from .endpoints import Endpoint, Target
from .scene import Scene


@dataclass(frozen=True)
class Outcome:
    status: int
    server_error: str | None  # where the unhandled exception was raised, for grouping
    half_save: str | None  # what was left inconsistent

    @property
    def failed(self) -> bool:
        return bool(self.server_error or self.half_save)


def client_for(scene: Scene, role: str | None) -> Client:
    """A client that returns a 500 response instead of raising, like the server does."""
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(getattr(scene, role))
    return client


def _rows(target: Target) -> tuple:
    return tuple(tuple(queryset.order_by("pk").values_list()) for queryset in target.watch)


def _where(exc_info) -> str:
    frame = traceback.extract_tb(exc_info[2])[-1]
    return f"{exc_info[0].__name__} at {frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} ({frame.name})"


def post_once(client: Client, endpoint: Endpoint, target: Target, data: dict[str, Any]) -> Outcome:
    before, last_event = _rows(target), AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    headers = target.headers(target.url, data) if target.headers else {}
    response = client.post(target.url, data, headers=headers)
    changed = _rows(target) != before
    audited = AuditEvent.objects.filter(pk__gt=last_event, action__in=endpoint.writes).exists()
    server_error = _where(response.exc_info) if getattr(response, "exc_info", None) else None
    if response.status_code >= 500 and server_error is None:
        server_error = f"status {response.status_code}"
    half_save = None
    if (changed or audited) and (server_error or not endpoint.saves_on(response)):
        half_save = f"changed on a {response.status_code} answer"
    elif changed and not audited:
        half_save = "changed without an audit entry"
    return Outcome(response.status_code, server_error, half_save)
