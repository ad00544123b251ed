"""Run actions in real threads, released together, for the race tests (docs/reliability.md).

Each thread has its own database connection; the test must use real transactions
(``django_db(transaction=True)``), since a wrapping test transaction would hide the race.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def run_at_once(actions: Sequence[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Run every action in its own thread, all starting together; return, in order, what each
    returned or the exception it raised."""
    start_line = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect first, so that the threads really start together
            start_line.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - handed back to the test, which judges it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
