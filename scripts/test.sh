#!/usr/bin/env bash
# One command to run the whole test suite (creates the virtualenv if needed).
# Uses SQLite unless DATABASE_URL says otherwise; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh requirements-dev.txt
# On SQLite the test database is a file, not memory: the race tests need real concurrent
# connections, which SQLite's shared in-memory database does not give (it locks whole tables).
if [ -z "${DATABASE_URL:-}" ] && [ -z "${SQLITE_TEST_NAME:-}" ]; then
  export SQLITE_TEST_NAME="$PWD/var/test-$$.sqlite3"
  trap 'rm -f "$SQLITE_TEST_NAME" "$SQLITE_TEST_NAME"-wal "$SQLITE_TEST_NAME"-shm' EXIT
fi
.venv/bin/python -m pytest "$@"
