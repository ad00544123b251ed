#!/usr/bin/env bash
# One command to run the whole test suite (creates the virtualenv if needed).
# Uses SQLite unless DATABASE_URL says otherwise; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
