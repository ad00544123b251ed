#!/usr/bin/env bash
# One command to run the clinic system: set up, migrate, load demo data, and start the web
# server, a Celery worker and Celery beat together. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh requirements.txt
export PATH="$PWD/.venv/bin:$PATH"
source scripts/dev_env.sh  # DJANGO_DEBUG=true, PORT, and patients' links on that port

python manage.py migrate --no-input
python manage.py seed_demo

CELERY_BROKER_URL=$(python -m clinic.broker)
export CELERY_BROKER_URL
case "$CELERY_BROKER_URL" in
  redis://127.0.0.1*) broker_note="local Redis ($CELERY_BROKER_URL)" ;;
  sqla+sqlite*) broker_note="embedded broker (no Redis answered on 127.0.0.1:6379): $CELERY_BROKER_URL" ;;
  *) broker_note="$CELERY_BROKER_URL (from CELERY_BROKER_URL)" ;;
esac
cat <<MSG

  Clinic system: http://127.0.0.1:$PORT/
  Patient links: $REMINDERS_PUBLIC_BASE_URL/p/...
  Celery broker: $broker_note

  Demo logins (username / password):
    front desk  frontdesk / demo-frontdesk-2026
    clinician   clinician / demo-clinician-2026
    manager     manager   / demo-manager-2026

MSG
exec honcho start -f Procfile
