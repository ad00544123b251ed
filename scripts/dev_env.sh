# Sourced by scripts/run.sh: the environment of a development run.
# Development mode is asked for here: the settings default to production (DJANGO_DEBUG=false).
export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
export PORT=${PORT:-8000}
# Patients' links in the messages this run sends must reach this server, on this port.
export REMINDERS_PUBLIC_BASE_URL=${REMINDERS_PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
