"""Post random and mutated input to every form that writes, and count what went wrong.

    .venv/bin/python -m tests.perf.fuzz_forms --posts 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_fuzz .venv/bin/python -m tests.perf.fuzz_forms

Each post acts on fresh rows (its own patient, appointment, session or invitation) in a throwaway
database: SQLite in memory, or a PostgreSQL database dropped and
created afresh (its name must contain "fuzz"). Requests run as in production (no wrapping test
transaction, so a write outside a transaction is caught). Prints posts sent, server errors and
half-saves per endpoint, and each distinct cause once. The endpoints and the check are the
hypothesis tests' (tests/fuzz/).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import signal
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from tests.perf.bench_schedule import _fresh_postgres

BASE_DIR = Path(__file__).resolve().parents[2]
TWILIO_TEST_TOKEN = "fuzz-test-token"


def _setup_django() -> None:
    """Point Django at the throwaway database and migrate it."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _fresh_postgres(os.environ["DATABASE_URL"], marker="fuzz")
    else:
        # In memory: one connection (the test client's requests run in this thread) and no fsync per commit.
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["TWILIO_AUTH_TOKEN"] = TWILIO_TEST_TOKEN  # signed webhook posts need a key to sign with
    os.environ["CELERY_BROKER_URL"] = "memory://"  # reminders published on commit go nowhere real
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # a development run: settings default to production
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Each post makes a fresh clinician: hash their password as the suite does, not at production cost.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    call_command("migrate", verbosity=0)


def _fuzz(posts: int, seed: int) -> tuple[dict[str, Counter], Counter]:
    from tests.fuzz.check import client_for
    from tests.fuzz.endpoints import ENDPOINTS
    from tests.fuzz.scene import Scene

    rng, scene = random.Random(seed), Scene.build()
    clients = {role: client_for(scene, role) for role in {e.role for e in ENDPOINTS.values()}}
    counts: dict[str, Counter] = defaultdict(Counter)
    causes: Counter = Counter()
    try:
        for number in range(posts):
            _post_one(rng, scene, clients, counts, causes)
            if (number + 1) % 500 == 0:
                print(f"  … {number + 1} posts", flush=True)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: report the posts sent so far
        print("  stopped early")
    return counts, causes


def _post_one(rng, scene, clients, counts: dict[str, Counter], causes: Counter) -> None:
    from tests.fuzz.check import post_once
    from tests.fuzz.endpoints import ENDPOINTS
    from tests.fuzz.junk import random_mutation

    endpoint = rng.choice(list(ENDPOINTS.values()))
    target = endpoint.target(scene, rng.choice(endpoint.variants))
    data = target.data if rng.random() < 0.05 else random_mutation(rng, target.data, target.fields)
    outcome = post_once(clients[endpoint.role], endpoint, target, data)
    tally = counts[endpoint.name]
    tally["posts"] += 1
    tally[f"status {outcome.status}"] += 1
    for kind, cause in (("500s", outcome.server_error), ("half-saves", outcome.half_save)):
        if cause:
            tally[kind] += 1
            causes[f"{endpoint.name}: {kind[:-1]}: {cause}"] += 1


def _report(counts: dict[str, Counter], causes: Counter, seconds: float) -> None:
    print(f"\n{'endpoint':<20} {'posts':>6} {'500s':>5} {'half-saves':>10}  statuses")
    for name, tally in sorted(counts.items()):
        statuses = ", ".join(f"{k[7:]}×{v}" for k, v in sorted(tally.items()) if k.startswith("status"))
        print(f"{name:<20} {tally['posts']:>6} {tally['500s']:>5} {tally['half-saves']:>10}  {statuses}")
    total = sum(counts.values(), Counter())
    print(f"{'total':<20} {total['posts']:>6} {total['500s']:>5} {total['half-saves']:>10}  in {seconds:.0f} s")
    for cause, times in causes.most_common():
        print(f"  {times:>5} × {cause}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    # Stoppable from another shell too (a background job ignores SIGINT): both report what was sent.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    _setup_django()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the tally reports each 500 once
    from django.db import connection

    print(f"database: {connection.vendor}; {args.posts} posts, seed {args.seed}")
    started = time.perf_counter()
    counts, causes = _fuzz(args.posts, args.seed)
    _report(counts, causes, time.perf_counter() - started)


if __name__ == "__main__":
    main()
