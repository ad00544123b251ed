"""How a lower app tells a higher one that something happened, without importing it.

Apps depend in one direction (docs/architecture.md). When a write in a lower app must be
followed by work in a higher one (an appointment booked: its reminders), the lower app declares
a named ``Hook`` in its ``hooks.py`` and its service sends the hook a typed event; the higher app
registers a handler with ``@<hook>.handler`` in its ``handlers.py``, which its
``AppConfig.ready`` imports. Each hook names the modules its handlers live in (``handled_in``),
and a handler from any other module is refused, so every handler can be found from the call.

Unlike Django signals: the event is typed, handlers run in registration order (the order of
INSTALLED_APPS, as ``ready`` runs), and an exception in a handler propagates to the sender. A
service sends from inside its own transaction, so its write and everything its handlers did
commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

E = TypeVar("E")


class Hook(Generic[E]):
    """One named event: ``send(event)`` calls every registered handler with it, in order."""

    def __init__(self, name: str, event_type: type[E], *, handled_in: tuple[str, ...]) -> None:
        self.name = name
        self.event_type = event_type
        self.handled_in = handled_in
        self._handlers: list[Callable[[E], None]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {[handler.__qualname__ for handler in self._handlers]}>"

    @property
    def handlers(self) -> tuple[Callable[[E], None], ...]:
        return tuple(self._handlers)

    def handler(self, function: Callable[[E], None]) -> Callable[[E], None]:
        """Register ``function`` (a decorator). Only from a module the hook names, and only once:
        a handler registered twice would act twice."""
        if function.__module__ not in self.handled_in:
            raise ImproperlyConfigured(
                f"{function.__module__}.{function.__qualname__} handles {self.name}, which names its handlers' "
                f"modules as {', '.join(self.handled_in)}: add the module there, or move the handler.")
        if function in self._handlers:
            raise ImproperlyConfigured(f"{function.__qualname__} is already a handler of {self.name}.")
        self._handlers.append(function)
        return function

    def send(self, event: E) -> None:
        """Call each handler with ``event``, in registration order; an exception stops the rest
        and propagates to the sender (whose transaction then rolls back)."""
        if not isinstance(event, self.event_type):
            raise TypeError(f"{self.name} takes a {self.event_type.__name__}, not a {type(event).__name__}.")
        for handler in self._handlers:
            handler(event)
