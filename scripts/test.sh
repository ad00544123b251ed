#!/usr/bin/env bash
# One command to run the whole test suite (creates the virtualenv if needed).
# Uses SQLite unless DATABASE_URL says otherwise; extra arguments go to pytest.
# Tests run in parallel, a pytest-xdist worker per core (each with its own test database and its
# own Redis key prefix); TEST_WORKERS=0 runs them in this process. The 30 slowest are listed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh requirements-dev.txt
# worksteal: a worker that runs out of tests takes some of the other's, so one slow file does not
# leave a core idle at the end.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist worksteal --durations=30 "$@"
