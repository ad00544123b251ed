#!/usr/bin/env bash
# Create the virtualenv and install everything the project needs. Sourced by run.sh and test.sh.
# Re-running it is cheap: installs happen only when the requirement files change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
REQUIREMENTS=${1:-requirements.txt}
mkdir -p var
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtualenv in .venv"
  "$PYTHON" -m venv .venv
fi
stamp="var/.installed-$(basename "$REQUIREMENTS")"
if [ ! -f "$stamp" ] || [ -n "$(find requirements*.txt -newer "$stamp" 2>/dev/null)" ]; then
  echo "==> Installing Python packages from $REQUIREMENTS"
  # -qq: the warnings pip prints about unreachable extra package locations are noise here
  .venv/bin/python -m pip install -qq --upgrade pip
  .venv/bin/python -m pip install -qq -r "$REQUIREMENTS"
  touch "$stamp"
fi
if [ ! -d node_modules/bootstrap ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installing front-end packages (Bootstrap) from the npm registry"
  npm install --no-audit --no-fund --silent
fi
